package dev.ballot.testkit.sim.runtime;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.storage.NodeStorage;
import dev.ballot.storage.SegmentedLog;
import dev.ballot.testkit.sim.LongList;

import java.util.List;

/**
 * What one node incarnation's storage holds for sure: the hard state and the log's terms as of the
 * last completed fsync (what recovery found, then every group the {@link SimLogWriter} synced). A
 * message or an applied entry that promises more than this broke the persistence contract.
 */
final class DurableState {

    private HardState hardState;
    private long firstIndex;
    /** Term of the entry at {@code firstIndex + i} (position i). */
    private final LongList terms = new LongList();

    private DurableState(HardState hardState, long firstIndex) {
        this.hardState = hardState;
        this.firstIndex = firstIndex;
    }

    /** A disk that holds nothing yet. */
    static DurableState empty() {
        return new DurableState(HardState.INITIAL, 1);
    }

    /** What recovery found on disk when {@code storage} was opened. */
    static DurableState recovered(NodeStorage storage) {
        SegmentedLog log = storage.log();
        DurableState d = new DurableState(storage.initialHardState(), log.firstIndex());
        for (long i = log.firstIndex(); i <= log.lastIndex(); i++) d.terms.add(log.term(i));
        return d;
    }

    /** A write of a group is now on disk (writes of a group in the order they were appended). */
    void synced(List<Entry> entries, HardState hs) {
        if (!entries.isEmpty()) {
            long first = entries.getFirst().index();
            if (first < firstIndex || first > lastIndex() + 1) {
                throw new IllegalStateException("entries from " + first + " do not continue the durable log " + this);
            }
            terms.truncate((int) (first - firstIndex)); // a write at or below the end replaces the suffix
            for (Entry e : entries) terms.add(e.term());
        }
        if (hs != null) hardState = hs;
    }

    /**
     * The log was reset, durably, to start right after a snapshot of {@code index}@{@code term}:
     * the entry at {@code index} is known by the snapshot's term alone.
     */
    void restored(long index, long term) {
        firstIndex = index;
        terms.truncate(0);
        terms.add(term);
    }

    HardState hardState() {
        return hardState;
    }

    /** The first index the durable log knows; below it a snapshot holds everything (after an install). */
    long firstIndex() {
        return firstIndex;
    }

    long lastIndex() {
        return firstIndex + terms.size() - 1;
    }

    /** Term of the durable entry at {@code index}; 0 when the durable log does not hold it. */
    long termAt(long index) {
        if (index < firstIndex || index > lastIndex()) return 0;
        return terms.get((int) (index - firstIndex));
    }

    @Override
    public String toString() {
        return "durable " + hardState + ", log [" + firstIndex + ", " + lastIndex() + "]";
    }
}
