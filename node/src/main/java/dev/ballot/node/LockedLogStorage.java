package dev.ballot.node;

import dev.ballot.raft.Entry;
import dev.ballot.raft.LogStorage;
import dev.ballot.storage.LogWriter;
import dev.ballot.storage.SegmentedLog;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's read-only view of the durable log. The storage thread appends through
 * {@link LogWriter}; the raft loop reads here. The recent end of the log is kept in memory
 * (the entries the raft loop saw become durable, see {@link #persisted}), so the hot path —
 * terms of recent entries, entries for followers that are slightly behind — never takes the
 * storage lock nor reads a file. Anything older is read under the lock the storage thread
 * appends with, so it never sees a half-applied append; that lock is held for the write system
 * call only, never for an fsync.
 *
 * <p>Used by the raft loop thread only (not thread-safe).
 */
final class LockedLogStorage implements LogStorage {

    /** Entries kept in memory; older ones are read from the files. */
    static final int TAIL_ENTRIES = 8192;

    private final LogWriter log;
    /**
     * The first index the engine may read. Raised on the loop before the storage thread drops the
     * segments below it ({@link #compactedTo}), so the loop never reads what is being deleted.
     */
    private long firstIndex;
    /** Consecutive durable entries ending at the last durable index (may be empty). */
    private final ArrayList<Entry> tail = new ArrayList<>();

    LockedLogStorage(LogWriter log) {
        this.log = log;
        this.firstIndex = log.read(SegmentedLog::firstIndex);
    }

    /**
     * Entries of a Ready that are now durable, in the order they were persisted. A batch may
     * start inside the cached tail (a follower replacing a conflicting suffix): the replaced
     * entries are dropped, exactly as the append on disk dropped them.
     */
    void persisted(List<Entry> entries) {
        if (entries.isEmpty()) return;
        long first = entries.getFirst().index();
        if (!tail.isEmpty()) {
            long tailFirst = tail.getFirst().index();
            long keep = first - tailFirst;
            if (keep <= 0 || keep > tail.size()) {
                tail.clear(); // replaces all of it, or does not follow it (no gap may enter the cache)
            } else {
                tail.subList((int) keep, tail.size()).clear();
            }
        }
        tail.addAll(entries);
        if (tail.size() > 2 * TAIL_ENTRIES) {
            tail.subList(0, tail.size() - TAIL_ENTRIES).clear(); // amortised: trim in big steps
        }
    }

    /**
     * The log will start at {@code first} once the storage thread has dropped the segments a
     * compaction covers: from now on the engine reads nothing below it (the entry at
     * {@code first - 1} keeps its term, which a segment carries as its previous term).
     */
    void compactedTo(long first) {
        if (first > firstIndex) firstIndex = first;
    }

    /** The log was reset to start right after a snapshot of {@code index} (a follower's install). */
    void restored(long index) {
        tail.clear();
        firstIndex = index + 1;
    }

    private boolean cached(long index) {
        return !tail.isEmpty() && index >= tail.getFirst().index() && index <= tail.getLast().index();
    }

    @Override
    public long firstIndex() {
        return firstIndex;
    }

    @Override
    public long lastIndex() {
        return log.read(SegmentedLog::lastIndex);
    }

    @Override
    public long term(long index) {
        if (cached(index)) return tail.get((int) (index - tail.getFirst().index())).term();
        return log.read(l -> l.term(index));
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
        if (from >= to || !cached(from) || !cached(to - 1)) {
            return log.read(l -> l.entries(from, to, maxBytes));
        }
        int a = (int) (from - tail.getFirst().index());
        int b = (int) (to - tail.getFirst().index());
        long bytes = 0;
        for (int i = a; i < b; i++) {
            bytes += tail.get(i).sizeBytes();
            if (i > a && bytes > maxBytes) {
                b = i;
                break;
            }
        }
        return List.copyOf(tail.subList(a, b));
    }

    /** The runtime persists through {@link LogWriter#persist}, never through the engine. */
    @Override
    public void append(List<Entry> entries) {
        throw new UnsupportedOperationException("the runtime persists entries through its LogWriter");
    }

    /** The runtime installs snapshots through its LogWriter, never through the engine. */
    @Override
    public void restore(long index, long term) {
        throw new UnsupportedOperationException("the runtime installs snapshots through its LogWriter");
    }
}
