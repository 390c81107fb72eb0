package dev.ballot.testkit.sim;

import java.util.random.RandomGenerator;

/**
 * Runs an action again and again in simulated time, with a random pause in
 * [minGapMillis, maxGapMillis] before each run, until stopped. Start and stop may alternate; a
 * run scheduled before a stop is void even if the activity was started again since.
 */
final class Recurring {

    private final Simulation sim;
    private final RandomGenerator random;
    private final long minGapMillis;
    private final long maxGapMillis;
    private final String label;
    private final Runnable action;
    private boolean running;
    private int generation;

    Recurring(Simulation sim, RandomGenerator random, long minGapMillis, long maxGapMillis, String label,
              Runnable action) {
        this.sim = sim;
        this.random = random;
        this.minGapMillis = minGapMillis;
        this.maxGapMillis = maxGapMillis;
        this.label = label;
        this.action = action;
    }

    void start() {
        if (running) return;
        running = true;
        scheduleNext(++generation);
    }

    void stop() {
        running = false;
        generation++;
    }

    private void scheduleNext(int g) {
        long gap = minGapMillis + random.nextLong(maxGapMillis - minGapMillis + 1);
        sim.schedule(gap, label, () -> {
            if (g != generation) return;
            action.run();
            scheduleNext(g);
        });
    }
}
