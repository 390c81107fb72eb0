package dev.ballot.bench.peers;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human-readable tables (one per K), the CSV, and the fsync check's table. */
public final class Report {

    private Report() {
    }

    public static String tables(List<Integer> ks, List<SystemResult> systems, String header) {
        StringBuilder out = new StringBuilder();
        for (int k : ks) {
            out.append('\n').append("K = ").append(k).append("  (").append(header).append(")\n");
            out.append(String.format(Locale.ROOT, "%-58s %10s %9s %9s %9s %9s %7s %9s%n", "system", "writes/s",
                    "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "elections"));
            for (SystemResult s : systems) {
                KResult r = s.results().stream().filter(x -> x.k() == k).findFirst().orElse(null);
                if (r == null) {
                    out.append(String.format(Locale.ROOT, "%-58s %10s%n", s.label(),
                            s.failure() != null ? "failed" : "not run"));
                    continue;
                }
                out.append(String.format(Locale.ROOT, "%-58s %,10.0f %9.2f %9.2f %9.2f %9.2f %7d %9d%n", s.label(),
                        r.writesPerSecond(), r.p50Ms(), r.p99Ms(), r.p999Ms(), r.maxMs(), r.errors(), r.termChanges()));
            }
        }
        out.append('\n');
        for (SystemResult s : systems) {
            out.append(String.format(Locale.ROOT, "%-13s %s; load average %.1f before, %.1f after%n",
                    s.system() + ":", s.check(), s.loadBefore(), s.loadAfter()));
            if (s.failure() != null) out.append(String.format(Locale.ROOT, "%-13s FAILED: %s%n", "", s.failure()));
            for (KResult r : s.results()) {
                if (r.firstError() != null) {
                    out.append(String.format(Locale.ROOT, "%-13s K=%d first error: %s%n", "", r.k(), r.firstError()));
                }
            }
        }
        return out.toString();
    }

    public static String csv(List<SystemResult> systems) {
        StringBuilder out = new StringBuilder(
                "system,label,k,writes,seconds,writes_per_s,p50_ms,p99_ms,p999_ms,max_ms,mean_ms,errors,term_changes\n");
        for (SystemResult s : systems) {
            for (KResult r : s.results()) {
                out.append(String.format(Locale.ROOT, "%s,\"%s\",%d,%d,%.3f,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d%n",
                        s.system(), s.label().replace("\"", "'"), r.k(), r.writes(), r.seconds(), r.writesPerSecond(),
                        r.p50Ms(), r.p99Ms(), r.p999Ms(), r.maxMs(), r.meanMs(), r.errors(), r.termChanges()));
            }
        }
        return out.toString();
    }

    /** One system's fsync check; {@code windows} from {@link FsyncTrace#parse}. */
    public static String fsync(SystemResult s, Map<Integer, FsyncTrace.Window> windows) {
        StringBuilder out = new StringBuilder();
        out.append(s.label()).append('\n');
        for (KResult r : s.results()) {
            FsyncTrace.Window w = windows.get(r.k());
            if (w == null) {
                out.append(String.format(Locale.ROOT, "  K=%d: no complete measured window in the trace%n", r.k()));
                continue;
            }
            long writes = r.markerWrites();
            out.append(String.format(Locale.ROOT, "  K=%d: %d writes acknowledged in the %.1f s window%n", r.k(),
                    writes, r.seconds()));
            double total = 0;
            for (int node = 1; node <= 3; node++) {
                long n = w.perNode().getOrDefault(node, 0L);
                double perWrite = writes == 0 ? 0 : (double) n / writes;
                total += perWrite;
                out.append(String.format(Locale.ROOT, "    node-%d: %7d fsync/fdatasync/msync = %.2f per write%n",
                        node, n, perWrite));
            }
            for (Map.Entry<String, Long> e : w.perFile().entrySet()) {
                out.append(String.format(Locale.ROOT, "      %-60s %7d%n", e.getKey(), e.getValue()));
            }
            for (Map.Entry<String, Long> e : w.other().entrySet()) {
                out.append(String.format(Locale.ROOT, "      other: %-53s %7d%n", e.getKey(), e.getValue()));
            }
            if (r.k() == 1) {
                // With one write in flight the next write is sent only after the previous one was
                // acknowledged, so the syncs of the majority (2 of 3 nodes) that acknowledged it cannot be
                // shared with the next write: at least 2 syncs per write in total (a lagging third node
                // may batch). Necessary, not sufficient: counting cannot show the order.
                out.append(total >= 1.95
                        ? String.format(Locale.ROOT, "    => K=1: %.2f syncs per write over the 3 nodes (>= 2 needed for a "
                                + "majority to sync every write): consistent%n", total)
                        : String.format(Locale.ROOT, "    => K=1: %.2f syncs per write over the 3 nodes: FEWER than the 2 "
                                + "a majority needs: NOT durable before acknowledgement%n", total));
            }
        }
        return out.toString();
    }
}
