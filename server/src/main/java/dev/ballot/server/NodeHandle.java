package dev.ballot.server;

import java.net.InetSocketAddress;

/** What {@code ballot server} needs of a running node; {@link KvNodeHandle} adapts the real one. */
public interface NodeHandle extends AutoCloseable {

    InetSocketAddress redisAddress();

    InetSocketAddress httpAddress();

    /** Blocks until {@link #close()} has completed; returns the failure that stopped the node, or null. */
    Throwable awaitClosed() throws InterruptedException;

    /** Clean shutdown; idempotent. */
    @Override
    void close();
}
