package dev.ballot.testkit.chaos;

import java.time.Duration;

/**
 * One step of a nemesis plan: do {@code action} (with its optional argument) {@code atMillis}
 * after the run's start. Written as {@code action[:arg]@time}, e.g. {@code kill:3@2s}.
 *
 * @param arg a node id for kill / pause, a probability for loss, {@code MIN-MAX} milliseconds for
 *            delay; null for the default (a random node, 20% loss, 5-50 ms)
 */
public record Step(long atMillis, FaultAction action, String arg) {

    public Step {
        if (atMillis < 0) throw new IllegalArgumentException("a step's time must not be negative, got " + atMillis + " ms");
        if (arg != null) validateArg(action, arg);
    }

    public Duration at() {
        return Duration.ofMillis(atMillis);
    }

    /** The node a kill or pause names, if any. */
    public Long node() {
        return arg == null ? null : Long.parseLong(arg);
    }

    /** The loss probability of a loss step. */
    public double lossProbability() {
        return arg == null ? 0.2 : Double.parseDouble(arg);
    }

    /** {min, max} of a delay step, in milliseconds. */
    public long[] delayRangeMillis() {
        if (arg == null) return new long[] {5, 50};
        String[] parts = arg.split("-");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    @Override
    public String toString() {
        return action.planName() + (arg == null ? "" : ":" + arg) + "@" + Plan.formatTime(atMillis);
    }

    private static void validateArg(FaultAction action, String arg) {
        String where = action.planName() + ":" + arg;
        try {
            switch (action) {
                case KILL, PAUSE -> {
                    if (Long.parseLong(arg) < 1) throw new IllegalArgumentException(where + ": node ids start at 1");
                }
                case LOSS -> {
                    double p = Double.parseDouble(arg);
                    if (!(p > 0 && p <= 1)) throw new IllegalArgumentException(where + ": the loss must be in (0, 1]");
                }
                case DELAY -> {
                    String[] parts = arg.split("-");
                    if (parts.length != 2) throw new IllegalArgumentException(where + ": write the delay as MIN-MAX milliseconds");
                    long min = Long.parseLong(parts[0]);
                    long max = Long.parseLong(parts[1]);
                    if (min < 0 || max < min) throw new IllegalArgumentException(where + ": need 0 <= MIN <= MAX");
                }
                default -> throw new IllegalArgumentException(where + ": " + action.planName() + " takes no argument");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": not a number", e);
        }
    }
}
