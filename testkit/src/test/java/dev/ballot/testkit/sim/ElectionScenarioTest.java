package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Leader election, after the MIT 6.824 Raft tests (2A). Election Safety is checked after every event throughout. */
class ElectionScenarioTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void initialElectionElectsOneLeaderThatStaysWhileHealthy(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 3);
        Simulation sim = h.sim();
        long leader = h.awaitLeader();
        long term = sim.node(leader).engine().currentTerm();
        assertThat(term).isPositive();

        sim.runFor(5_000); // 5 s of a healthy cluster: no new election

        assertThat(sim.leaders()).containsExactly(leader);
        assertThat(h.stableLeader(sim.ids())).isEqualTo(leader);
        for (long id : sim.ids()) assertThat(sim.node(id).engine().currentTerm()).as("term of %d", id).isEqualTo(term);
        assertThat(sim.checker().elections()).isEqualTo(1);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void reElectionAfterLeaderLossAndNoLeaderWithoutMajority(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 3);
        Simulation sim = h.sim();
        long leader1 = h.awaitLeader();

        // The leader is cut off: the other two elect a new leader.
        sim.partition(Partition.isolate(leader1, sim.ids()));
        long leader2 = h.awaitLeader(h.allBut(leader1), 5_000);
        assertThat(leader2).isNotEqualTo(leader1);

        // The old leader comes back: it follows the new leader, who is not disrupted into a new term.
        long term2 = sim.node(leader2).engine().currentTerm();
        sim.heal();
        long leader3 = h.awaitLeader(sim.ids(), 5_000);
        assertThat(leader3).isEqualTo(leader2);
        assertThat(sim.node(leader3).engine().currentTerm()).isEqualTo(term2);

        // No majority: nobody may be leader.
        long a = leader3;
        long b = h.allBut(leader3).get(0);
        sim.partition(Partition.isolate(a, sim.ids()).union(Partition.isolate(b, sim.ids())));
        h.checkNoLeader(sim.ids(), 2_000);

        // A majority again: a leader again.
        sim.partition(Partition.isolate(a, sim.ids()));
        h.awaitLeader(h.allBut(a), 5_000);
        sim.heal();
        h.awaitLeader(sim.ids(), 5_000);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void manyElectionsWithSevenNodes(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 7);
        Simulation sim = h.sim();
        h.awaitLeader();
        SplittableRandom random = new SplittableRandom(seed);
        for (int iteration = 0; iteration < 10; iteration++) {
            List<Long> shuffled = new ArrayList<>(sim.ids());
            Collections.shuffle(shuffled, random);
            List<Long> cut = shuffled.subList(0, 3);
            Partition p = Partition.none();
            for (long id : cut) p = p.union(Partition.isolate(id, sim.ids()));
            sim.partition(p);
            // Four of seven can still talk: they must have (or elect) a leader.
            long leader = h.awaitLeader(shuffled.subList(3, 7), 5_000);
            assertThat(cut).doesNotContain(leader);
            sim.heal();
        }
        h.awaitLeader(sim.ids(), 5_000);
        assertThat(sim.checker().elections()).isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void aPartitionedNodeDoesNotDisruptTheClusterWhenItReturns(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 5);
        Simulation sim = h.sim();
        long leader = h.awaitLeader();
        long follower = h.allBut(leader).get(0);
        long term = sim.node(leader).engine().currentTerm();

        sim.partition(Partition.isolate(follower, sim.ids()));
        sim.runFor(3_000); // with pre-vote the isolated node does not inflate its term
        assertThat(sim.node(follower).engine().currentTerm()).isEqualTo(term);
        assertThat(sim.node(follower).engine().role()).isNotEqualTo(Role.LEADER);
        sim.heal();
        sim.runFor(1_000);

        assertThat(h.stableLeader(sim.ids())).isEqualTo(leader);
        assertThat(sim.node(leader).engine().currentTerm()).isEqualTo(term);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void aBridgeNodeKeepsOrRegainsLeadership(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 5);
        Simulation sim = h.sim();
        long leader = h.awaitLeader();
        List<Long> others = h.allBut(leader);
        // The leader is the bridge between two halves that cannot talk to each other: it still has a majority.
        sim.partition(Partition.bridge(leader, others.subList(0, 2), others.subList(2, 4)));
        sim.runFor(3_000);
        assertThat(h.stableLeader(sim.ids())).isEqualTo(leader);
        h.one("over-the-bridge", 5, false);
        assertThat(sim.leaders()).containsExactly(leader);
        assertThat(sim.node(others.get(0)).engine().leaderId()).isEqualTo(leader);
    }
}
