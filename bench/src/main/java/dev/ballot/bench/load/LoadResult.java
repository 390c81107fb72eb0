package dev.ballot.bench.load;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The merged outcome of a run.
 *
 * @param totalOps           replies received in the measurement window (error replies included)
 * @param errorsByKind       error replies by kind (first word), plus {@value LoadClient#UNEXPECTED_REPLY}
 * @param connectionFailures failed connects and broken connections by reason, whole run
 * @param lostCommands       measured commands whose connection failed before their reply
 * @param seconds            length of the measurement window (to the last reply with --requests)
 * @param latencyMicros      every counted reply's latency, in microseconds
 */
public record LoadResult(
        LoadOptions options,
        long totalOps,
        Map<String, Long> errorsByKind,
        Map<String, Long> connectionFailures,
        long lostCommands,
        double seconds,
        Histogram latencyMicros) {

    public LoadResult {
        errorsByKind = Map.copyOf(errorsByKind);
        connectionFailures = Map.copyOf(connectionFailures);
    }

    public long errors() {
        return errorsByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    public long connectionFailureCount() {
        return connectionFailures.values().stream().mapToLong(Long::longValue).sum();
    }

    public double opsPerSecond() {
        return seconds > 0 ? totalOps / seconds : 0;
    }

    /** Successful replies per second: what the server actually did for the clients. */
    public double okOpsPerSecond() {
        return seconds > 0 ? (totalOps - errors()) / seconds : 0;
    }

    /** The latency at {@code percentile} (0..100) in milliseconds; 0 when nothing was measured. */
    public double latencyMillis(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxLatencyMillis() {
        return latencyMicros.getMaxValue() / 1000.0;
    }
}
