package dev.ballot.testkit.chaos;

import java.time.Duration;
import java.util.Locale;
import java.util.Random;

/**
 * The loss and delay every proxied frame is subject to, shared by all links, and the seeded
 * {@link Random} that decides them. Thread-safe.
 */
final class FrameFaults {

    /** What happens to one frame. */
    record Verdict(boolean dropped, long delayNanos) {}

    private static final Verdict PASS = new Verdict(false, 0);
    private static final Verdict DROP = new Verdict(true, 0);

    private final Random random;
    private double loss;
    private Duration minDelay = Duration.ZERO;
    private Duration maxDelay = Duration.ZERO;
    private long dropped;

    FrameFaults(long seed) {
        this.random = new Random(seed);
    }

    synchronized void setLoss(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("loss probability must be in [0, 1], got " + probability);
        }
        loss = probability;
    }

    synchronized void setDelay(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("delay needs 0 <= min <= max, got " + min + " and " + max);
        }
        minDelay = min;
        maxDelay = max;
    }

    synchronized void clear() {
        loss = 0;
        minDelay = Duration.ZERO;
        maxDelay = Duration.ZERO;
    }

    /** Draws the fate of the next frame; a frame that must not be lost is only delayed. */
    synchronized Verdict next(boolean droppable) {
        if (droppable && loss > 0 && random.nextDouble() < loss) {
            dropped++;
            return DROP;
        }
        if (maxDelay.isZero()) return PASS;
        long min = minDelay.toNanos();
        long max = maxDelay.toNanos();
        return new Verdict(false, min == max ? min : min + random.nextLong(max - min + 1));
    }

    /** Frames dropped so far. */
    synchronized long dropped() {
        return dropped;
    }

    /** "loss 0.10; delay 5-50ms", the parts that are in force, or an empty string. */
    synchronized String describe() {
        StringBuilder sb = new StringBuilder();
        if (loss > 0) sb.append(String.format(Locale.ROOT, "loss %.2f", loss));
        if (!maxDelay.isZero()) {
            if (!sb.isEmpty()) sb.append("; ");
            sb.append("delay ").append(minDelay.toMillis()).append('-').append(maxDelay.toMillis()).append("ms");
        }
        return sb.toString();
    }
}
