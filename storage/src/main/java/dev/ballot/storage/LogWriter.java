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
     * Reads the log consistently with the writer's appends. Appended entries are visible before
     * their fsync completes; a reader that needs durability waits for the persist future.
     */
    <T> T read(Function<SegmentedLog, T> reader);

    /** Finishes or fails every queued write and releases the writer's thread, if any. Does not close the log. */
    @Override
    void close() throws InterruptedException;
}
