package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.CheckResult;
import dev.ballot.testkit.lin.Event;
import dev.ballot.testkit.lin.HistoryFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a run's results directory: summary.txt, history.edn, nemesis.log and latency.svg. */
final class RunReport {

    /** Everything the report shows. */
    record Contents(ChaosOptions options, String plan, List<CheckOutcome> checks, CheckResult linearizability,
                    LatencyStats stats, List<FaultWindow> windows, List<String> nemesisLines, String recovery,
                    Map<Long, ChaosCluster.Digest> digests, Map<Long, Path> nodeLogs, List<Event> history,
                    List<OpSample> samples, long durationNanos) {}

    private RunReport() {}

    static void write(Path dir, Contents c) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.txt"), summary(c));
        Files.write(dir.resolve("nemesis.log"), c.nemesisLines());
        Files.writeString(dir.resolve("latency.svg"), LatencyChart.render(
                "Ballot chaos run, seed " + c.options().seed() + " (" + c.options().workload() + ", " + c.options().nodes() + " nodes)",
                c.samples(), c.windows(), c.durationNanos()));
        HistoryFiles.writeEdn(c.history(), dir.resolve("history.edn"));
    }

    static String summary(Contents c) {
        StringBuilder s = new StringBuilder();
        ChaosOptions o = c.options();
        s.append("Ballot chaos run\n");
        s.append("seed:      ").append(o.seed()).append('\n');
        s.append("workload:  ").append(o.workload()).append(", ").append(o.clients()).append(" clients, ")
                .append(o.nodes()).append(" nodes, time limit ").append(o.timeLimit()).append('\n');
        s.append("server:    ").append(String.join(" ", o.effectiveServerArgs())).append('\n');
        s.append("plan:      ").append(c.plan()).append('\n');
        s.append("reproduce: ").append(o.reproduceCommand()).append("\n\n");
        s.append("checks:\n");
        for (CheckOutcome check : c.checks()) s.append("  ").append(check).append('\n');
        s.append('\n').append(c.stats().describe()).append('\n');
        s.append("time to recover after healing: ").append(c.recovery()).append("\n\n");
        s.append("linearizability: ").append(c.linearizability().verdict()).append('\n');
        s.append(indent(c.linearizability().explanation())).append('\n');
        if (!c.linearizability().involved().isEmpty()) {
            s.append("  operations involved (key ").append(c.linearizability().failingKey()).append("):\n");
            for (String op : c.linearizability().involved()) s.append("    ").append(op).append('\n');
        }
        s.append("\nfaults:\n");
        for (FaultWindow w : c.windows()) {
            s.append(String.format(Locale.ROOT, "  %8.3fs - %8.3fs  %-9s %s%n", w.startNanos() / 1e9, w.endNanos() / 1e9,
                    w.family().cliName(), w.label()));
        }
        s.append("\ndigests after healing:\n");
        c.digests().forEach((id, d) -> s.append("  n").append(id).append(": applied ").append(d.appliedIndex())
                .append(", sha256 ").append(d.sha256()).append('\n'));
        s.append("\nnode logs:\n");
        c.nodeLogs().forEach((id, path) -> s.append("  n").append(id).append(": ").append(path).append('\n'));
        return s.toString();
    }

    private static String indent(String text) {
        return text == null ? "  (none)" : "  " + text.replace("\n", "\n  ");
    }
}
