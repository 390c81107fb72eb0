package dev.ballot.storage;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: a storage thread takes everything queued since its last turn, writes it all, syncs
 * once, then acknowledges every write of the turn. With many writers (or one writer that does not
 * wait), fsyncs are shared and throughput approaches the disk's sequential bandwidth.
 *
 * <p>A write is a {@link #persist} of entries and, optionally, a hard state (one engine Ready):
 * entries are appended first, then the hard state saved, both durable before the future completes.
 * After a storage error every queued and later write fails: a node must not run on a disk it can
 * no longer trust.
 */
public final class GroupCommitLog implements LogWriter {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitLog.class);

    /** {@code op}: a reset or compaction of the log, run before the entries; null for a plain write. */
    private record Write(Consumer<LogBatch> op, List<Entry> entries, HardState hardState, CompletableFuture<Void> done) {}

    private static final Write STOP = new Write(null, List.of(), null, null);

    private final SegmentedLog segmentedLog;
    private final HardStateFile hardStateFile;
    private final Durability durability;
    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private volatile RuntimeException failure;
    private volatile boolean closed;

    public GroupCommitLog(SegmentedLog segmentedLog, HardStateFile hardStateFile, Durability durability, String name) {
        this.segmentedLog = segmentedLog;
        this.hardStateFile = hardStateFile;
        this.durability = durability;
        if (durability == Durability.NONE) {
            log.warn("durability NONE: writes are NOT fsynced; acknowledged entries and votes can be lost on a crash. "
                    + "Use only for tests and demos.");
        }
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        thread.start();
    }

    @Override
    public CompletableFuture<Void> persist(List<Entry> entries, HardState hardState) {
        return enqueue(null, List.copyOf(entries), hardState);
    }

    @Override
    public CompletableFuture<Void> restore(long index, long term) {
        return enqueue(b -> b.restore(index, term), List.of(), null);
    }

    @Override
    public CompletableFuture<Void> compact(long upToIndex) {
        return enqueue(b -> b.compact(upToIndex), List.of(), null);
    }

    private CompletableFuture<Void> enqueue(Consumer<LogBatch> op, List<Entry> entries, HardState hardState) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        RuntimeException f = failure;
        if (f != null) {
            done.completeExceptionally(f);
        } else if (closed) {
            done.completeExceptionally(new StorageException("the log's storage thread is closed"));
        } else {
            queue.add(new Write(op, entries, hardState, done));
        }
        return done;
    }

    /** Reads under the lock the storage thread appends with (held for the write system call, never the fsync). */
    @Override
    public <T> T read(Function<SegmentedLog, T> reader) {
        synchronized (segmentedLog) {
            return reader.apply(segmentedLog);
        }
    }

    private void run() {
        List<Write> batch = new ArrayList<>();
        try {
            while (true) {
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch);
                boolean stop = batch.removeIf(w -> w == STOP);
                if (!batch.isEmpty()) commit(batch);
                if (stop) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failAll(batch, new StorageException("storage thread interrupted"));
        }
    }

    private void commit(List<Write> batch) {
        if (failure != null) {
            failAll(batch, failure);
            return;
        }
        try {
            LogBatch commit = new LogBatch(segmentedLog, hardStateFile, durability);
            synchronized (segmentedLog) {
                for (Write w : batch) {
                    if (w.op() != null) w.op().accept(commit);
                    commit.append(w.entries(), w.hardState());
                }
            }
            // The fsync runs outside the lock, so readers never wait for the disk. Only this thread
            // changes the log, so nothing can move under the sync.
            if (commit.needsSync()) {
                segmentedLog.sync();
                syncs.incrementAndGet();
            }
            batches.incrementAndGet(); // counted before the hard state, so syncs never exceed batches
            commit.saveHardState();
            for (Write w : batch) w.done().complete(null);
        } catch (RuntimeException e) {
            log.error("storage failed; refusing all further writes", e);
            failure = e;
            failAll(batch, e);
        }
    }

    private void failAll(List<Write> batch, RuntimeException e) {
        for (Write w : batch) w.done().completeExceptionally(e);
        List<Write> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (Write w : rest) {
            if (w == STOP) {
                queue.add(STOP); // close() is waiting for the thread to see it
            } else {
                w.done().completeExceptionally(e);
            }
        }
    }

    /** Turns (write batches) completed so far. */
    public long batchCount() {
        return batches.get();
    }

    /** Log fsyncs issued so far (never more than batches). */
    public long syncCount() {
        return syncs.get();
    }

    /** Finishes every queued write, then stops the storage thread. Does not close the log. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        queue.add(STOP);
        thread.join();
        // A persist() that raced with close() may have queued behind STOP: fail it rather than leave it hanging.
        List<Write> rest = new ArrayList<>();
        queue.drainTo(rest);
        StorageException e = new StorageException("the log's storage thread is closed");
        for (Write w : rest) {
            if (w != STOP) w.done().completeExceptionally(e);
        }
    }
}
