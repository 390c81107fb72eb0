package dev.ballot.testkit.sim.runtime;

import dev.ballot.kv.ReadMode;
import dev.ballot.node.RuntimeSabotage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Full-runtime simulation in CI: many seeds pass, and the checks catch a broken build. */
class RuntimeSimulationTest {

    /** Seeds run by {@code ./ballot test}; {@code -Dballot.runtimeSeeds=N} for more. */
    private static final int SEEDS = Integer.getInteger("ballot.runtimeSeeds", 2000);

    @Test
    void manySeedsOfTheProductionRuntimePassEveryCheck() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RuntimeSimulatorMain.run(new String[] {"--runs", String.valueOf(SEEDS), "--seed", "1000"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        assertThat(status).as(report).isZero();
        assertThat(report).contains("all " + SEEDS + " runs passed");
    }

    @Test
    void bothWorkloadsRunAndAcknowledgeWrites() {
        for (Workload w : Workload.values()) {
            RuntimeRunResult r = RuntimeSimulation.run(3, RuntimeSimulation.Options.defaults().withWorkload(w));
            assertThat(r.passed()).as(r.detail()).isTrue();
            assertThat(r.acknowledged()).as(w + ": acknowledged operations").isGreaterThan(20);
            assertThat(r.faults()).as(w + ": faults injected").isPositive();
            assertThat(r.highestCommitted()).as(w + ": entries committed").isGreaterThan(10);
        }
    }

    /**
     * Seed 3,018,394 (found by a soak): node 5 won term 1 at 906 ms, its votes long delayed, after
     * node 4's term 2 had committed index 1. Legal Raft: only entries committed in earlier terms
     * must be in a new leader's log. The check had required every entry committed so far.
     */
    @Test
    void aLeaderOfAnOlderTermElectedLateNeedNotHoldALaterTermsEntries() {
        RuntimeRunResult r = RuntimeSimulation.run(3_018_394, RuntimeSimulation.Options.defaults());
        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(r.elections()).isGreaterThanOrEqualTo(2);
    }

    /**
     * Found by the soak from seed 5,000,000: every byte of a snapshot had reached node 3, whose
     * answer that it was done was lost (26% loss), and the leader waited a minute in silence while
     * its compacted log left node 3 behind: no convergence. Now the leader sends the last chunk
     * again after each silence, and the follower answers again.
     */
    @Test
    void aLostAnswerThatASnapshotArrivedWholeIsAskedForAgain() {
        RuntimeRunResult r = RuntimeSimulation.run(5_002_704, RuntimeSimulation.Options.defaults());
        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(r.snapshotRestores()).isPositive();
    }

    /**
     * Found by the soak: one group commit held a follower's new entries and then the reset of its
     * log after the leader's snapshot (a later Ready). The simulator's record of what is durable
     * took the reset first and then refused the entries as not continuing the log; it now follows
     * the batch's order, as the disk does.
     */
    @Test
    void aSnapshotInstallInTheSameGroupCommitAsEarlierEntriesReplacesThem() {
        RuntimeRunResult r = RuntimeSimulation.run(5_008_750, RuntimeSimulation.Options.defaults());
        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(r.snapshotRestores()).isPositive();
    }

    @Test
    void readsServedWithoutReadIndexAreCaughtWithAReplayableSeed() {
        RuntimeSimulation.Options broken = RuntimeSimulation.Options.defaults().withReadMode(ReadMode.UNSAFE_LOCAL)
                .withWorkload(Workload.REGISTER);
        RuntimeRunResult failed = firstFailure(broken, 200);
        // Caught where it happens (the reply leaves before the node applied what was committed), or
        // else by the history.
        assertThat(failed.failedCheck()).isIn("read index", "linearizability");
        assertThat(failed.detail()).contains("--unsafe-local-reads");
    }

    @Test
    void aRefusedWriteRetriedAfterLaterWritesOfItsConnectionIsCaught() {
        RuntimeSimulation.Options broken = RuntimeSimulation.Options.defaults()
                .withSabotage(RuntimeSabotage.RETRY_OUT_OF_ORDER);
        RuntimeRunResult failed = firstFailure(broken, 1000);
        assertThat(failed.failedCheck()).isEqualTo("connection order");
        assertThat(failed.detail()).contains("--sabotage retry-out-of-order");
    }

    @Test
    void forwardedRequestIdsReusedAcrossRestartsAreCaught() {
        RuntimeSimulation.Options broken = RuntimeSimulation.Options.defaults()
                .withSabotage(RuntimeSabotage.REUSE_FORWARD_IDS);
        RuntimeRunResult failed = firstFailure(broken, 300);
        // A reply to an earlier incarnation's request completes another request: the client sees a
        // reply that does not fit its command, or a history that is not linearizable.
        assertThat(failed.failedCheck()).isIn("client protocol", "linearizability", "acknowledged write lost");
        assertThat(failed.detail()).contains("--sabotage reuse-forward-ids");
    }

    @Test
    void aDiskThatAcknowledgesWritesBeforeSyncingThemIsCaught() {
        RuntimeRunResult failed = firstFailure(RuntimeSimulation.Options.defaults()
                .withBrokenDisk(BrokenDisk.EARLY_ACK), 20);
        assertThat(failed.failedCheck()).isEqualTo("persist before send");
        assertThat(failed.detail()).contains("--sabotage early-ack");
    }

    @Test
    void aNodeThatForgetsItsDiskIsCaught() {
        RuntimeRunResult failed = firstFailure(RuntimeSimulation.Options.defaults()
                .withBrokenDisk(BrokenDisk.AMNESIA), 100);
        assertThat(failed.failedCheck()).isIn("leader completeness", "state machine safety", "durable term",
                "acknowledged write lost", "linearizability", "replica digests", "commit went back");
        assertThat(failed.detail()).contains("--sabotage amnesia");
    }

    /** The first seed from 1 whose run fails, within {@code seeds}; it must print how to replay it, and replay. */
    private static RuntimeRunResult firstFailure(RuntimeSimulation.Options broken, int seeds) {
        RuntimeRunResult failed = null;
        for (long seed = 1; seed <= seeds && failed == null; seed++) {
            RuntimeRunResult r = RuntimeSimulation.run(seed, broken);
            if (!r.passed()) failed = r;
        }
        assertThat(failed).as("a failing seed within " + seeds + " with " + broken).isNotNull();
        assertThat(failed.detail()).contains("replay: ./ballot simulate --runtime --seed " + failed.seed())
                .contains("last events");
        RuntimeRunResult again = RuntimeSimulation.run(failed.seed(), broken);
        assertThat(again.failedCheck()).as("the printed seed fails again").isEqualTo(failed.failedCheck());
        return failed;
    }
}
