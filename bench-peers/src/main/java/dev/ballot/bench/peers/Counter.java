package dev.ballot.bench.peers;

import java.nio.ByteBuffer;

/**
 * The state machine every system runs: each command (whatever its bytes) increments a long, and
 * the result is the new value as 8 big-endian bytes. One instance per node; not thread-safe, the
 * libraries apply on one thread.
 */
public final class Counter {

    private long value;

    /** Applies one command; returns the new value. */
    public long apply() {
        return ++value;
    }

    public long value() {
        return value;
    }

    /** Replaces the value (snapshot restore). */
    public void restore(long v) {
        value = v;
    }

    public static byte[] encode(long v) {
        return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }

    /** The value encoded by {@link #encode}; throws if {@code bytes} is not 8 bytes long. */
    public static long decode(byte[] bytes) {
        if (bytes == null || bytes.length != Long.BYTES) {
            throw new IllegalStateException("expected an 8-byte counter value, got "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        return ByteBuffer.wrap(bytes).getLong();
    }
}
