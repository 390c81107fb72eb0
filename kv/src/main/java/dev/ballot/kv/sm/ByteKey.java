package dev.ballot.kv.sm;

import java.util.Arrays;

/**
 * A key of the state machine's map: hashed for the map, and compared unsigned-lexicographically
 * for a snapshot's key order (so {@code 0x00 < 0x7F < 0x80 < 0xFF}, and a prefix sorts before its
 * extensions), the same order on every JVM. Owns its array: callers hand over a copy they will not
 * modify.
 */
final class ByteKey implements Comparable<ByteKey> {

    private final byte[] bytes;
    private final int hash;

    ByteKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The key's own array; must not be modified. */
    byte[] bytes() {
        return bytes;
    }

    @Override
    public int compareTo(ByteKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Bytes.show(bytes);
    }
}
