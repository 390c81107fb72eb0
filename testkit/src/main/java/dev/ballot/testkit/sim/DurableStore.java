package dev.ballot.testkit.sim;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.LogStorage;
import dev.ballot.raft.MemoryLogStorage;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.SnapshotMetadata;
import java.nio.file.Path;
import java.util.List;

/**
 * A node's simulated disk: the durable log and the last persisted {@link HardState}. It survives
 * crashes; everything else of a node does not. Also keeps a rolling hash of every log prefix so the
 * checker can compare logs in O(1) per entry, and checks the properties of durable state itself:
 * the persisted term and commit index never decrease, a vote is never changed within a term, and a
 * committed entry is never overwritten or cut off.
 */
public final class DurableStore {

    /**
     * A snapshot on this disk: the state machine as of {@code meta}'s index, which in the simulation
     * is the list of every entry applied up to it (index i at position i-1).
     */
    public record Snapshot(SnapshotMetadata meta, List<Entry> entries) {
        public Snapshot {
            entries = List.copyOf(entries);
            if (entries.size() != meta.lastIncludedIndex()) {
                throw new IllegalArgumentException(entries.size() + " entries for snapshot " + meta);
            }
        }
    }

    private MemoryLogStorage log = new MemoryLogStorage();
    /** The newest snapshot, or null: the log was never compacted. */
    private Snapshot snapshot;
    private HardState hardState = HardState.INITIAL;
    /** prefixHashes[i] = hash of entries 1..i+1 of the durable log. */
    private LongList prefixHashes = new LongList();
    private final long nodeId;
    /** The same state in real files, when the simulation runs over real storage; else null. */
    private DiskMirror disk;

    public DurableStore(long nodeId) {
        this.nodeId = nodeId;
    }

    /** Keeps this store also in real storage files under {@code dir}; the engine then runs over those. */
    void attachDisk(Path dir) {
        if (disk != null) throw new IllegalStateException("node " + nodeId + " already has a disk");
        disk = new DiskMirror(dir, nodeId);
    }

    /** The durable log as a model (always in memory). */
    public MemoryLogStorage log() {
        return log;
    }

    /** The log handed to a booting engine: the real files if attached, else the model. */
    LogStorage engineLog() {
        return disk != null ? disk.log() : log;
    }

    /** Before a boot: reopen the real files (recovery) and check they hold what was persisted. */
    void reopenDisk() {
        if (disk != null) disk.reopenAndVerify(log, hardState);
    }

    void closeDisk() {
        if (disk != null) disk.close();
    }

