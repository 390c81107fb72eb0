package dev.ballot.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a request's timeout action if its future is not done {@code timeout} after it was watched.
 *
 * <p>Every request gets the same timeout, so deadlines arrive in the order requests are watched:
 * one FIFO swept every few milliseconds by one thread does the job of a timer task per request,
 * without a lock and a cancellation per request. A timeout fires up to one sweep interval late.
 * While nothing is watched the thread parks until the next request, so an idle node does not
 * wake up for nothing.
 */
final class Deadlines {

    private static final Logger log = LoggerFactory.getLogger(Deadlines.class);
    private static final long MAX_SWEEP_NANOS = Duration.ofMillis(10).toNanos();
    private static final long MIN_SWEEP_NANOS = Duration.ofMillis(1).toNanos();

    private record Watched(long deadline, CompletableFuture<?> future, Runnable onTimeout) {}

    private final long timeoutNanos;
    private final long sweepNanos;
    private final Inbox<Watched> added = new Inbox<>();
    /** Watched requests in deadline order; only the sweeping thread touches it. */
    private final ArrayDeque<Watched> watching = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean closed;

    Deadlines(Duration timeout, String threadName) {
        this.timeoutNanos = timeout.toNanos();
        this.sweepNanos = Math.max(MIN_SWEEP_NANOS, Math.min(MAX_SWEEP_NANOS, timeoutNanos / 8));
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code onTimeout} on the sweeping thread unless {@code future} is done by the deadline. */
    void watch(CompletableFuture<?> future, Runnable onTimeout) {
        added.add(new Watched(System.nanoTime() + timeoutNanos, future, onTimeout));
    }

    /** Stops the sweeping thread; requests still watched never time out (the server fails them itself). */
    void close() {
        closed = true;
        thread.interrupt();
    }

    private void run() {
        try {
            while (!closed) {
                if (watching.isEmpty()) {
                    watching.add(added.take());
                } else {
                    LockSupport.parkNanos(this, sweepNanos);
                    if (Thread.interrupted()) throw new InterruptedException();
                }
                added.drainTo(watching);
                sweep(System.nanoTime());
            }
        } catch (InterruptedException e) {
            if (!closed) log.warn("{} interrupted; requests will no longer time out", thread.getName(), e);
        }
    }

    private void sweep(long now) {
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
}
