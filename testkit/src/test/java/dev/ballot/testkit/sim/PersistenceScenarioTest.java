package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crashes and restarts, after the MIT 6.824 Raft tests (2C). A crash drops the engine, the state
 * machine and every in-flight message; a restart rebuilds the node from its durable store only.
 */
class PersistenceScenarioTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void committedDataSurvivesCrashingAllTheLeaderAndFollowers(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 3);
        Simulation sim = h.sim();
        h.one("11", 3, true);

        // Crash everyone, restart everyone.
        for (long id : sim.ids()) sim.crash(id);
        for (long id : sim.ids()) sim.restart(id);
        h.one("12", 3, true);

        // Crash and restart the leader.
        long leader1 = h.awaitLeader();
        sim.crash(leader1);
        sim.restart(leader1);
        h.one("13", 3, true);

        // Crash the leader and keep it down; two nodes go on.
        long leader2 = h.awaitLeader();
        sim.crash(leader2);
        h.one("14", 2, true);
        sim.restart(leader2);

        // Crash a follower and keep it down; restart it later.
        long leader3 = h.awaitLeader();
        long follower = h.allBut(leader3).get(0);
        sim.crash(follower);
        h.one("15", 2, true);
        sim.restart(follower);
        h.one("16", 3, true);

        for (long id : sim.ids()) {
            // After its last restart each node re-applied everything committed, in order.
            assertThat(h.appliedCommands(id)).containsExactly("11", "12", "13", "14", "15", "16");
            assertThat(sim.node(id).boots()).isGreaterThanOrEqualTo(2);
        }
    }

    /** 6.824 TestPersist22C: repeated crashes of majorities, recovery only from what was persisted. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void repeatedMajorityCrashes(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 5);
        Simulation sim = h.sim();
        int index = 1;
        for (int iteration = 0; iteration < 5; iteration++) {
            h.one("p" + index++, 5, true);
            long leader1 = h.awaitLeader();
            List<Long> ring = ring(sim, leader1);

            sim.crash(ring.get(1));
            sim.crash(ring.get(2));
            h.one("p" + index++, 3, true);

            sim.crash(ring.get(0));
            sim.crash(ring.get(3));
            sim.crash(ring.get(4));
            sim.restart(ring.get(1));
            sim.restart(ring.get(2));
            sim.runFor(300);
            sim.restart(ring.get(3));
            h.one("p" + index++, 3, true);

            sim.restart(ring.get(4));
            sim.restart(ring.get(0));
        }
        h.one("p1000", 5, true);
        for (long id : sim.ids()) {
            List<String> applied = h.appliedCommands(id);
            assertThat(applied).startsWith("p1", "p2", "p3").endsWith("p1000").hasSize(index);
        }
    }

    /** 6.824 TestPersist32C: a partitioned leader and a follower crash; the leader restarts. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void partitionedLeaderAndFollowerCrash(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 3);
        Simulation sim = h.sim();
        h.one("101", 3, true);
        long leader = h.awaitLeader();
        List<Long> ring = ring(sim, leader);

        sim.partition(Partition.isolate(ring.get(2), sim.ids()));
        h.one("102", 2, true);

        sim.crash(ring.get(0));
        sim.crash(ring.get(1));
        sim.heal();
        sim.restart(ring.get(0));
        h.one("103", 2, true);

        sim.restart(ring.get(1));
        h.one("104", 3, true);
        for (long id : sim.ids()) assertThat(h.appliedCommands(id)).containsExactly("101", "102", "103", "104");
    }

    /**
     * Nodes crash in the middle of persisting (a prefix of the entries written, the hard state lost)
     * and restart: with synchronous, asynchronous and pipelined persistence (up to 4 Readies taken
     * before the oldest is written; a crash loses all of them).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void crashesDuringPersistLoseNothingAcknowledged(long seed, TestInfo info) {
        for (int mode = 0; mode < 3; mode++) {
            SimParams base = Scenarios.params(info, seed, 5);
            SimParams params = mode < 2 ? base.withPersistence(2, mode == 1, 0.02)
                    : base.withPipelinedPersistence(3, 4, 0.02);
            Simulation sim = new Simulation(params);
            Harness h = new Harness(sim);
            sim.setAutoRestart(50, 500);
            Workload clients = new Workload(sim, sim.newRandom("clients"), 2, 10, 10);
            clients.start();
            sim.runFor(10_000);
            clients.stop();
            h.settleAndVerify("final", 20_000);

            assertThat(sim.persistCrashes()).as("persist crashes").isGreaterThan(5);
            assertThat(sim.proposals().acknowledged()).hasSizeGreaterThan(100);
            if (mode == 2) assertThat(sim.pipelinedReadies()).as("Readies taken while others were in flight").isPositive();
        }
    }

    /** The five ids starting at {@code first}, in ring order (6.824's (leader + k) % n). */
    private static List<Long> ring(Simulation sim, long first) {
        int n = sim.ids().size();
        return java.util.stream.LongStream.range(0, n).map(k -> (first - 1 + k) % n + 1).boxed().toList();
    }
}
