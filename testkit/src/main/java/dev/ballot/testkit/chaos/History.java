package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.Event;
import dev.ballot.testkit.lin.EventType;

import java.util.ArrayList;
import java.util.List;

/**
 * The run's client history: an append-only, thread-safe recorder of {@link Event}s stamped with
 * {@link System#nanoTime()} relative to the run's start, plus one {@link OpSample} per completed
 * operation. Events are appended under one lock, so their order is the order of their times.
 */
public final class History {

    private final long originNanos;
    private final List<Event> events = new ArrayList<>();
    private final List<OpSample> samples = new ArrayList<>();
    private long ok;
    private long failed;
    private long indeterminate;

    /** Operations completed so far, by outcome. */
    public record Counts(long ok, long fail, long info) {}

    /** @param originNanos the {@link System#nanoTime()} of the run's start */
    public History(long originNanos) {
        this.originNanos = originNanos;
    }

    /** Records the invocation of {@code op} by {@code process}; returns its time (relative). */
    public synchronized long invoke(int process, Op op) {
        long now = now();
        events.add(new Event(process, EventType.INVOKE, op.f(), op.key(), op.value(), op.expected(), now));
        return now;
    }

    /**
     * Records the outcome of the operation {@code process} invoked at {@code invokedAt}.
     *
     * @param value for an OK read the value read; otherwise the op's own value
     */
    public synchronized void complete(int process, Op op, EventType outcome, String value, long invokedAt) {
        if (outcome == EventType.INVOKE) {
            throw new IllegalArgumentException("an outcome must be OK, FAIL or INFO, not INVOKE");
        }
        long now = now();
        events.add(new Event(process, outcome, op.f(), op.key(), value, op.expected(), now));
        samples.add(new OpSample(op.f(), invokedAt, now - invokedAt, outcome));
        switch (outcome) {
            case OK -> ok++;
            case FAIL -> failed++;
            default -> indeterminate++;
        }
    }

    /** How many operations completed so far, by outcome (cheap: for progress lines). */
    public synchronized Counts counts() {
        return new Counts(ok, failed, indeterminate);
    }

    /** Nanoseconds since the run's start. */
    public long now() {
        return System.nanoTime() - originNanos;
    }

    public long originNanos() {
        return originNanos;
    }

    /** A snapshot of the events so far, in order. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** A snapshot of the completed operations so far, in completion order. */
    public synchronized List<OpSample> samples() {
        return List.copyOf(samples);
    }
}
