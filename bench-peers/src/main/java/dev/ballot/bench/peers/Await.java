package dev.ballot.bench.peers;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes. */
public final class Await {

    private Await() {
    }

    /** Returns the first non-null value of {@code probe}, polling every 20 ms; throws naming {@code what} after {@code timeout}. */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) return value;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
