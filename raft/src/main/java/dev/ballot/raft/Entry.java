package dev.ballot.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * One log entry: its position ({@code index}), the term in which a leader created it, and what it
 * carries. Entries are immutable; {@code data} is never modified after construction (callers must
 * not mutate the array they pass in).
 */
public record Entry(long index, long term, EntryType type, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    /** Fixed per-entry overhead used when sizing messages (index, term, type, length). */
    public static final int OVERHEAD_BYTES = 24;

    public Entry {
        if (index < 1) throw new IllegalArgumentException("entry index must be >= 1, was " + index);
        if (term < 1) throw new IllegalArgumentException("entry term must be >= 1, was " + term);
        Objects.requireNonNull(type, "type");
        data = data == null ? EMPTY : data;
    }

    public static Entry command(long index, long term, byte[] data) {
        return new Entry(index, term, EntryType.COMMAND, data);
    }

    public static Entry noop(long index, long term) {
        return new Entry(index, term, EntryType.NOOP, EMPTY);
    }

    /** Approximate encoded size, used for the per-message and per-Ready byte limits. */
    public long sizeBytes() {
        return OVERHEAD_BYTES + data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && index == e.index && term == e.term && type == e.type
                && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, term, type, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Entry{" + index + "@" + term + (type == EntryType.NOOP ? " noop" : " " + data.length + "B") + "}";
    }
}
