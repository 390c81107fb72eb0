package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.CheckResult;
import dev.ballot.testkit.lin.EventType;
import dev.ballot.testkit.lin.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunReportTest {

    @Test
    void anUndecidedCheckerIsReportedAsUnknownNotAsAPass() {
        CheckOutcome unknown = ChaosRun.linearizability(new CheckResult(Verdict.UNKNOWN, null, List.of(), "budget of 60 s ran out on key r1"));
        assertThat(unknown.status()).isEqualTo(CheckOutcome.Status.UNKNOWN);
        assertThat(unknown.passed()).isFalse();
        assertThat(unknown.detail()).contains("UNKNOWN", "budget of 60 s ran out");
        CheckOutcome bad = ChaosRun.linearizability(new CheckResult(Verdict.NOT_LINEARIZABLE, "r2", List.of("op"), "key r2\nmore"));
        assertThat(bad.status()).isEqualTo(CheckOutcome.Status.FAIL);
        assertThat(bad.detail()).isEqualTo("NOT_LINEARIZABLE (key r2): key r2");
        assertThat(ChaosRun.linearizability(new CheckResult(Verdict.LINEARIZABLE, null, List.of(), "ok")).passed()).isTrue();
    }

    @Test
    void theSummaryNamesTheSeedPlanReproductionChecksFaultsAndDigests() {
        ChaosOptions options = ChaosOptions.defaults().withNodes(3).withSeed(42).withPlan("kill-leader@2s,restart@5s");
        CheckResult lin = new CheckResult(Verdict.NOT_LINEARIZABLE, "r1", List.of("{:process 3, :type :ok, :f :read, :value \"5\"}"),
                "key r1: the read of 5 cannot follow the write of 6");
        List<CheckOutcome> checks = List.of(ChaosRun.linearizability(lin), CheckOutcome.pass("replicas identical", "3 nodes"));
        LatencyStats stats = LatencyStats.of(List.of(new OpSample("read", 0, 2_000_000, EventType.OK),
                new OpSample("write", 0, 1_000_000_000, EventType.INFO)));
        String summary = RunReport.summary(new RunReport.Contents(options, Plan.format(options.steps()), checks, lin, stats,
                List.of(new FaultWindow(FaultFamily.KILL, "kill n2 (leader)", 2_000_000_000L, 5_000_000_000L)),
                List.of(), "120 ms", Map.of(1L, new ChaosCluster.Digest(77, "abc")), Map.of(1L, Path.of("n1.log")), List.of(), List.of(), 6_000_000_000L));

        assertThat(summary).contains("seed:      42", "plan:      kill-leader@2s,restart@5s", "reproduce: ./ballot chaos",
                "FAIL  linearizable: NOT_LINEARIZABLE (key r1)", "PASS  replicas identical: 3 nodes",
                "ops: 1 ok, 0 fail, 1 info", "time to recover after healing: 120 ms",
                "operations involved (key r1):", ":f :read", "2.000s -    5.000s  kill      kill n2 (leader)",
                "n1: applied 77, sha256 abc", "n1: n1.log");
        assertThat(stats.p50Micros()).isBetween(1_990L, 2_010L);
    }
}
