package dev.ballot.node.transport;

import java.time.Duration;

/**
 * Settings of {@link NettyTransport}. Start from {@link #defaults()} and change what you need with
 * the {@code with...} methods; every value is checked when the options are built.
 *
 * @param maxFrameSize       the largest frame body sent or accepted, in bytes (both sides must
 *                           agree); a larger message is dropped at the sender
 * @param maxPendingBytes    per peer: bytes accepted by {@code send} but not yet written to the
 *                           socket; beyond it new messages are dropped. Must hold one max-size
 *                           frame.
 * @param maxPendingMessages per peer: the same limit counted in messages
 * @param connectTimeout     how long one connection attempt may take
 * @param reconnectMin       the first delay before reconnecting; doubles per failed attempt...
 * @param reconnectMax       ...up to this (each delay is jittered between half and all of it)
 * @param ioThreads          Netty event loop threads (small: many nodes share one machine in tests)
 * @param shutdownTimeout    how long {@code close()} waits for the threads to stop
 */
public record TransportOptions(int maxFrameSize, long maxPendingBytes, int maxPendingMessages,
                               Duration connectTimeout, Duration reconnectMin, Duration reconnectMax,
                               int ioThreads, Duration shutdownTimeout) {

    public TransportOptions {
        if (maxFrameSize < 64) throw new IllegalArgumentException("maxFrameSize must be >= 64 bytes, was " + maxFrameSize);
        if (maxPendingBytes < maxFrameSize + (long) Integer.BYTES) {
            throw new IllegalArgumentException("maxPendingBytes (" + maxPendingBytes
                    + ") must hold at least one max-size frame (" + (maxFrameSize + Integer.BYTES) + " bytes)");
        }
        if (maxPendingMessages < 1) {
            throw new IllegalArgumentException("maxPendingMessages must be >= 1, was " + maxPendingMessages);
        }
        positive("connectTimeout", connectTimeout);
        positive("reconnectMin", reconnectMin);
        positive("reconnectMax", reconnectMax);
        positive("shutdownTimeout", shutdownTimeout);
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax (" + reconnectMax + ") must be >= reconnectMin ("
                    + reconnectMin + ")");
        }
        if (ioThreads < 1) throw new IllegalArgumentException("ioThreads must be >= 1, was " + ioThreads);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1ms, was " + d);
        }
    }

    /** 16 MiB frames, 64 MiB / 4096 messages pending per peer, 1 s connect timeout, 50 ms-2 s backoff, 1 thread. */
    public static TransportOptions defaults() {
        return new TransportOptions(16 * 1024 * 1024, 64L * 1024 * 1024, 4096, Duration.ofSeconds(1),
                Duration.ofMillis(50), Duration.ofSeconds(2), 1, Duration.ofSeconds(2));
    }

    public TransportOptions withMaxFrameSize(int v) {
        return new TransportOptions(v, maxPendingBytes, maxPendingMessages, connectTimeout, reconnectMin, reconnectMax,
                ioThreads, shutdownTimeout);
    }

    public TransportOptions withMaxPending(long bytes, int messages) {
        return new TransportOptions(maxFrameSize, bytes, messages, connectTimeout, reconnectMin, reconnectMax,
                ioThreads, shutdownTimeout);
    }

    public TransportOptions withConnectTimeout(Duration v) {
        return new TransportOptions(maxFrameSize, maxPendingBytes, maxPendingMessages, v, reconnectMin, reconnectMax,
                ioThreads, shutdownTimeout);
    }

    public TransportOptions withReconnectBackoff(Duration min, Duration max) {
        return new TransportOptions(maxFrameSize, maxPendingBytes, maxPendingMessages, connectTimeout, min, max,
                ioThreads, shutdownTimeout);
    }

    public TransportOptions withIoThreads(int v) {
        return new TransportOptions(maxFrameSize, maxPendingBytes, maxPendingMessages, connectTimeout, reconnectMin,
                reconnectMax, v, shutdownTimeout);
    }

    public TransportOptions withShutdownTimeout(Duration v) {
        return new TransportOptions(maxFrameSize, maxPendingBytes, maxPendingMessages, connectTimeout, reconnectMin,
                reconnectMax, ioThreads, v);
    }
}
