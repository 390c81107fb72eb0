package dev.ballot.kv.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cap on client connections open at once, shared by the RESP and HTTP servers of one node
 * ({@code KvNodeConfig.maxClientConnections}). Thread-safe.
 */
public final class ConnectionLimit {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max connections must be >= 1, was " + max);
        }
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** Connections currently counted. */
    public int open() {
        return open.get();
    }

    /** Takes a slot; false (and nothing taken) if all {@link #max()} are in use. */
    public boolean tryAcquire() {
        while (true) {
            int n = open.get();
            if (n >= max) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryAcquire()}. */
    public void release() {
        open.decrementAndGet();
    }
}
