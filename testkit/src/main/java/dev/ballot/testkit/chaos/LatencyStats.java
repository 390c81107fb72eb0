package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.EventType;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * Operation counts and latency percentiles of a run. Percentiles are over the operations whose
 * outcome is known (OK or FAIL); an INFO's "latency" is mostly the client's timeout.
 */
public record LatencyStats(long ok, long fail, long info, long p50Micros, long p99Micros, long p999Micros, long maxMicros) {

    public static LatencyStats of(List<OpSample> samples) {
        Histogram histogram = new Histogram(3);
        long ok = 0;
        long fail = 0;
        long info = 0;
        for (OpSample s : samples) {
            switch (s.outcome()) {
                case OK -> ok++;
                case FAIL -> fail++;
                case INFO -> info++;
                case INVOKE -> throw new IllegalArgumentException("a sample's outcome cannot be INVOKE");
            }
            if (s.outcome() != EventType.INFO) histogram.recordValue(Math.max(0, s.latencyNanos() / 1000));
        }
        boolean empty = histogram.getTotalCount() == 0;
        return new LatencyStats(ok, fail, info,
                empty ? 0 : histogram.getValueAtPercentile(50),
                empty ? 0 : histogram.getValueAtPercentile(99),
                empty ? 0 : histogram.getValueAtPercentile(99.9),
                empty ? 0 : histogram.getMaxValue());
    }

    public String describe() {
        return String.format(Locale.ROOT, "ops: %d ok, %d fail, %d info; latency (ok+fail) p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                ok, fail, info, p50Micros / 1e3, p99Micros / 1e3, p999Micros / 1e3, maxMicros / 1e3);
    }
}
