package dev.ballot.storage;

import dev.ballot.raft.Entry;
import java.util.ArrayList;
import java.util.List;

/** Entries with payloads derived from index and term, so any mix-up shows. */
final class TestEntries {

    private TestEntries() {}

    static byte[] payload(long index, long term, int size) {
        byte[] b = new byte[size];
        long x = index * 0x9E3779B97F4A7C15L ^ term * 0xC2B2AE3D27D4EB4FL;
        for (int i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
        return b;
    }

    static Entry entry(long index, long term, int size) {
        return size < 0 ? Entry.noop(index, term) : Entry.command(index, term, payload(index, term, size));
    }

    /** Entries {@code from..to} inclusive, all in {@code term}, each with {@code size} payload bytes. */
    static List<Entry> range(long from, long to, long term, int size) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(entry(i, term, size));
        return out;
    }
}
