package dev.ballot.testkit.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionShapesTest {

    private static List<Long> ids(int n) {
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= n; id++) ids.add(id);
        return ids;
    }

    /** Nodes {@code id} can send to and receive from. */
    private static List<Long> peers(NetworkShape shape, List<Long> ids, long id) {
        return ids.stream().filter(other -> other != id && shape.connected(id, other) && shape.connected(other, id)).toList();
    }

    @Test
    void isolatedLeaderIsAloneAndTheOthersTalk() {
        NetworkShape shape = PartitionShapes.isolatedLeader(ids(5), 2);
        assertThat(shape.sides()).containsExactly(Set.of(2L), Set.of(1L, 3L, 4L, 5L));
        assertThat(peers(shape, ids(5), 2)).isEmpty();
        assertThat(peers(shape, ids(5), 1)).containsExactly(3L, 4L, 5L);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 7})
    void randomHalvesAreAMinorityAndAMajorityCoveringEveryNode(int n) {
        for (long seed = 0; seed < 20; seed++) {
            NetworkShape shape = PartitionShapes.randomHalves(ids(n), new SplittableRandom(seed));
            assertThat(shape.sides()).hasSize(2);
            assertThat(shape.sides().get(0)).hasSize((n - 1) / 2);
            assertThat(shape.sides().get(1)).hasSize(n - (n - 1) / 2);
            Set<Long> all = new java.util.HashSet<>(shape.sides().get(0));
            all.addAll(shape.sides().get(1));
            assertThat(all).containsExactlyInAnyOrderElementsOf(ids(n));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 7})
    void aBridgeSeesEveryoneWhileTheHalvesCannotTalk(int n) {
        List<Long> ids = ids(n);
        NetworkShape shape = PartitionShapes.bridge(ids, new SplittableRandom(n));
        List<Long> bridges = ids.stream().filter(id -> peers(shape, ids, id).size() == n - 1).toList();
        assertThat(bridges).hasSize(1);
        long bridge = bridges.getFirst();
        assertThat(shape.label()).startsWith("bridge n" + bridge);
        for (long id : ids) {
            if (id == bridge) continue;
            // Everyone else sees the bridge and its own half: a minority-sized half plus the bridge.
            List<Long> seen = peers(shape, ids, id);
            assertThat(seen).contains(bridge).hasSizeLessThan(n - 1);
            assertThat(seen.size() + 1).isLessThanOrEqualTo((n + 1) / 2);
        }
    }

    @Test
    void aRingOfFiveLetsEachNodeSeeExactlyTwoNeighbours() {
        List<Long> ids = ids(5);
        NetworkShape shape = PartitionShapes.ring(ids, new SplittableRandom(4));
        for (long id : ids) assertThat(peers(shape, ids, id)).hasSize(2);
        // 5 nodes, each with 2 non-neighbours: 10 directed cuts.
        assertThat(shape.cuts()).hasSize(10);
        // Following neighbours from any node walks the whole ring.
        List<Long> walk = new ArrayList<>(List.of(1L));
        while (walk.size() < 5) {
            long last = walk.getLast();
            walk.add(peers(shape, ids, last).stream().filter(p -> !walk.contains(p)).findFirst().orElseThrow());
        }
        assertThat(walk).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aRingOfThreeCutsNothing() {
        assertThat(PartitionShapes.ring(ids(3), new SplittableRandom(1)).cuts()).isEmpty();
    }

    @Test
    void applyingAShapeHealsFirstThenPartitionsAndCuts() {
        FakeClusterControl cluster = new FakeClusterControl(3, 1L);
        PartitionShapes.isolatedLeader(cluster.ids(), 1).applyTo(cluster);
        NetworkShape bridge = PartitionShapes.bridge(cluster.ids(), new SplittableRandom(2));
        bridge.applyTo(cluster);
        assertThat(cluster.calls.subList(0, 3)).containsExactly("heal", "partition [1] | [2, 3]", "heal");
        assertThat(cluster.calls.subList(3, cluster.calls.size())).hasSize(2).allMatch(call -> call.startsWith("cut "));
    }
}
