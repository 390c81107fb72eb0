package dev.ballot.bench.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Formats a {@link LoadResult}: plain text for people, JSON for scripts. */
public final class LoadReport {

    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private LoadReport() {}

    public static String text(LoadResult r) {
        LoadOptions o = r.options();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT,
                "parameters: host=%s ports=%s clients=%d pipeline=%d value-size=%d read-ratio=%.2f keys=%d "
                        + "key-size=%d %s warmup=%.1fs seed=%d%n",
                o.host(), o.ports().stream().map(String::valueOf).collect(Collectors.joining(",")),
                o.clients(), o.pipeline(), o.valueSize(), o.readRatio(), o.keys(), o.keySize(),
                o.requests() > 0 ? "requests=" + o.requests() : "duration=" + seconds(o.duration().toMillis()) + "s",
                o.warmup().toMillis() / 1000.0, o.seed()));
        b.append(String.format(Locale.ROOT, "total ops: %d in %.2f s%n", r.totalOps(), r.seconds()));
        b.append(String.format(Locale.ROOT, "ops/s: %.1f (successful: %.1f)%n", r.opsPerSecond(), r.okOpsPerSecond()));
        b.append("errors: ").append(r.errors());
        if (!r.errorsByKind().isEmpty()) {
            b.append(' ').append(new TreeMap<>(r.errorsByKind()));
        }
        b.append(System.lineSeparator());
        b.append("connection failures: ").append(r.connectionFailureCount());
        if (!r.connectionFailures().isEmpty()) {
            b.append(' ').append(new TreeMap<>(r.connectionFailures()));
        }
        b.append(", lost commands: ").append(r.lostCommands()).append(System.lineSeparator());
        b.append("latency ms:");
        for (double p : PERCENTILES) {
            b.append(String.format(Locale.ROOT, " p%s=%.3f", label(p), r.latencyMillis(p)));
        }
        b.append(String.format(Locale.ROOT, " max=%.3f%n", r.maxLatencyMillis()));
        return b.toString();
    }

    public static String json(LoadResult r) {
        LoadOptions o = r.options();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("host", o.host());
        parameters.put("ports", o.ports());
        parameters.put("clients", o.clients());
        parameters.put("pipeline", o.pipeline());
        parameters.put("valueSize", o.valueSize());
        parameters.put("readRatio", o.readRatio());
        parameters.put("keys", o.keys());
        parameters.put("keySize", o.keySize());
        parameters.put("durationSeconds", o.duration().toMillis() / 1000.0);
        parameters.put("warmupSeconds", o.warmup().toMillis() / 1000.0);
        parameters.put("requests", o.requests());
        parameters.put("seed", o.seed());
        Map<String, Object> latency = new LinkedHashMap<>();
        for (double p : PERCENTILES) {
            latency.put("p" + label(p), r.latencyMillis(p));
        }
        latency.put("max", r.maxLatencyMillis());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("parameters", parameters);
        root.put("totalOps", r.totalOps());
        root.put("seconds", r.seconds());
        root.put("opsPerSecond", r.opsPerSecond());
        root.put("okOpsPerSecond", r.okOpsPerSecond());
        root.put("errors", r.errors());
        root.put("errorsByKind", new TreeMap<>(r.errorsByKind()));
        root.put("connectionFailures", r.connectionFailureCount());
        root.put("connectionFailuresByReason", new TreeMap<>(r.connectionFailures()));
        root.put("lostCommands", r.lostCommands());
        root.put("latencyMillis", latency);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON report", e);
        }
    }

    /** "50", "99.9": no trailing ".0". */
    private static String label(double percentile) {
        return percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0);
    }
}
