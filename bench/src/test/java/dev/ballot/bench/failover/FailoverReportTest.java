package dev.ballot.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverReportTest {

    private static FailoverSettings settings(boolean defaults) {
        return new FailoverSettings(5, 4, 20, 15, 5, defaults, true, Duration.ofSeconds(5), Duration.ofMillis(10),
                Duration.ofMillis(5), Duration.ofSeconds(1), Duration.ofSeconds(30), Path.of("/tmp/fo"));
    }

    private static FailoverSample sample(int kill, Double election, Double ack) {
        return new FailoverSample(kill, 1, kill, ack == null ? 0 : 2, ack == null ? 0 : kill + 1, election, ack,
                ack == null ? 0 : 3, Map.of("UNKNOWN", 7L, "OK", 1L));
    }

    @Test
    void settingsNameTheTimeoutsInMillisecondsAndAsServerFlags() {
        String text = FailoverReport.settings(settings(true));

        assertThat(text).contains("tick 20 ms", "election timeout 15 ticks = 300 ms (randomised up to 2x: 300..600 ms)",
                "heartbeat 5 ticks = 100 ms", "fsync on (the defaults)",
                "--tick-ms 20 --election-ticks 15 --heartbeat-ticks 5");
        assertThat(FailoverReport.settings(settings(false))).contains("(NOT the defaults)");
    }

    @Test
    void summarySplitsElectionAndWriteAndJudgesTheTarget() {
        List<FailoverSample> samples = List.of(sample(1, 400.0, 420.0), sample(2, 300.0, 350.0),
                sample(3, 450.0, 480.0), sample(4, 600.0, 700.0));

        String text = FailoverReport.summary(settings(true), samples);

        // totals 350 420 480 700, elections 300 400 450 600, write parts 50 20 30 100
        assertThat(text).contains("4 of 4 kills acknowledged");
        assertThat(text).contains("total:                median   450.0 ms   p90   700.0 ms   worst   700.0 ms   (n=4)");
        assertThat(text).contains("leader election:      median   425.0 ms   p90   600.0 ms   worst   600.0 ms");
        assertThat(text).contains("then the first write: median    40.0 ms   p90   100.0 ms   worst   100.0 ms");
        assertThat(text).contains("worst < 1000 ms: met");
    }

    @Test
    void aMedianOver500MsOrAMissingAckIsNotMet() {
        List<FailoverSample> slow = List.of(sample(1, 500.0, 510.0), sample(2, 520.0, 530.0));
        assertThat(FailoverReport.summary(settings(true), slow)).contains(": NOT met");

        List<FailoverSample> oneLost = new ArrayList<>(List.of(sample(1, 300.0, 310.0), sample(2, null, null)));
        String text = FailoverReport.summary(settings(true), oneLost);
        assertThat(text).contains("1 of 2 kills acknowledged", ": NOT met", "1 kill(s) without an acknowledged write within 30 s");

        assertThat(FailoverReport.summary(settings(false), List.of(sample(1, 300.0, 310.0))))
                .contains(": met -- but this run did not use the default timeouts");
    }

    @Test
    void anElectionSeenAfterTheAckIsCappedAtTheAck() {
        FailoverSample s = sample(1, 430.0, 420.0); // the poll that saw the leader came back after the write's reply

        assertThat(s.electionMillis()).isEqualTo(420.0);
        assertThat(s.writePartMillis()).isEqualTo(0.0);
    }

    @Test
    void aLineShowsDashesForWhatWasNotSeen() {
        String line = FailoverReport.line(settings(true), sample(7, null, null));

        assertThat(line).matches("(?s)\\s+7\\s+1\\s+7\\s+-\\s+-\\s+-\\s+-\\s+-\\s+-\\s+OK=1 UNKNOWN=7\\R");
    }

    @Test
    void aLeaderSoonerThanAnElectionTimeoutAllowsIsFlaggedAndLeftOut() {
        FailoverSettings s = settings(true); // 15 - 5 - 1 = 9 ticks of 20 ms: nothing can fail over within 180 ms
        assertThat(s.earliestFailoverMillis()).isEqualTo(180);
        FailoverSample early = sample(2, 26.5, 30.0);
        FailoverSample earlyWithoutElection = sample(3, null, 100.0);

        assertThat(FailoverReport.early(s, early)).isTrue();
        assertThat(FailoverReport.early(s, earlyWithoutElection)).isTrue();
        assertThat(FailoverReport.early(s, sample(4, 180.0, 200.0))).isFalse();
        assertThat(FailoverReport.line(s, early)).endsWith("(*) too early to be caused by the kill" + System.lineSeparator());

        String text = FailoverReport.summary(s, List.of(sample(1, 400.0, 420.0), early, earlyWithoutElection));
        assertThat(text).contains("1 of 1 kills acknowledged", "median   420.0 ms", "(*) 2 kill(s) left out: a new leader within 180 ms");
    }

    @Test
    void electionsBetweenKillsAreCountedFromTheTerms() {
        List<FailoverSample> samples = List.of(
                new FailoverSample(1, 1, 2, 3, 3, 400.0, 410.0, 3, Map.of()),   // 2 -> 3
                new FailoverSample(2, 3, 5, 2, 7, 900.0, 950.0, 2, Map.of()),   // term 5 at the kill: 2 elections without one
                new FailoverSample(3, 2, 7, 0, 0, null, null, 0, Map.of()),     // nothing seen
                new FailoverSample(4, 4, 9, 5, 10, 400.0, 410.0, 5, Map.of())); // after an unseen leader: not counted

        assertThat(FailoverReport.electionsWithoutAKill(samples)).isEqualTo(2);
        assertThat(FailoverReport.summary(settings(true), samples)).contains("note: 2 leader election(s) between kills");
        assertThat(FailoverReport.electionsWithoutAKill(samples.subList(0, 1))).isZero();
    }

    @Test
    void jsonHasEverySampleAndTheSummary() throws Exception {
        JsonNode root = new ObjectMapper().readTree(FailoverReport.json(settings(true),
                List.of(sample(1, 400.0, 420.0), sample(2, null, null))));

        assertThat(root.at("/settings/electionTimeoutMs/1").asInt()).isEqualTo(600);
        assertThat(root.at("/samples").size()).isEqualTo(2);
        assertThat(root.at("/samples/0/firstAckMs").asDouble()).isEqualTo(420.0);
        assertThat(root.at("/samples/1/firstAckMs").isNull()).isTrue();
        assertThat(root.at("/summary/acked").asInt()).isEqualTo(1);
        assertThat(root.at("/summary/totalMs/median").asDouble()).isEqualTo(420.0);
    }
}
