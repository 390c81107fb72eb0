package dev.ballot.storage;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;

import java.util.List;

/**
 * One group commit: the writes of a batch are appended in order ({@link #append}), then the log is
 * synced once and the newest hard state saved ({@link #syncAndSave}). Entries before hard state, so a
 * commit index on disk never points past the durable log. Every {@link LogWriter} commits through
 * this class, so the simulated writer runs the same steps as the storage thread.
 */
public final class LogBatch {

    private final SegmentedLog log;
    private final HardStateFile hardStateFile;
    private final Durability durability;
    private HardState latest;
    private boolean wroteEntries;

    public LogBatch(SegmentedLog log, HardStateFile hardStateFile, Durability durability) {
        this.log = log;
        this.hardStateFile = hardStateFile;
        this.durability = durability;
    }

    /** Appends one write's entries (not yet durable) and remembers its hard state, if any. */
    public void append(List<Entry> entries, HardState hardState) {
        log.append(entries);
        wroteEntries |= !entries.isEmpty();
        if (hardState != null) latest = hardState;
    }

    /**
     * Replaces the log by an empty one after a snapshot of {@code index}@{@code term} (a follower
     * installing its leader's snapshot), durably before it returns ({@link SegmentedLog#restore}).
     */
    public void restore(long index, long term) {
        log.restore(index, term);
    }

    /** Drops the whole segments a durable snapshot covers up to {@code upToIndex} ({@link SegmentedLog#dropPrefix}). */
    public void compact(long upToIndex) {
        log.dropPrefix(upToIndex);
    }

    /** True when the batch appended entries and the durability asks for an fsync of the log. */
    public boolean needsSync() {
        return wroteEntries && durability == Durability.FSYNC;
    }

    /** Syncs the log if {@link #needsSync}, then saves the newest hard state; returns whether it synced. */
    public boolean syncAndSave() {
        boolean synced = needsSync();
        if (synced) log.sync();
        saveHardState();
        return synced;
    }

    /** Saves the newest hard state of the batch, if any (after the log is durable). */
    public void saveHardState() {
        if (latest != null) hardStateFile.save(latest, durability);
    }
}
