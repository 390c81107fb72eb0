package dev.ballot.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's view of its log: the durable part in {@link LogStorage} followed by the
 * <em>unstable</em> entries not yet handed to (or not yet confirmed by) the runtime. Also tracks
 * the two pointers of Figure 2 that move along the log: {@code commitIndex} and {@code lastApplied}.
 *
 * <p>Unstable entries start at {@code unstableOffset}. They may start below
 * {@code storage.lastIndex() + 1}: then they replace a conflicting suffix once persisted, and until
 * then the stored entries from {@code unstableOffset} on are invisible here.
 *
 * <p>Several Readies may be in flight at once, so two more pointers say what was already handed
 * out (like etcd raft's {@code offsetInProgress} and {@code applying}): unstable entries before
 * {@code inProgressOffset} are in a Ready not yet advanced, and committed entries up to
 * {@code applying} were handed out for applying ({@code lastApplied} moves only at advance).
 * Invariants: {@code unstableOffset <= inProgressOffset <= lastIndex() + 1} and
 * {@code lastApplied <= applying <= min(commitIndex, stableIndex())} when handed out.
 *
 * <p>A snapshot from the leader that the log does not already cover ({@link #restore}) replaces
 * the whole log: until the Ready that installs it is advanced, it is the <em>pending snapshot</em>,
 * the storage below it is invisible here, and the log starts right after it.
 */
final class RaftLog {

    private final LogStorage storage;
    private final ArrayList<Entry> unstable = new ArrayList<>();
    private long unstableOffset;
    /** First unstable index not yet handed out in a Ready. */
    private long inProgressOffset;
    private long commitIndex;
    /** Last committed index handed out for applying (in a Ready, advanced or not). */
    private long applying;
    private long lastApplied;
    /** A snapshot accepted by {@link #restore}, replacing the log once installed; null if none. */
    private SnapshotMetadata pendingSnapshot;
    /** Whether {@link #pendingSnapshot} was handed out in a Ready. */
    private boolean snapshotHandedOut;

    /**
     * @param applied the index the state machine holds at boot (that of the snapshot it was
     *                restored from; at least {@code storage.firstIndex() - 1}, which is taken if lower)
     */
    RaftLog(LogStorage storage, long commitIndex, long applied) {
        this.storage = storage;
        this.unstableOffset = storage.lastIndex() + 1;
        if (commitIndex > storage.lastIndex()) {
            throw new IllegalArgumentException("persisted commitIndex " + commitIndex
                    + " is beyond the last stored entry " + storage.lastIndex()
                    + ": the hard state and the log do not belong together");
        }
        if (applied > storage.lastIndex()) {
            throw new IllegalArgumentException("the state machine holds index " + applied + " but the log ends at "
                    + storage.lastIndex() + ": the snapshot and the log do not belong together");
        }
        // Everything before the first stored entry was compacted, hence committed and applied; so
        // is everything the state machine's snapshot holds.
        this.lastApplied = Math.max(applied, storage.firstIndex() - 1);
        this.commitIndex = Math.max(commitIndex, lastApplied);
        this.applying = lastApplied;
        this.inProgressOffset = unstableOffset;
    }

    long firstIndex() {
        return pendingSnapshot != null ? pendingSnapshot.lastIncludedIndex() + 1 : storage.firstIndex();
    }

    long lastIndex() {
        return unstable.isEmpty() ? unstableOffset - 1 : unstableOffset + unstable.size() - 1;
    }

    long lastTerm() {
        return term(lastIndex());
    }

    long commitIndex() {
        return commitIndex;
    }

    long lastApplied() {
        return lastApplied;
    }

    /** Last index that is both durable and still part of this log. */
    long stableIndex() {
        return unstableOffset - 1;
    }

    /** True if {@code index} is held here (or is the compaction boundary, whose term is known). */
    boolean hasTerm(long index) {
        return index >= firstIndex() - 1 && index <= lastIndex();
    }

    /** Term at {@code index}; {@code index} must satisfy {@link #hasTerm(long)}. */
    long term(long index) {
        if (index >= unstableOffset) {
            if (index > lastIndex()) throw new IndexOutOfBoundsException("index " + index + " > last " + lastIndex());
            return unstable.get((int) (index - unstableOffset)).term();
        }
        if (pendingSnapshot != null) {
            if (index != pendingSnapshot.lastIncludedIndex()) {
                throw new IndexOutOfBoundsException("index " + index + " is covered by the pending snapshot " + pendingSnapshot);
            }
            return pendingSnapshot.lastIncludedTerm();
        }
        return storage.term(index);
    }

    boolean matchTerm(long index, long term) {
        return hasTerm(index) && term(index) == term;
    }

    /**
     * The election restriction (paper §5.4.1): a log is at least as up-to-date as ours if its last
     * term is higher, or the same with a last index at least as large.
     */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        long myTerm = lastTerm();
        return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= lastIndex());
    }

    /**
     * Entries in {@code [from, to)}, capped at {@code maxBytes} (at least one if the range is not
     * empty). The result is immutable and exactly sized, so the defensive {@code List.copyOf} in
     * {@link Message.AppendEntries} and {@link Ready} returns it as is.
     */
    List<Entry> entries(long from, long to, long maxBytes) {
        if (from < firstIndex() || to > lastIndex() + 1 || from > to) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") outside the log ["
                    + firstIndex() + ", " + (lastIndex() + 1) + ")");
        }
        if (from == to) return List.of();
        if (to <= unstableOffset) return storage.entries(from, to, maxBytes);
        if (from >= unstableOffset) {
            int a = (int) (from - unstableOffset);
            return unstableSlice(from, unstableOffset + cut(a, (int) (to - unstableOffset), 0, maxBytes));
        }
        List<Entry> stored = storage.entries(from, unstableOffset, maxBytes);
        if (from + stored.size() < unstableOffset) return stored; // byte cap reached
        long bytes = 0;
        for (int i = 0; i < stored.size(); i++) bytes += stored.get(i).sizeBytes();
        int b = cut(0, (int) (to - unstableOffset), bytes, maxBytes);
        if (b == 0) return stored;
        List<Entry> out = new ArrayList<>(stored.size() + b);
        out.addAll(stored);
        out.addAll(unstable.subList(0, b));
        return List.copyOf(out);
    }

    /**
     * End (exclusive) of the unstable entries from position {@code a} that still fit in
     * {@code maxBytes} when added to {@code bytes} already taken; if nothing was taken yet, the
     * first one is always included.
     */
    private int cut(int a, int b, long bytes, long maxBytes) {
        if (maxBytes == Long.MAX_VALUE) return b;
        boolean tookAny = bytes > 0; // every entry counts at least Entry.OVERHEAD_BYTES
        int i = a;
        for (; i < b; i++) {
            bytes += unstable.get(i).sizeBytes();
            if ((tookAny || i > a) && bytes > maxBytes) break;
        }
        return i;
    }

    /** Leader's append at the end of its log. */
    void append(Entry entry) {
        if (entry.index() != lastIndex() + 1) {
            throw new IllegalStateException("append at " + entry.index() + " but last index is " + lastIndex());
        }
        unstable.add(entry);
    }

    /** {@link #maybeAppend} result: the log has no entry at prevLogIndex with prevLogTerm. */
    static final long MISMATCH = -1;

    /**
     * Follower's receipt of AppendEntries (Figure 2, receiver steps 2–5). Returns the index of the
     * last new entry, or {@link #MISMATCH}. The caller answers a prevLogIndex below the commit
     * index itself, so the entries here all lie beyond it.
     */
    long maybeAppend(long prevLogIndex, long prevLogTerm, long leaderCommit, List<Entry> entries) {
        if (!matchTerm(prevLogIndex, prevLogTerm)) return MISMATCH;
        long lastNewIndex = prevLogIndex + entries.size();
        int conflict = findConflict(entries);
        if (conflict >= 0) {
            if (entries.get(conflict).index() <= commitIndex) {
                throw new IllegalStateException("entry " + entries.get(conflict) + " would overwrite committed index "
                        + commitIndex + "; callers must answer prevLogIndex < commitIndex themselves");
            }
            // Step 3: delete the existing entry and all that follow it; step 4: append the new ones.
            truncateAndAppend(entries.subList(conflict, entries.size()));
        }
        // Step 5: commitIndex = min(leaderCommit, index of last new entry).
        commitTo(Math.min(leaderCommit, lastNewIndex));
        return lastNewIndex;
    }

    /**
     * Position in {@code entries} of the first one that is new or conflicts (same index, other term),
     * or -1 if we already have them all. Entries we already have are never deleted: a delayed,
     * shorter AppendEntries must not cut off what a later one appended.
     */
    private int findConflict(List<Entry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (!matchTerm(e.index(), e.term())) return i;
        }
        return -1;
    }

    private void truncateAndAppend(List<Entry> entries) {
        long after = entries.get(0).index();
        if (after == lastIndex() + 1) {
            unstable.addAll(entries);
        } else if (after <= unstableOffset) {
            // Replaces stored entries from `after` on once persisted.
            unstable.clear();
            unstable.addAll(entries);
            unstableOffset = after;
        } else {
            unstable.subList((int) (after - unstableOffset), unstable.size()).clear();
            unstable.addAll(entries);
        }
        // Entries from `after` on that an in-flight Ready carries are gone: the next Ready starts
        // here, and its append (persisted after the older Ready's) replaces them on disk.
        inProgressOffset = Math.min(inProgressOffset, after);
    }

    /**
     * A snapshot of the leader's, covering more than we know committed and not matching our log,
     * replaces the log (paper §7: "discard the entire log"): the log now starts right after it,
     * everything up to it is committed and, once installed, applied. The next Ready carries it.
     */
    void restore(SnapshotMetadata snapshot) {
        long index = snapshot.lastIncludedIndex();
        if (index <= commitIndex) {
            throw new IllegalStateException("snapshot " + snapshot + " does not go past commit index " + commitIndex);
        }
        unstable.clear();
        unstableOffset = index + 1;
        inProgressOffset = unstableOffset;
        pendingSnapshot = snapshot;
        snapshotHandedOut = false;
        commitIndex = index;
        // The snapshot replaces every application up to it; entries after it are applied after it.
        applying = index;
    }

    /** The pending snapshot, if it was not yet handed out in a Ready; marks it handed out. */
    SnapshotMetadata snapshotToInstall() {
        if (pendingSnapshot == null || snapshotHandedOut) return null;
        snapshotHandedOut = true;
        return pendingSnapshot;
    }

    boolean hasSnapshotToInstall() {
        return pendingSnapshot != null && !snapshotHandedOut;
    }

    /**
     * The runtime installed {@code snapshot} (the storage now starts right after it, and the
     * state machine holds it). A newer snapshot accepted since stays pending.
     */
    void snapshotInstalled(SnapshotMetadata snapshot) {
        lastApplied = Math.max(lastApplied, snapshot.lastIncludedIndex());
        if (snapshot.equals(pendingSnapshot)) pendingSnapshot = null;
    }

    /** Raises commitIndex; it never goes down. */
    void commitTo(long index) {
        if (index > commitIndex) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit index " + index + " beyond last index " + lastIndex());
            }
            commitIndex = index;
        }
    }

    /** Unstable entries not yet handed out: to be persisted by the next Ready. */
    List<Entry> entriesToPersist() {
        return hasEntriesToPersist() ? unstableSlice(inProgressOffset, lastIndex() + 1) : List.of();
    }

    boolean hasEntriesToPersist() {
        return inProgressOffset <= lastIndex();
    }

    /** Every entry up to the last one was handed out in a Ready. */
    void acceptInProgress() {
        inProgressOffset = lastIndex() + 1;
    }

    /** An immutable copy of the unstable entries with indices in {@code [from, to)}. */
    private List<Entry> unstableSlice(long from, long to) {
        return List.copyOf(unstable.subList((int) (from - unstableOffset), (int) (to - unstableOffset)));
    }

    /**
     * The runtime persisted entries up to {@code index} (the last entry of an advanced Ready);
     * stable only if the entry there still has {@code term}. If a later conflicting append replaced
     * it, nothing becomes stable here: the newer entries are stable only once their own Ready is
     * advanced. (Same index and term means the same entry and the same prefix, by Log Matching, so
     * a match proves the whole prefix up to {@code index} is on disk.)
     */
    void stableTo(long index, long term) {
        if (index < unstableOffset || index > lastIndex() || term(index) != term) return;
        unstable.subList(0, (int) (index - unstableOffset + 1)).clear();
        unstableOffset = index + 1;
        inProgressOffset = Math.max(inProgressOffset, unstableOffset);
    }

    /**
     * Committed entries not yet handed out for applying; only stable ones, never an entry that is
     * merely in an in-flight Ready: at most {@code min(commitIndex, stableIndex())}.
     */
    List<Entry> nextCommittedEntries(long maxBytes) {
        long hi = Math.min(commitIndex, stableIndex());
        if (hi <= applying) return List.of();
        return entries(applying + 1, hi + 1, maxBytes);
    }

    boolean hasNextCommittedEntries() {
        return Math.min(commitIndex, stableIndex()) > applying;
    }

    /** Committed entries up to {@code index} were handed out in a Ready. */
    void acceptApplying(long index) {
        applying = index;
    }

    void appliedTo(long index) {
        if (index < lastApplied || index > applying) {
            throw new IllegalStateException("applied " + index + " outside [" + lastApplied + ", " + applying + "]");
        }
        lastApplied = index;
    }
}
