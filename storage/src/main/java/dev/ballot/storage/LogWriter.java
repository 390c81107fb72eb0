package dev.ballot.storage;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Makes a node's log and hard state durable off the node loop. {@link GroupCommitLog} is the
 * production one (a storage thread); the simulator supplies one whose writes and fsyncs are events
 * in virtual time. Both carry out each group of writes with {@link LogBatch}, so they write the
 * same bytes in the same order.
 */
public interface LogWriter extends AutoCloseable {

    /**
     * Queues entries (may be empty) and an optional hard state; the future completes once both are
     * durable, or fails (and so does every later write) if the storage failed.
     */
    CompletableFuture<Void> persist(List<Entry> entries, HardState hardState);

    /**
     * Queues, in order with the writes, the reset of the log to an empty one after a snapshot of
     * {@code index}@{@code term} ({@link LogBatch#restore}); the future completes once it is durable.
     */
    CompletableFuture<Void> restore(long index, long term);

    /**
     * Queues, in order with the writes, the deletion of the whole segments that hold only entries
     * up to {@code upToIndex} ({@link LogBatch#compact}): call it only once a snapshot covering
     * them is durable. The future completes when it is done.
     */
    CompletableFuture<Void> compact(long upToIndex);

    /**
     * Reads the log consistently with the writer's appends. Appended entries are visible before
     * their fsync completes; a reader that needs durability waits for the persist future.
     */
    <T> T read(Function<SegmentedLog, T> reader);

    /** Finishes or fails every queued write and releases the writer's thread, if any. Does not close the log. */
    @Override
    void close() throws InterruptedException;
}
