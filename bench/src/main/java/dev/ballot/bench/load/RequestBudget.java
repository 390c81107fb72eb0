package dev.ballot.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/** The measured commands left to send when a run is bounded by {@code --requests}; shared by all clients. */
final class RequestBudget {
    private final AtomicLong remaining;

    RequestBudget(long requests) {
        this.remaining = new AtomicLong(requests);
    }

    /** Takes up to {@code wanted} commands from the budget; returns how many were taken (0 when spent). */
    int claim(int wanted) {
        while (true) {
            long left = remaining.get();
            int taken = (int) Math.min(wanted, left);
            if (taken == 0 || remaining.compareAndSet(left, left - taken)) {
                return taken;
            }
        }
    }
}
