package dev.ballot.testkit.sim;

import java.util.Arrays;

/** A growable list of primitive longs (index 0-based), to keep per-index bookkeeping cheap. */
public final class LongList {

    private long[] values = new long[64];
    private int size;

    public int size() {
        return size;
    }

    public long get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i + " not in [0, " + size + ")");
        return values[i];
    }

    public void add(long v) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = v;
    }

    /** Keeps only the first {@code newSize} values. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) throw new IndexOutOfBoundsException(newSize + " not in [0, " + size + "]");
        size = newSize;
    }
}
