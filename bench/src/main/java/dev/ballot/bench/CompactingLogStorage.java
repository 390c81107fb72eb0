package dev.ballot.bench;

import dev.ballot.raft.Entry;
import dev.ballot.raft.LogStorage;
import dev.ballot.raft.MemoryLogStorage;
import java.util.List;

/**
 * The engine's {@link MemoryLogStorage} plus {@link #compactTo(long)}, which drops a prefix of the
 * log the way compaction after a snapshot does ({@link MemoryLogStorage#compact}). Every read and
 * append is delegated, so the code measured is exactly {@code MemoryLogStorage}'s; the only
 * difference is how much of the log stays live on the heap. (A long run over a plain {@code MemoryLogStorage}
 * also measures the garbage collector copying an ever-growing log, which is a property of that
 * storage, not of the engine.)
 *
 * <p>Bench-only: the bench cluster does not send snapshots, so the caller must only compact entries
 * every node has applied and every follower is known to hold (see {@link InstantCluster#compactIfAbove(long)}).
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

    @Override
    public void restore(long index, long term) {
        log.restore(index, term);
    }

    /** Drops every entry up to and including {@code index}; {@link #term(long)} still answers for it. */
    void compactTo(long index) {
        if (index > log.firstIndex() - 1) log.compact(index);
    }
}
