package dev.ballot.testkit.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A discrete-event loop over virtual time (milliseconds). Events due at the same instant run in
 * the order they were scheduled (a sequence number breaks ties), so a run is deterministic.
 */
final class EventLoop {

    record Scheduled(long time, long seq, SimEvent event) {}

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            Comparator.comparingLong(Scheduled::time).thenComparingLong(Scheduled::seq));
    private long now;
    private long seq;

    long now() {
        return now;
    }

    void schedule(long delayMillis, SimEvent event) {
        if (delayMillis < 0) throw new IllegalArgumentException("negative delay " + delayMillis);
        queue.add(new Scheduled(now + delayMillis, seq++, event));
    }

    /** Time of the next event, or {@code Long.MAX_VALUE} if none is scheduled. */
    long nextTime() {
        Scheduled next = queue.peek();
        return next == null ? Long.MAX_VALUE : next.time();
    }

    /** Removes the next event and moves the clock to its time. */
    Scheduled poll() {
        Scheduled next = queue.poll();
        if (next == null) throw new IllegalStateException("no event scheduled");
        now = next.time();
        return next;
    }

    /** Moves the clock forward to {@code time} (never past a scheduled event). */
    void advanceTo(long time) {
        if (time < now) throw new IllegalArgumentException("time " + time + " is before now " + now);
        if (time > nextTime()) throw new IllegalStateException("an event is due before " + time);
        now = time;
    }

    int pending() {
        return queue.size();
    }
}
