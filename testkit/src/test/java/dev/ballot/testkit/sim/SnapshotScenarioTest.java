package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots and log compaction in the engine simulation: followers that fall behind a compacted
 * log catch up by snapshot, under crashes and partitions, with every invariant checked after every
 * event (a snapshot must hold exactly the committed prefix it claims).
 */
class SnapshotScenarioTest {

    /** A follower down while the leader snapshots every 4 entries comes back and catches up by snapshot. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aFollowerDownWhileTheLogWasCompactedCatchesUpBySnapshot(long seed, TestInfo info) {
        Harness h = new Harness(new Simulation(Scenarios.params(info, seed, 3).withSnapshotEvery(4)));
        Simulation sim = h.sim();
        h.one("first", 3, true);
        long leader = h.awaitLeader();
        long behind = leader % 3 + 1;
        sim.crash(behind);
        for (int i = 0; i < 30; i++) h.one("c" + i, 2, true);
        assertThat(sim.node(leader).engine().firstIndex()).as("the leader compacted its log").isGreaterThan(20);
        sim.restart(behind);
        h.one("last", 3, true);
        assertThat(sim.snapshots().installed()).as("node %d caught up by snapshot", behind).isPositive();
        assertThat(sim.node(behind).store().snapshotIndex()).isGreaterThan(20);
        assertThat(h.appliedCommands(behind)).isEqualTo(h.appliedCommands(leader));
        h.verifyAcknowledgedCommitted();
    }

    /** Compaction after every entry, lossy links and a partitioned minority that rejoins, over and over. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void snapshotsAfterEveryEntryUnderPartitionsAndLoss(long seed, TestInfo info) {
        NetworkConditions lossy = NetworkConditions.unreliable();
        Harness h = new Harness(new Simulation(Scenarios.params(info, seed, 5).withSnapshotEvery(1).withNetwork(lossy)));
        Simulation sim = h.sim();
        h.one("first", 1, true);
        for (int round = 0; round < 6; round++) {
            long leader = h.awaitLeader();
            long cut = leader % 5 + 1;
            sim.partition(Partition.isolate(cut, sim.ids()));
            for (int i = 0; i < 8; i++) h.one("r" + round + "-" + i, 4, true);
            sim.heal();
        }
        h.settleAndVerify("last", 10_000);
        assertThat(sim.snapshots().installed()).isPositive();
        assertThat(sim.snapshots().compactions()).isGreaterThan(40);
    }
}
