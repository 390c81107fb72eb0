package dev.ballot.testkit.sim;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.LogStorage;
import dev.ballot.raft.MemoryLogStorage;
import dev.ballot.raft.RaftNode;
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

    private MemoryLogStorage log = new MemoryLogStorage();
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

    /** Term of the durable entry at {@code index}, or -1 if the durable log does not hold it. */
    public long termAt(long index) {
        return index >= 0 && index <= log.lastIndex() ? log.term(index) : -1;
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
                + hardState.commitIndex() + ", last " + log.lastIndex() + "@" + termAt(log.lastIndex()) + ")";
    }
}
