package dev.ballot.bench.failover;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The failover benchmark's output: settings, one line per kill, the summary and the verdict; or JSON. */
public final class FailoverReport {

    /** Issue 10's target, at the default timeouts: median under 500 ms, worst under 1 s. */
    static final double TARGET_MEDIAN_MILLIS = 500;
    static final double TARGET_WORST_MILLIS = 1000;

    private static final String NL = System.lineSeparator();

    private FailoverReport() {}

    public static String settings(FailoverSettings s) {
        return String.format(Locale.ROOT,
                "settings: %d nodes, tick %d ms, election timeout %d ticks = %d ms (randomised up to 2x: %d..%d ms), "
                        + "heartbeat %d ticks = %d ms, fsync %s%s%n"
                        + "          (ballot server --tick-ms %d --election-ticks %d --heartbeat-ticks %d%s)%n"
                        + "load:     one SET every %d ms to each live node; status of each live node polled every %d ms "
                        + "after a kill%n"
                        + "kills:    %d; warm-up %d s; after each restart, wait until every node has caught up, "
                        + "then %d ms; give up on a failover after %d s%n"
                        + "data:     %s (node N logs to N/node.log)%n",
                s.nodes(), s.tickMs(), s.electionTicks(), s.electionMinMillis(), s.electionMinMillis(),
                s.electionMaxMillis(), s.heartbeatTicks(), s.heartbeatMillis(), s.fsync() ? "on" : "off",
                s.defaultTimeouts() ? " (the defaults)" : " (NOT the defaults)",
                s.tickMs(), s.electionTicks(), s.heartbeatTicks(), s.fsync() ? "" : " --no-fsync",
                s.probeInterval().toMillis(), s.pollInterval().toMillis(),
                s.kills(), s.warmup().toSeconds(), s.settle().toMillis(), s.failoverTimeout().toSeconds(), s.baseDir());
    }

    public static String header() {
        return String.format(Locale.ROOT, "%4s  %6s  %5s  %10s  %5s  %11s  %14s  %13s  %9s  %s%n", "kill", "killed", "term",
                "new leader", "term", "election ms", "first write ms", "write part ms", "acked via",
                "probes sent after the kill, until the first ack");
    }

    public static String line(FailoverSettings settings, FailoverSample s) {
        return String.format(Locale.ROOT, "%4d  %6d  %5d  %10s  %5s  %11s  %14s  %13s  %9s  %s%s%n", s.kill(), s.victim(),
                s.oldTerm(), s.newLeader() == 0 ? "-" : Long.toString(s.newLeader()),
                s.newTerm() == 0 ? "-" : Long.toString(s.newTerm()), ms(s.electionMillis()), ms(s.firstAckMillis()),
                ms(s.writePartMillis()), s.ackVia() == 0 ? "-" : "node " + s.ackVia(), counts(s.probesUntilAck()),
                early(settings, s) ? "  (*) too early to be caused by the kill" : "");
    }

    /**
     * Whether a new leader came sooner than an election after the kill could have produced it
     * ({@link FailoverSettings#earliestFailoverMillis()}): such a sample is left out of the summary.
     */
    static boolean early(FailoverSettings settings, FailoverSample s) {
        Double first = s.electionMillis() != null ? s.electionMillis() : s.firstAckMillis();
        return first != null && first < settings.earliestFailoverMillis();
    }

    /**
     * Leaders elected between kills, without one: the terms from the new leader of one kill to the
     * term of the next kill's victim. Each is an election nobody asked for, so followers stopped
     * hearing a live leader (an overloaded machine), and it also disturbs the next sample.
     */
    static long electionsWithoutAKill(List<FailoverSample> samples) {
        long n = 0;
        for (int i = 1; i < samples.size(); i++) {
            long after = samples.get(i - 1).newTerm();
            if (after > 0) n += Math.max(0, samples.get(i).oldTerm() - after);
        }
        return n;
    }

