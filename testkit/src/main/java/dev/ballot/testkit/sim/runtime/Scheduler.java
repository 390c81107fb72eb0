package dev.ballot.testkit.sim.runtime;

import java.util.PriorityQueue;

/**
 * Virtual time for a whole simulated cluster: one queue of timed events, run one at a time in
 * time order (ties in the order they were scheduled). Nothing runs concurrently, so a run is a
 * pure function of its seed. Time is in nanoseconds, like {@link System#nanoTime}.
 */
final class Scheduler {

    private record Timed(long at, long seq, Runnable task) {}

    private final PriorityQueue<Timed> queue = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private Runnable afterEach = () -> {};
    private long now;
    private long seq;
    private long executed;

    long now() {
        return now;
    }

    /** Events run so far. */
    long executed() {
        return executed;
    }

    /** Runs {@code check} after every event (the invariants). */
    void afterEach(Runnable check) {
        this.afterEach = check;
    }

    void at(long time, Runnable task) {
        queue.add(new Timed(Math.max(time, now), seq++, task));
    }

    void after(long delayNanos, Runnable task) {
        at(now + delayNanos, task);
    }

    /** Runs every event due up to {@code time} (and those they schedule up to it), then sets the clock there. */
    void runUntil(long time) {
        Timed t;
        while ((t = queue.peek()) != null && t.at <= time) {
            queue.poll();
            now = t.at;
            executed++;
            t.task.run();
            afterEach.run();
        }
        now = Math.max(now, time);
    }
}
