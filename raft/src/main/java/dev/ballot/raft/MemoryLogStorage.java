package dev.ballot.raft;

import java.util.ArrayList;
import java.util.List;

/** A {@link LogStorage} held in memory: for tests, the simulator and demos. Not thread-safe. */
public final class MemoryLogStorage implements LogStorage {

    /** Index of the entry before the first held one, and its term (0/0 for an uncompacted log). */
    private long offsetIndex;
    private long offsetTerm;
    private final ArrayList<Entry> entries = new ArrayList<>();

    public MemoryLogStorage() {
        this(0, 0);
    }

    /** A log whose entries up to {@code offsetIndex} (with term {@code offsetTerm}) were compacted away. */
    public MemoryLogStorage(long offsetIndex, long offsetTerm) {
        if (offsetIndex < 0 || offsetTerm < 0 || (offsetIndex == 0) != (offsetTerm == 0)) {
            throw new IllegalArgumentException("bad offset " + offsetIndex + "@" + offsetTerm);
        }
        this.offsetIndex = offsetIndex;
        this.offsetTerm = offsetTerm;
    }

    @Override
    public long firstIndex() {
        return offsetIndex + 1;
    }

    @Override
    public long lastIndex() {
        return offsetIndex + entries.size();
    }

    @Override
    public long term(long index) {
        if (index == offsetIndex) return offsetTerm;
        checkRange(index, index + 1);
        return entries.get((int) (index - offsetIndex - 1)).term();
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
        if (from > to) throw new IndexOutOfBoundsException("from " + from + " > to " + to);
        checkRange(from, to);
        int a = (int) (from - offsetIndex - 1);
        int b = (int) (to - offsetIndex - 1);
        if (maxBytes != Long.MAX_VALUE) {
            long bytes = 0;
            for (int i = a; i < b; i++) {
                bytes += entries.get(i).sizeBytes();
                if (i > a && bytes > maxBytes) {
                    b = i;
                    break;
                }
            }
        }
        // One exact-size immutable copy: the List.copyOf in Ready hands it on without copying again.
        return List.copyOf(entries.subList(a, b));
    }

    @Override
    public void append(List<Entry> batch) {
        if (batch.isEmpty()) return;
        long first = batch.get(0).index();
        if (first < firstIndex() || first > lastIndex() + 1) {
            throw new IllegalArgumentException("append at " + first + " outside [" + firstIndex() + ", "
                    + (lastIndex() + 1) + "]");
        }
        for (int i = 1; i < batch.size(); i++) {
            if (batch.get(i).index() != first + i) {
                throw new IllegalArgumentException("entries not contiguous at " + batch.get(i).index());
            }
        }
        while (lastIndex() >= first) entries.remove(entries.size() - 1);
        entries.addAll(batch);
    }

    /**
     * Drops the entries up to {@code index}, which a snapshot covers: the log then starts at
     * {@code index + 1} and still knows the term at {@code index}.
     */
    public void compact(long index) {
        if (index < offsetIndex || index > lastIndex()) {
            throw new IllegalArgumentException("cannot compact up to " + index + ": the log holds [" + firstIndex()
                    + ", " + lastIndex() + "]");
        }
        long term = term(index);
        entries.subList(0, (int) (index - offsetIndex)).clear();
        offsetIndex = index;
        offsetTerm = term;
    }

    @Override
    public void restore(long index, long term) {
        if (index < 1 || term < 1) throw new IllegalArgumentException("bad snapshot position " + index + "@" + term);
        entries.clear();
        offsetIndex = index;
        offsetTerm = term;
    }

    /** A copy of every held entry, in order. */
    public List<Entry> all() {
        return List.copyOf(entries);
    }

    private void checkRange(long from, long to) {
        if (from < firstIndex() || to > lastIndex() + 1) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") not within [" + firstIndex() + ", "
                    + (lastIndex() + 1) + ")");
        }
    }
}
