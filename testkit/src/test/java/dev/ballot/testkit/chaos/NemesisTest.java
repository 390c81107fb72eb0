package dev.ballot.testkit.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class NemesisTest {

    private final AtomicLong clock = new AtomicLong();
    private final NemesisLog log = new NemesisLog();

    private Nemesis nemesis(FakeClusterControl cluster, long seed) {
        return new Nemesis(cluster, new SplittableRandom(seed), log, clock::get, false);
    }

    private static List<String> callsFor(long seed, String plan) {
        FakeClusterControl cluster = new FakeClusterControl(5, 3L);
        Nemesis nemesis = new Nemesis(cluster, new SplittableRandom(seed), new NemesisLog(), () -> 0, false);
        Plan.parse(plan).forEach(nemesis::apply);
        return cluster.calls;
    }

    @Test
    void sameSeedAndPlanGiveTheSameFaults() {
        String plan = Plan.format(RandomSchedule.generate(42, List.of(FaultFamily.values()), Duration.ofSeconds(120), Duration.ofSeconds(3)));
        assertThat(callsFor(7, plan)).isEqualTo(callsFor(7, plan)).isNotEmpty();
        String shapes = "kill@1s,restart@2s,partition-random@3s,partition-bridge@4s,partition-ring@5s,pause@6s,resume@7s";
        assertThat(callsFor(7, shapes)).isNotEqualTo(callsFor(8, shapes));
    }

    @Test
    void killLeaderKillsTheLeaderAndRestartBringsBackEveryKilledNode() {
        FakeClusterControl cluster = new FakeClusterControl(5, 3L);
        Nemesis nemesis = nemesis(cluster, 1);
        nemesis.apply(new Step(0, FaultAction.KILL_LEADER, null));
        nemesis.apply(new Step(0, FaultAction.KILL, "5"));
        assertThat(nemesis.down()).containsExactly(3L, 5L);
        clock.set(2_000_000_000L);
        nemesis.apply(new Step(0, FaultAction.RESTART, null));
        assertThat(cluster.calls).containsExactly("kill 3", "kill 5", "restart 3", "restart 5");
        assertThat(nemesis.down()).isEmpty();
        assertThat(log.windows(clock.get())).singleElement().satisfies(w -> {
            assertThat(w.family()).isEqualTo(FaultFamily.KILL);
            assertThat(w.label()).isEqualTo("kill n3 (leader); kill n5");
            assertThat(w.startNanos()).isZero();
            assertThat(w.endNanos()).isEqualTo(2_000_000_000L);
        });
    }

    @Test
    void neverTakesDownAMajorityOfFiveNodes() {
        FakeClusterControl cluster = new FakeClusterControl(5, 1L);
        Nemesis nemesis = nemesis(cluster, 1);
        nemesis.apply(new Step(0, FaultAction.KILL, null));
        nemesis.apply(new Step(0, FaultAction.PAUSE, null));
        nemesis.apply(new Step(0, FaultAction.KILL, null));
        nemesis.apply(new Step(0, FaultAction.PAUSE_LEADER, null));
        assertThat(nemesis.down()).hasSize(2);
        assertThat(cluster.calls).hasSize(2);
        assertThat(log.lines()).filteredOn(line -> line.contains("skipped")).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("would leave no majority up"));
    }

    @Test
    void withThreeNodesOnlyOneIsDownAtATime() {
        FakeClusterControl cluster = new FakeClusterControl(3, 2L);
        Nemesis nemesis = nemesis(cluster, 9);
        nemesis.apply(new Step(0, FaultAction.PAUSE_LEADER, null));
        nemesis.apply(new Step(0, FaultAction.KILL, null));
        assertThat(cluster.calls).containsExactly("pause 2");
        nemesis.apply(new Step(0, FaultAction.RESUME, null));
        nemesis.apply(new Step(0, FaultAction.KILL, "1"));
        assertThat(cluster.calls).containsExactly("pause 2", "resume 2", "kill 1");
    }

    @Test
    void aMajorityMayGoDownWhenAllowed() {
        FakeClusterControl cluster = new FakeClusterControl(3, 2L);
        Nemesis nemesis = new Nemesis(cluster, new SplittableRandom(1), log, clock::get, true);
        nemesis.apply(new Step(0, FaultAction.KILL, "1"));
        nemesis.apply(new Step(0, FaultAction.KILL, "2"));
        assertThat(nemesis.down()).containsExactly(1L, 2L);
    }

    @Test
    void leaderFaultsFallBackToARandomNodeWithoutALeader() {
        FakeClusterControl cluster = new FakeClusterControl(5, null);
        Nemesis nemesis = nemesis(cluster, 3);
        nemesis.apply(new Step(0, FaultAction.KILL_LEADER, null));
        nemesis.apply(new Step(0, FaultAction.PARTITION_LEADER, null));
        assertThat(cluster.calls.getFirst()).startsWith("kill ");
        assertThat(cluster.calls).contains("heal").anyMatch(call -> call.startsWith("partition "));
        assertThat(log.lines()).anyMatch(line -> line.contains("no leader known"));
    }

    @Test
    void partitionsLossAndDelayOpenAndCloseTheirWindows() {
        FakeClusterControl cluster = new FakeClusterControl(5, 4L);
        Nemesis nemesis = nemesis(cluster, 1);
        nemesis.apply(new Step(0, FaultAction.PARTITION_LEADER, null));
        clock.set(10);
        nemesis.apply(new Step(0, FaultAction.LOSS, "0.25"));
        nemesis.apply(new Step(0, FaultAction.DELAY, "5-40"));
        clock.set(20);
        nemesis.apply(new Step(0, FaultAction.HEAL, null));
        clock.set(30);
        nemesis.apply(new Step(0, FaultAction.CLEAR, null));
        assertThat(cluster.calls).containsExactly("heal", "partition [4] | [1, 2, 3, 5]", "loss 0.25", "delay 5-40", "heal", "clear");
        assertThat(log.windows(100)).extracting(FaultWindow::label, FaultWindow::startNanos, FaultWindow::endNanos)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("isolated leader n4 | {n1,n2,n3,n5}", 0L, 20L),
                        org.assertj.core.groups.Tuple.tuple("loss 25%", 10L, 30L),
                        org.assertj.core.groups.Tuple.tuple("delay 5-40 ms", 10L, 30L));
    }

    @Test
    void healEverythingEndsEveryFault() {
        FakeClusterControl cluster = new FakeClusterControl(5, 4L);
        Nemesis nemesis = nemesis(cluster, 1);
        nemesis.apply(new Step(0, FaultAction.KILL, null));
        nemesis.apply(new Step(0, FaultAction.PARTITION_RING, null));
        clock.set(50);
        nemesis.healEverything();
        assertThat(cluster.calls.getLast()).isEqualTo("healAll");
        assertThat(nemesis.down()).isEmpty();
        assertThat(log.windows(1000)).hasSize(2).allSatisfy(w -> assertThat(w.endNanos()).isEqualTo(50));
    }
}
