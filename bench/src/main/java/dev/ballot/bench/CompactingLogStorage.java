package dev.ballot.bench;

import dev.ballot.raft.Entry;
import dev.ballot.raft.LogStorage;
import dev.ballot.raft.MemoryLogStorage;
import java.util.List;

/**
 * The engine's {@link MemoryLogStorage} plus {@link #compactTo(long)}, which drops a prefix of the
 * log the way compaction after a snapshot would: it swaps in a fresh {@code MemoryLogStorage}
 * whose offset is the compaction point and re-appends the entries after it. Every read and append
 * is delegated, so the code measured is exactly {@code MemoryLogStorage}'s; the only difference is
 * how much of the log stays live on the heap. (A long run over a plain {@code MemoryLogStorage}
 * also measures the garbage collector copying an ever-growing log, which is a property of that
 * storage, not of the engine.)
 *
 * <p>Bench-only: the engine has no snapshots yet, so the caller must only compact entries every
 * node has applied and every follower is known to hold (see {@link InstantCluster#compactIfAbove(long)}).
 */
final class CompactingLogStorage implements LogStorage {

    private MemoryLogStorage log = new MemoryLogStorage();

    @Override
    public long firstIndex() {
        return log.firstIndex();
    }

    @Override
    public long lastIndex() {
        return log.lastIndex();
    }

    @Override
    public long term(long index) {
        return log.term(index);
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
        return log.entries(from, to, maxBytes);
    }

    @Override
    public void append(List<Entry> entries) {
        log.append(entries);
    }

    /** Drops every entry up to and including {@code index}; {@link #term(long)} still answers for it. */
    void compactTo(long index) {
        long offset = log.firstIndex() - 1;
        if (index <= offset) return;
        long last = log.lastIndex();
        if (index > last) throw new IllegalArgumentException("compact to " + index + " > last " + last);
        List<Entry> rest = index < last ? log.entries(index + 1, last + 1, Long.MAX_VALUE) : List.of();
        MemoryLogStorage compacted = new MemoryLogStorage(index, log.term(index));
        compacted.append(rest);
        log = compacted;
    }
}
