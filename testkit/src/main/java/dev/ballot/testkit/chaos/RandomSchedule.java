package dev.ballot.testkit.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a nemesis plan from a seed: one fault at a time, a family picked at random among those
 * enabled, held for 0.5-1 fault intervals (at least {@link #MIN_HOLD}, so a pause outlasts any
 * election timeout), then ended and followed by a quiet 0.5-1 interval. The first fault starts one
 * interval in, so the cluster has a leader and a workload first. Same seed, same plan.
 */
public final class RandomSchedule {

    static final Duration MIN_HOLD = Duration.ofSeconds(1);

    private RandomSchedule() {}

    public static List<Step> generate(long seed, List<FaultFamily> families, Duration timeLimit, Duration interval) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("the fault interval must be positive, got " + interval);
        List<Step> steps = new ArrayList<>();
        if (families.isEmpty()) return steps;
        SplittableRandom random = new SplittableRandom(seed);
        long limit = timeLimit.toMillis();
        long every = interval.toMillis();
        long t = every;
        while (t < limit) {
            FaultFamily family = families.get(random.nextInt(families.size()));
            steps.add(start(family, t, random));
            long hold = Math.max(MIN_HOLD.toMillis(), every / 2 + random.nextLong(every / 2 + 1));
            long end = Math.min(t + hold, limit);
            steps.add(new Step(end, FaultAction.endOf(family), null));
            t = end + every / 2 + random.nextLong(every / 2 + 1);
        }
        return steps;
    }

    private static Step start(FaultFamily family, long at, SplittableRandom random) {
        return switch (family) {
            case KILL -> new Step(at, random.nextBoolean() ? FaultAction.KILL_LEADER : FaultAction.KILL, null);
            case PAUSE -> new Step(at, random.nextBoolean() ? FaultAction.PAUSE_LEADER : FaultAction.PAUSE, null);
            case PARTITION -> {
                FaultAction[] shapes = {FaultAction.PARTITION_LEADER, FaultAction.PARTITION_RANDOM,
                        FaultAction.PARTITION_BRIDGE, FaultAction.PARTITION_RING};
                yield new Step(at, shapes[random.nextInt(shapes.length)], null);
            }
            // 10-30% loss, in whole percents so the plan prints exactly.
            case LOSS -> new Step(at, FaultAction.LOSS, "0." + (10 + random.nextInt(21)));
            case DELAY -> {
                long min = 5 + random.nextInt(11);
                long max = 30 + random.nextInt(21);
                yield new Step(at, FaultAction.DELAY, min + "-" + max);
            }
        };
    }
}