    /** The last persisted hard state ({@link HardState#INITIAL} before the first write). */
    public HardState hardState() {
        return hardState;
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /** Term of the durable entry at {@code index} (in the log or the snapshot), or -1 if neither holds it. */
    public long termAt(long index) {
        if (index < 0 || index > log.lastIndex()) return -1;
        if (index >= log.firstIndex() - 1) return log.term(index);
        return index == 0 ? 0 : snapshot.entries().get((int) index - 1).term();
    }

    /** The newest snapshot, or null. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** The index the newest snapshot covers, 0 if none. */
    public long snapshotIndex() {
        return snapshot == null ? 0 : snapshot.meta().lastIncludedIndex();
    }

    /**
     * The runtime took a snapshot of its state machine ({@code applied}: every entry applied, in
     * order) and drops the log up to its end. Only entries in the durable log may be covered.
     */
    void compact(List<Entry> applied) {
        if (disk != null) throw new IllegalStateException("snapshots are not mirrored to real storage files");
        long index = applied.size();
        if (index <= snapshotIndex()) return;
        if (index > log.lastIndex() || termAt(index) != applied.getLast().term()) {
            throw new InvariantViolation("Snapshot of undurable state", "node " + nodeId + " would snapshot "
                    + index + "@" + applied.getLast().term() + " but its durable log is " + this);
        }
        snapshot = new Snapshot(new SnapshotMetadata(index, applied.getLast().term()), applied);
        log.compact(index);
    }

    /** Installs a snapshot received from the leader (Ready.snapshot): it replaces the whole log. */
    void install(Snapshot s) {
        if (disk != null) throw new IllegalStateException("snapshots are not mirrored to real storage files");
        long index = s.meta().lastIncludedIndex();
        snapshot = s;
        log.restore(index, s.meta().lastIncludedTerm());
        prefixHashes = new LongList();
        long h = 0;
        for (Entry e : s.entries()) {
            h = Hashing.mix(h, Hashing.entry(e));
            prefixHashes.add(h);
        }
    }

    /** Hash of the durable log's entries 1..index (0 for index 0). */
    public long prefixHash(long index) {
        return index == 0 ? 0 : prefixHashes.get((int) (index - 1));
    }

    /**
     * Appends entries with {@link MemoryLogStorage#append} semantics: every held entry from the
     * first one's index on is replaced.
     */
    public void append(List<Entry> entries) {
        if (entries.isEmpty()) return;
        long first = entries.get(0).index();
        long commit = hardState.commitIndex();
        if (first <= commit) {
            // The replaced range [first, old last] must leave every durable committed entry as it was.
            long checkTo = Math.min(commit, log.lastIndex());
            for (long i = first; i <= checkTo; i++) {
                int k = (int) (i - first);
                Entry old = log.entries(i, i + 1, Long.MAX_VALUE).get(0);
                if (k >= entries.size()) {
                    throw new InvariantViolation("Durable committed entry lost", "node " + nodeId
                            + " truncated its durable log at " + first + " and wrote only up to "
                            + (first + entries.size() - 1) + ", cutting off committed entry " + old
                            + " (persisted commit " + commit + ")");
                }
                if (!old.equals(entries.get(k))) {
                    throw new InvariantViolation("Durable committed entry overwritten", "node " + nodeId
                            + " replaced committed entry " + old + " with " + entries.get(k)
                            + " (persisted commit " + commit + ")");
                }
            }
        }
        log.append(entries);
        if (disk != null) disk.append(entries);
        prefixHashes.truncate((int) (first - 1));
        long h = prefixHash(first - 1);
        for (Entry e : entries) {
            h = Hashing.mix(h, Hashing.entry(e));
            prefixHashes.add(h);
        }
    }

    /** Persists a new hard state, checking it only moves forward. */
    public void saveHardState(HardState next) {
        HardState prev = hardState;
        if (next.currentTerm() < prev.currentTerm()) {
            throw new InvariantViolation("Persisted term decreased", "node " + nodeId + " persisted term "
                    + next.currentTerm() + " after term " + prev.currentTerm());
        }
        if (next.currentTerm() == prev.currentTerm() && prev.votedFor() != RaftNode.NONE
                && next.votedFor() != prev.votedFor()) {
            throw new InvariantViolation("Vote changed within a term", "node " + nodeId + " voted for "
                    + prev.votedFor() + " in term " + prev.currentTerm() + " and then persisted a vote for "
                    + next.votedFor() + " in the same term");
        }
        if (next.commitIndex() < prev.commitIndex()) {
            throw new InvariantViolation("Persisted commit index decreased", "node " + nodeId
                    + " persisted commit " + next.commitIndex() + " after " + prev.commitIndex());
        }
        if (next.commitIndex() > log.lastIndex()) {
            throw new InvariantViolation("Persisted commit beyond durable log", "node " + nodeId
                    + " persisted commit " + next.commitIndex() + " but its durable log ends at " + log.lastIndex());
        }
        hardState = next;
        if (disk != null) disk.saveHardState(next);
    }

    /** Sabotage: the disk is lost (empty log, initial hard state). */
    void wipe() {
        log = new MemoryLogStorage();
        snapshot = null;
        prefixHashes = new LongList();
        hardState = HardState.INITIAL;
        if (disk != null) disk.wipe();
    }

    /** Sabotage: the durable vote is lost. */
    void forgetVote() {
        hardState = new HardState(hardState.currentTerm(), RaftNode.NONE, hardState.commitIndex());
        if (disk != null) disk.saveHardState(hardState);
    }

    @Override
    public String toString() {
        return "disk(term " + hardState.currentTerm() + ", vote " + hardState.votedFor() + ", commit "
                + hardState.commitIndex() + ", last " + log.lastIndex() + "@" + termAt(log.lastIndex())
                + (snapshot == null ? "" : ", snapshot " + snapshotIndex()) + ")";
    }
}
