package dev.ballot.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverAnalysisTest {

    private static final long KILL = 1_000_000_000L;

    private static ProbeResult error(long node, long sent, long done, String kind) {
        return new ProbeResult(node, sent, done, ProbeResult.Outcome.ERROR, kind);
    }

    private static ProbeResult failed(long node, long sent, long done, String why) {
        return new ProbeResult(node, sent, done, ProbeResult.Outcome.FAILED, why);
    }

    @Test
    void theFirstAckIsTheEarliestAnsweredOkSentAtOrAfterTheKill() {
        List<ProbeResult> results = List.of(
                ProbeResult.ok(1, KILL - 5, KILL + 10),        // sent before the kill: the old leader may have committed it
                error(2, KILL + 1, KILL + 300, "UNKNOWN"),
                ProbeResult.ok(3, KILL + 20, KILL + 450),     // sent later, answered earlier than the next one
                ProbeResult.ok(2, KILL, KILL + 460),
                ProbeResult.ok(4, KILL + 400, KILL + 449));   // the earliest answer of all

        assertThat(FailoverAnalysis.firstAck(KILL, results)).contains(ProbeResult.ok(4, KILL + 400, KILL + 449));
    }

    @Test
    void noAckWithoutAnOkSentAfterTheKill() {
        List<ProbeResult> results = List.of(ProbeResult.ok(1, KILL - 1, KILL + 5), error(2, KILL + 1, KILL + 9, "TRYAGAIN"),
                failed(3, KILL + 2, KILL + 3, "refused"));

        assertThat(FailoverAnalysis.firstAck(KILL, results)).isEmpty();
    }

    @Test
    void worksAcrossTheWrapOfNanoTime() {
        long kill = Long.MAX_VALUE - 10; // nanoTime may be anywhere, even about to overflow
        List<ProbeResult> results = List.of(ProbeResult.ok(1, kill + 5, kill + 100), ProbeResult.ok(2, kill - 5, kill + 1),
                ProbeResult.ok(3, kill + 1, kill + 8)); // before the wrap, so a larger long than kill + 100

        assertThat(FailoverAnalysis.firstAck(kill, results)).contains(ProbeResult.ok(3, kill + 1, kill + 8));
    }

    @Test
    void outcomesCountOnlyProbesSentAfterTheKillAndDoneByTheAck() {
        List<ProbeResult> results = List.of(
                error(1, KILL - 1, KILL + 5, "TRYAGAIN"),    // sent before: not counted
                error(1, KILL + 1, KILL + 50, "UNKNOWN"),
                error(2, KILL + 2, KILL + 60, "UNKNOWN"),
                failed(3, KILL + 3, KILL + 70, "timeout"),
                ProbeResult.ok(2, KILL + 80, KILL + 90),
                ProbeResult.ok(3, KILL + 85, KILL + 95));   // after the first ack: not counted

        assertThat(FailoverAnalysis.outcomes(KILL, KILL + 90, results))
                .isEqualTo(Map.of("UNKNOWN", 2L, "no reply (timeout)", 1L, "OK", 1L));
    }
}
