package dev.ballot.node;

import dev.ballot.raft.Entry;
import dev.ballot.raft.LogStorage;
import dev.ballot.storage.GroupCommitLog;
import dev.ballot.storage.SegmentedLog;

import java.util.List;

/**
 * The engine's read-only view of the durable log. The storage thread appends through
 * {@link GroupCommitLog}; the raft loop reads here, under the same lock, so it never sees a
 * half-applied append. The lock is held for the write system call only, never for an fsync.
 */
final class LockedLogStorage implements LogStorage {

    private final GroupCommitLog log;

    LockedLogStorage(GroupCommitLog log) {
        this.log = log;
    }

    @Override
    public long firstIndex() {
        return log.read(SegmentedLog::firstIndex);
    }

    @Override
    public long lastIndex() {
        return log.read(SegmentedLog::lastIndex);
    }

    @Override
    public long term(long index) {
        return log.read(l -> l.term(index));
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
        return log.read(l -> l.entries(from, to, maxBytes));
    }

    /** The runtime persists through {@link GroupCommitLog#persist}, never through the engine. */
    @Override
    public void append(List<Entry> entries) {
        throw new UnsupportedOperationException("the runtime persists entries through GroupCommitLog");
    }
}