    public static String summary(FailoverSettings settings, List<FailoverSample> samples) {
        List<FailoverSample> counted = samples.stream().filter(s -> !early(settings, s)).toList();
        List<FailoverSample> acked = counted.stream().filter(FailoverSample::acked).toList();
        Summary total = Summary.of(acked.stream().map(FailoverSample::firstAckMillis).toList());
        Summary election = Summary.of(acked.stream().map(FailoverSample::electionMillis).filter(Objects::nonNull).toList());
        Summary write = Summary.of(acked.stream().map(FailoverSample::writePartMillis).filter(Objects::nonNull).toList());
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%ntime from the SIGKILL of the leader to the first write acknowledged by "
                + "a new leader, %d of %d kills acknowledged:%n", acked.size(), counted.size()));
        b.append("  total:                ").append(stats(total)).append(NL);
        b.append("  leader election:      ").append(stats(election))
                .append("   (until a status poll saw a node lead in a later term)").append(NL);
        b.append("  then the first write: ").append(stats(write)).append(NL);
        b.append("  (median: middle sample, or mean of the two middle ones; p90: the ceil(0.9 n)-th smallest; "
                + "worst: the largest)").append(NL);
        int early = samples.size() - counted.size();
        if (early > 0) {
            b.append(String.format(Locale.ROOT, "  (*) %d kill(s) left out: a new leader within %d ms of the kill, sooner "
                    + "than an election timeout allows (%d ticks - %d - 1, at %d ms a tick); its followers had stopped hearing "
                    + "it before the kill%n", early, settings.earliestFailoverMillis(), settings.electionTicks(),
                    settings.heartbeatTicks(), settings.tickMs()));
        }
        long unasked = electionsWithoutAKill(samples);
        if (unasked > 0) {
            b.append(String.format(Locale.ROOT, "  note: %d leader election(s) between kills, without a kill (terms went "
                    + "up): followers missed heartbeats of a live leader, usually an overloaded machine; such a run "
                    + "measures the machine more than the failover%n", unasked));
        }
        int missing = counted.size() - acked.size();
        boolean met = missing == 0 && !acked.isEmpty() && total.median() < TARGET_MEDIAN_MILLIS
                && total.worst() < TARGET_WORST_MILLIS;
        b.append(String.format(Locale.ROOT, "target (issue 10, at the default timeouts): median < %.0f ms and worst < %.0f ms: %s",
                TARGET_MEDIAN_MILLIS, TARGET_WORST_MILLIS, met ? "met" : "NOT met"));
        if (missing > 0) {
            b.append(String.format(Locale.ROOT, " (%d kill(s) without an acknowledged write within %d s)", missing,
                    settings.failoverTimeout().toSeconds()));
        }
        if (!settings.defaultTimeouts()) b.append(" -- but this run did not use the default timeouts");
        b.append(NL);
        return b.toString();
    }

    public static String json(FailoverSettings s, List<FailoverSample> samples) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("nodes", s.nodes());
        settings.put("kills", s.kills());
        settings.put("tickMs", s.tickMs());
        settings.put("electionTicks", s.electionTicks());
        settings.put("electionTimeoutMs", List.of(s.electionMinMillis(), s.electionMaxMillis()));
        settings.put("heartbeatTicks", s.heartbeatTicks());
        settings.put("heartbeatMs", s.heartbeatMillis());
        settings.put("defaultTimeouts", s.defaultTimeouts());
        settings.put("fsync", s.fsync());
        settings.put("warmupSeconds", s.warmup().toSeconds());
        settings.put("probeIntervalMs", s.probeInterval().toMillis());
        settings.put("pollIntervalMs", s.pollInterval().toMillis());
        settings.put("settleMs", s.settle().toMillis());
        settings.put("failoverTimeoutSeconds", s.failoverTimeout().toSeconds());
        settings.put("earliestFailoverMs", s.earliestFailoverMillis());
        List<FailoverSample> counted = samples.stream().filter(x -> !early(s, x)).toList();
        List<FailoverSample> acked = counted.stream().filter(FailoverSample::acked).toList();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("counted", counted.size());
        summary.put("acked", acked.size());
        summary.put("leftOutAsEarly", samples.size() - counted.size());
        summary.put("electionsWithoutAKill", electionsWithoutAKill(samples));
        summary.put("totalMs", asMap(Summary.of(acked.stream().map(FailoverSample::firstAckMillis).toList())));
        summary.put("electionMs", asMap(Summary.of(
                acked.stream().map(FailoverSample::electionMillis).filter(Objects::nonNull).toList())));
        summary.put("writePartMs", asMap(Summary.of(
                acked.stream().map(FailoverSample::writePartMillis).filter(Objects::nonNull).toList())));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("settings", settings);
        root.put("samples", samples.stream().map(x -> asMap(s, x)).toList());
        root.put("summary", summary);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON report", e);
        }
    }

    private static Map<String, Object> asMap(FailoverSettings settings, FailoverSample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kill", s.kill());
        m.put("killed", s.victim());
        m.put("term", s.oldTerm());
        m.put("newLeader", s.newLeader());
        m.put("newTerm", s.newTerm());
        m.put("electionMs", s.electionMillis());
        m.put("firstAckMs", s.firstAckMillis());
        m.put("writePartMs", s.writePartMillis());
        m.put("ackedVia", s.ackVia());
        m.put("probesUntilAck", new TreeMap<>(s.probesUntilAck()));
        m.put("tooEarly", early(settings, s));
        return m;
    }

    private static Map<String, Object> asMap(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", s.count());
        m.put("median", s.count() == 0 ? null : s.median());
        m.put("p90", s.count() == 0 ? null : s.p90());
        m.put("worst", s.count() == 0 ? null : s.worst());
        return m;
    }

    private static String stats(Summary s) {
        if (s.count() == 0) return "no samples";
        return String.format(Locale.ROOT, "median %7.1f ms   p90 %7.1f ms   worst %7.1f ms   (n=%d)", s.median(), s.p90(),
                s.worst(), s.count());
    }

    private static String ms(Double millis) {
        return millis == null ? "-" : String.format(Locale.ROOT, "%.1f", millis);
    }

    private static String counts(Map<String, Long> counts) {
        if (counts.isEmpty()) return "-";
        return new TreeMap<>(counts).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
