package dev.ballot.raft;

import java.util.List;

/**
 * The durable part of the log, as the engine sees it. The engine only reads it; the runtime
 * writes to it when it persists a {@link Ready} (see the contract there).
 *
 * <p>Indices are contiguous from {@link #firstIndex()} to {@link #lastIndex()}. Until log
 * compaction exists the log starts at index 1 and the entry "before" it, index 0, has term 0.
 * An implementation may start at a later index (after a snapshot): then {@code firstIndex() - 1}
 * is the last index the snapshot covers and {@link #term(long)} still answers for it.
 */
public interface LogStorage {

    /** Index of the first entry held (1 for a log that was never compacted). */
    long firstIndex();

    /** Index of the last entry held; {@code firstIndex() - 1} when no entry is held. */
    long lastIndex();

    /**
     * Term of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()}.
     *
     * @throws IndexOutOfBoundsException outside that range
     */
    long term(long index);

    /**
     * Entries in {@code [from, to)}, stopping early once their {@link Entry#sizeBytes()} sum
     * exceeds {@code maxBytes}; at least one entry is returned when the range is not empty.
     *
     * @throws IndexOutOfBoundsException if the range is not within {@code [firstIndex(), lastIndex() + 1]}
     */
    List<Entry> entries(long from, long to, long maxBytes);

    /**
     * Appends entries, contiguous and in index order. If the first one has an index at or below
     * {@link #lastIndex()}, every held entry from that index on is deleted first (a conflicting
     * suffix). The first index must be in {@code [firstIndex(), lastIndex() + 1]}.
     */
    void append(List<Entry> entries);

    /**
     * Replaces the whole log by an empty one that starts right after a snapshot covering up to
     * {@code index} in {@code term}: afterwards {@code firstIndex() == index + 1},
     * {@code lastIndex() == index} and {@code term(index) == term}. This is how a runtime installs
     * {@link Ready#snapshot()}; a durable implementation makes it durable before returning.
     *
     * @throws IllegalArgumentException if {@code index < 1} or {@code term < 1} (nothing changes)
     */
    void restore(long index, long term);
}
