package dev.ballot.bench.peers;

import org.HdrHistogram.Histogram;

/**
 * One system at one K: what the measured window saw. Latencies in milliseconds.
 *
 * @param markerWrites in --verify-fsync runs, the writes acknowledged between the two marker
 *                     fsyncs (the window), else 0
 * @param termChanges  how much the highest term grew during the window: elections that disturbed it
 */
public record KResult(int k, long writes, double seconds, double writesPerSecond, double p50Ms, double p99Ms,
                      double p999Ms, double maxMs, double meanMs, long errors, String firstError, long markerWrites,
                      long termChanges) {

    public static KResult of(int k, ClosedLoop.Outcome o, boolean markers, long termChanges) {
        Histogram h = o.histogram();
        long n = h.getTotalCount();
        return new KResult(k, n, o.seconds(), n / o.seconds(), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                n == 0 ? 0 : h.getMean() / 1e6, o.errors(), o.firstError(), markers ? n : 0, termChanges);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
