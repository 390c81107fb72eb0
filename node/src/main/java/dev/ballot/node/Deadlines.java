package dev.ballot.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Runs a request's timeout action if its future is not done {@code timeoutNanos} after it was
 * watched. Every request gets the same timeout, so deadlines come in the order requests are
 * watched: one FIFO, swept on every tick of the node loop, does the work of a timer per request.
 * A timeout fires up to one tick late. Owned by the node loop; the clock is a seam for simulation.
 */
final class Deadlines {

    private static final Logger log = LoggerFactory.getLogger(Deadlines.class);

    private record Watched(long deadline, CompletableFuture<?> future, Runnable onTimeout) {}

    private final long timeoutNanos;
    private final LongSupplier clock;
    private final ArrayDeque<Watched> watching = new ArrayDeque<>();

    Deadlines(long timeoutNanos, LongSupplier clock) {
        this.timeoutNanos = timeoutNanos;
        this.clock = clock;
    }

    /** Runs {@code onTimeout} at a sweep after the deadline unless {@code future} is done by then. */
    void watch(CompletableFuture<?> future, Runnable onTimeout) {
        watching.add(new Watched(clock.getAsLong() + timeoutNanos, future, onTimeout));
    }

    /** Fires every timeout that is due and forgets answered requests at the head of the line. */
    void sweep() {
        long now = clock.getAsLong();
        Watched w;
        while ((w = watching.peek()) != null) {
            if (!w.future().isDone()) {
                if (now - w.deadline() < 0) return;
                try {
                    w.onTimeout().run();
                } catch (RuntimeException e) {
                    log.error("a request's timeout action failed", e);
                }
            }
            watching.poll();
        }
    }

    int size() {
        return watching.size();
    }
}
