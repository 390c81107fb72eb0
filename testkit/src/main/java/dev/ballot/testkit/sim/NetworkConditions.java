package dev.ballot.testkit.sim;

/**
 * How the simulated network treats each message. Delays are in virtual milliseconds and drawn
 * uniformly from {@code [minDelayMillis, maxDelayMillis]}, so reordering falls out of them; a
 * {@code longDelayRate} share of messages is instead held up to {@code longDelayMaxMillis}
 * (stale messages arriving long after the fact).
 *
 * @param minDelayMillis     shortest delivery delay (&gt;= 0)
 * @param maxDelayMillis     longest normal delivery delay (&gt;= min)
 * @param lossRate           probability that a message is dropped
 * @param duplicateRate      probability that a message is delivered twice (each copy with its own delay)
 * @param longDelayRate      probability that a message is delayed up to {@code longDelayMaxMillis}
 * @param longDelayMaxMillis longest delay of a long-delayed message
 */
public record NetworkConditions(int minDelayMillis, int maxDelayMillis, double lossRate, double duplicateRate,
                                double longDelayRate, int longDelayMaxMillis) {

    public NetworkConditions {
        if (minDelayMillis < 0 || maxDelayMillis < minDelayMillis) {
            throw new IllegalArgumentException("need 0 <= minDelay <= maxDelay, got " + minDelayMillis + ".."
                    + maxDelayMillis);
        }
        checkRate("lossRate", lossRate);
        checkRate("duplicateRate", duplicateRate);
        checkRate("longDelayRate", longDelayRate);
        if (longDelayRate > 0 && longDelayMaxMillis < maxDelayMillis) {
            throw new IllegalArgumentException("longDelayMaxMillis (" + longDelayMaxMillis
                    + ") must be >= maxDelayMillis (" + maxDelayMillis + ")");
        }
    }

    /** Short delays (1–5 ms), nothing lost or duplicated. */
    public static NetworkConditions reliable() {
        return new NetworkConditions(1, 5, 0, 0, 0, 0);
    }

    /** The 6.824 "unreliable" network: 10% loss, 5% duplicates, 1–25 ms delays, 2% held up to 300 ms. */
    public static NetworkConditions unreliable() {
        return new NetworkConditions(1, 25, 0.10, 0.05, 0.02, 300);
    }

    public NetworkConditions withLoss(double rate) {
        return new NetworkConditions(minDelayMillis, maxDelayMillis, rate, duplicateRate, longDelayRate,
                longDelayMaxMillis);
    }

    public NetworkConditions withDuplicates(double rate) {
        return new NetworkConditions(minDelayMillis, maxDelayMillis, lossRate, rate, longDelayRate,
                longDelayMaxMillis);
    }

    public NetworkConditions withDelays(int min, int max) {
        return new NetworkConditions(min, max, lossRate, duplicateRate, longDelayRate,
                Math.max(longDelayMaxMillis, max));
    }

    public NetworkConditions withLongDelays(double rate, int maxMillis) {
        return new NetworkConditions(minDelayMillis, maxDelayMillis, lossRate, duplicateRate, rate, maxMillis);
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException(name + " must be in [0, 1], was " + rate);
    }
}
