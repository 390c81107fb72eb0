package dev.ballot.node.transport;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential reconnect backoff with "equal jitter": the n-th delay is drawn uniformly from
 * [d/2, d] where d = min(max, min * 2^n), so peers that lost a node at the same moment do not
 * all redial it in lock step. Not thread-safe: each link uses its own from its event loop.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private long nextMillis;

    Backoff(Duration min, Duration max, RandomGenerator random) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        if (minMillis < 1 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 1ms <= min <= max, was min " + min + ", max " + max);
        }
        this.random = random;
        this.nextMillis = minMillis;
    }

    /** The delay before the next attempt, in milliseconds; grows the one after. */
    long nextDelayMillis() {
        long d = nextMillis;
        nextMillis = Math.min(maxMillis, d * 2);
        long half = d / 2;
        return d - half + random.nextLong(half + 1);
    }

    /** After a successful connection: start again from the minimum. */
    void reset() {
        nextMillis = minMillis;
    }
}
