package dev.ballot.bench.failover;

import java.util.Collection;

/**
 * Median, p90 and worst of a few samples (milliseconds), as the failover report gives them.
 *
 * <p>Definitions, chosen so that a reader can check them by hand against the listed samples:
 * the <b>median</b> is the middle sample, or the mean of the two middle ones when there is an
 * even number; <b>p90</b> is the nearest-rank percentile, the ⌈0.9·n⌉-th smallest sample (with
 * 20 samples: the 18th, so the two worst are above it); <b>worst</b> is the largest.
 *
 * @param count how many samples (0: every statistic is NaN)
 */
public record Summary(int count, double median, double p90, double worst) {

    public static Summary of(Collection<Double> samples) {
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        for (double v : sorted) {
            if (Double.isNaN(v)) throw new IllegalArgumentException("a sample is NaN: " + samples);
        }
        int n = sorted.length;
        if (n == 0) return new Summary(0, Double.NaN, Double.NaN, Double.NaN);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(n, median, nearestRank(sorted, 90), sorted[n - 1]);
    }

    /** The ⌈p/100·n⌉-th smallest of the ascending {@code sorted} (1-based), at least the first. */
    static double nearestRank(double[] sorted, double percentile) {
        if (sorted.length == 0) throw new IllegalArgumentException("no samples");
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + percentile);
        }
        // p * n first: exact for whole percentiles, so 90 % of 20 is rank 18, not 18.000000000000004 -> 19.
        int rank = (int) Math.ceil(percentile * sorted.length / 100.0);
        return sorted[Math.max(1, rank) - 1];
    }
}
