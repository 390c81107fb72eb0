package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballot.raft.HardState;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.Role;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The checker must be able to fail: a runtime that breaks the persistence contract on purpose is
 * caught, while the honest runtime passes the very same hostile runs.
 */
class SabotageTest {

    @Test
    void sendingBeforePersistingIsCaughtAtOnce() {
        assertThatThrownBy(() -> RandomizedRun.run(1, RandomizedRun.Options.defaults().withSabotage(Sabotage.SEND_BEFORE_PERSIST)))
                .isInstanceOfSatisfying(SimulationFailure.class, f -> {
                    assertThat(f.invariant()).isEqualTo("Persist before send");
                    assertThat(f.getMessage()).contains("seed 1", "replay:", "-Dballot.sim.seed=1", "last 50 events");
                });
    }

    @Test
    void losingTheDiskOnRestartIsCaughtBySafetyChecks() {
        Map<String, Integer> caught = new TreeMap<>();
        for (long seed = 1; seed <= 20; seed++) {
            try {
                RandomizedRun.run(seed, RandomizedRun.Options.defaults().withSabotage(Sabotage.AMNESIA));
            } catch (SimulationFailure f) {
                caught.merge(f.invariant(), 1, Integer::sum);
            }
        }
        // Forgotten logs and votes show up as broken Raft properties, not just as a stuck cluster.
        int safety = caught.entrySet().stream().filter(e -> !e.getKey().equals("Liveness") && !e.getKey().equals("Runaway"))
                .mapToInt(Map.Entry::getValue).sum();
        assertThat(safety).as("safety violations caught in 20 seeds: %s", caught).isGreaterThanOrEqualTo(3);
    }

    @Test
    void servingReadsWithoutReadIndexIsCaughtInRandomizedRuns() {
        Map<String, Integer> caught = new TreeMap<>();
        for (long seed = 1; seed <= 10; seed++) {
            try {
                RandomizedRun.run(seed, RandomizedRun.Options.defaults().withSabotage(Sabotage.LOCAL_READ));
            } catch (SimulationFailure f) {
                caught.merge(f.invariant(), 1, Integer::sum);
            }
        }
        // A new leader that has not yet learned the last commit, or a deposed one, serves a stale read.
        assertThat(caught).as("failures in 10 seeds").containsOnlyKeys("Linearizable read");
    }

    @Test
    void aDeposedLeaderServingReadsLocallyIsCaught() {
        assertThatThrownBy(() -> readFromADeposedLeader(1, Sabotage.LOCAL_READ))
                .isInstanceOfSatisfying(SimulationFailure.class,
                        f -> assertThat(f.invariant()).isEqualTo("Linearizable read"));
    }

    @Test
    void aDeposedLeaderNeverReleasesAReadWithReadIndex() {
        for (long seed = 1; seed <= 5; seed++) {
            Simulation sim = readFromADeposedLeader(seed, Sabotage.NONE);
            assertThat(sim.checker().readsReleased()).as("only the read asked of the new leader").isEqualTo(1);
        }
    }

    /**
     * Five nodes, check-quorum off so that a cut-off leader keeps believing it leads. The leader is
     * isolated, the other four elect a new one and commit a write, then a client reads from the
     * old leader (whose commit index misses that write), and finally from the new one.
     */
    private static Simulation readFromADeposedLeader(long seed, Sabotage sabotage) {
        SimParams p = SimParams.of(seed, 5).withEngine(15, 5, true, false).withSabotage(sabotage);
        Simulation sim = new Simulation(p);
        Harness h = new Harness(sim);
        long old = h.awaitLeader();
        h.one("before", 5, true);
        sim.partition(Partition.isolate(old, sim.ids()));
        List<Long> rest = h.allBut(old);
        long fresh = h.awaitLeader(rest, 5_000);
        long written = h.one("after", 4, true);
        assertThat(sim.node(old).engine().commitIndex()).isLessThan(written);
        assertThat(sim.node(old).engine().role()).isEqualTo(Role.LEADER);

        long context = sim.readIndex(old);
        assertThat(context).as("the old leader accepts the read").isPositive();
        sim.runFor(2_000);
        sim.heal();
        sim.runUntil(() -> sim.node(old).engine().role() != Role.LEADER, 2_000);
        sim.runFor(500);
        assertThat(sim.checker().readReleased(context)).isFalse();
        assertThat(sim.checker().readsReleased()).isZero();

        h.awaitRead(5_000);
        assertThat(fresh).isNotEqualTo(old);
        return sim;
    }

    @Test
    void forgettingTheVoteElectsTwoLeadersInOneTerm() {
        int caught = 0;
        for (long seed = 1; seed <= 10; seed++) {
            try {
                voterCrashesAfterEveryVote(seed, Sabotage.FORGET_VOTE);
            } catch (SimulationFailure f) {
                assertThat(f.invariant()).isEqualTo("Election Safety");
                caught++;
            }
        }
        assertThat(caught).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anHonestRuntimeSurvivesAVoterThatCrashesAfterEveryVote() {
        for (long seed = 1; seed <= 5; seed++) {
            Simulation sim = voterCrashesAfterEveryVote(seed, Sabotage.NONE);
            assertThat(sim.checker().elections()).isGreaterThan(20);
            assertThat(sim.node(3).boots()).isGreaterThan(20);
        }
    }

    /**
     * Nodes 1 and 2 cannot talk to each other, only to node 3, which crashes right after every
     * vote it makes durable and restarts a few ms later. Both 1 and 2 keep campaigning, often in
     * the same term, each needing node 3's vote. Pre-vote off so candidates bump terms freely.
     */
    private static Simulation voterCrashesAfterEveryVote(long seed, Sabotage sabotage) {
        SimParams p = SimParams.of(seed, 3).withEngine(6, 2, false, false)
                .withNetwork(new NetworkConditions(2, 30, 0, 0, 0, 0)).withSabotage(sabotage);
        Simulation sim = new Simulation(p);
        sim.partition(Partition.oneWay(1, 2).union(Partition.oneWay(2, 1)));
        sim.setAutoRestart(1, 5);
        long lastVoteTerm = 0;
        while (sim.now() < 20_000) {
            sim.step();
            HardState hs = sim.node(3).store().hardState();
            if (sim.node(3).isUp() && hs.votedFor() != RaftNode.NONE && hs.currentTerm() > lastVoteTerm) {
                lastVoteTerm = hs.currentTerm();
                sim.crash(3);
            }
        }
        return sim;
    }
}
