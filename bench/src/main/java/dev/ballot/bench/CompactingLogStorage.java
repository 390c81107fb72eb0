package dev.ballot.bench;

import dev.ballot.raft.Entry;
import dev.ballot.raft.LogStorage;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code MemoryLogStorage} with one addition, {@link #compactTo(long)}, which drops a prefix of
 * entries the way log compaction after a snapshot would. Reads and appends copy exactly as
 * {@code MemoryLogStorage} does, so the two differ only in how much of the log stays live on the
 * heap: a long benchmark over {@code MemoryLogStorage} also measures the garbage collector copying
 * an ever-growing log, which is a property of that storage, not of the engine.
 *
 * <p>Bench-only: the engine has no snapshots yet, so the caller must only compact entries every
 * node has applied and every follower is known to hold (see {@link InstantCluster#compactIfAbove(long)}).
 */
final class CompactingLogStorage implements LogStorage {

    private long offsetIndex;
    private long offsetTerm;
    private final ArrayList<Entry> entries = new ArrayList<>();

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
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i < to; i++) {
            Entry e = entries.get((int) (i - offsetIndex - 1));
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) break;
            out.add(e);
        }
        return out;
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

    /** Drops every entry up to and including {@code index}; {@link #term(long)} still answers for it. */
    void compactTo(long index) {
        if (index <= offsetIndex) return;
        if (index > lastIndex()) throw new IllegalArgumentException("compact to " + index + " > last " + lastIndex());
        long term = term(index);
        entries.subList(0, (int) (index - offsetIndex)).clear();
        offsetIndex = index;
        offsetTerm = term;
    }

    private void checkRange(long from, long to) {
        if (from < firstIndex() || to > lastIndex() + 1) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") not within [" + firstIndex() + ", "
                    + (lastIndex() + 1) + ")");
        }
    }
}
