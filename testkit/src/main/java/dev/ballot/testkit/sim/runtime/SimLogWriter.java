package dev.ballot.testkit.sim.runtime;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.storage.Durability;
import dev.ballot.storage.LogBatch;
import dev.ballot.storage.LogWriter;
import dev.ballot.storage.NodeStorage;
import dev.ballot.storage.SegmentedLog;
import dev.ballot.storage.StorageException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The storage thread of a simulated node, in virtual time: group commit as {@code GroupCommitLog}
 * does it (everything queued since the last turn is appended, then synced once, then acknowledged),
 * through the same {@link LogBatch}, on the real segmented log over a {@code CrashableDisk}. The
 * append and the fsync are separate events, so a crash can fall between them and leave the appended
 * bytes torn or lost, as a power loss would. After a storage error every write fails, as in
 * production.
 */
final class SimLogWriter implements LogWriter {

    /** How long the simulated disk takes; the nemesis makes it slow. */
    static final class DiskTiming {
        long wakeUpNanos = 30_000;
        long minSyncNanos = 300_000;
        long maxSyncNanos = 1_500_000;
        /** Chance that one fsync stalls for {@link #stallNanos}. */
        double stall;
        long stallNanos = 200_000_000;
    }

    /** {@code restoreTo}: the snapshot a follower's log is reset after (index, term), or null; {@code compactTo}: 0 or the prefix to drop. */
    private record Write(long[] restoreTo, long compactTo, List<Entry> entries, HardState hardState,
                         CompletableFuture<Void> done) {}

    private final Scheduler scheduler;
    private final SimLoop loop;
    private final SplittableRandom random;
    private final DiskTiming timing;
    private final NodeStorage storage;
    private final Durability durability;
    private final List<Write> queue = new ArrayList<>();
    private final DurableState durable;
    /** Broken on purpose ({@link BrokenDisk#EARLY_ACK}): writes are acknowledged once appended, before the fsync. */
    private final boolean earlyAck;
    private boolean busy;
    private RuntimeException failure;

    SimLogWriter(Scheduler scheduler, SimLoop loop, SplittableRandom random, DiskTiming timing, NodeStorage storage,
                 Durability durability, boolean earlyAck) {
        this.earlyAck = earlyAck;
        this.scheduler = scheduler;
        this.loop = loop;
        this.random = random;
        this.timing = timing;
        this.storage = storage;
        this.durability = durability;
        this.durable = DurableState.recovered(storage);
    }

    /** What this incarnation's disk holds for sure (updated after each completed fsync). */
    DurableState durable() {
        return durable;
    }

    @Override
    public CompletableFuture<Void> persist(List<Entry> entries, HardState hardState) {
        return enqueue(null, 0, List.copyOf(entries), hardState);
    }

    @Override
    public CompletableFuture<Void> restore(long index, long term) {
        return enqueue(new long[] {index, term}, 0, List.of(), null);
    }

    @Override
    public CompletableFuture<Void> compact(long upToIndex) {
        return enqueue(null, upToIndex, List.of(), null);
    }

    private CompletableFuture<Void> enqueue(long[] restoreTo, long compactTo, List<Entry> entries, HardState hs) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (failure != null) {
            done.completeExceptionally(failure);
            return done;
        }
        queue.add(new Write(restoreTo, compactTo, entries, hs, done));
        if (!busy) {
            busy = true;
            scheduler.after(timing.wakeUpNanos, this::startBatch);
        }
        return done;
    }

    /** The thread woke up: append everything queued (one group), then sync it after the disk's latency. */
    private void startBatch() {
        if (!loop.alive()) return; // the process died: its storage thread is gone too
        List<Write> batch = new ArrayList<>(queue);
        queue.clear();
        LogBatch commit = new LogBatch(storage.log(), storage.hardStateFile(), durability);
        try {
            for (Write w : batch) {
                if (w.restoreTo() != null) {
                    commit.restore(w.restoreTo()[0], w.restoreTo()[1]); // synced by the log itself
                }
                if (w.compactTo() > 0) commit.compact(w.compactTo());
                commit.append(w.entries(), w.hardState());
            }
        } catch (StorageException e) {
            fail(batch, e);
            return;
        }
        if (earlyAck) for (Write w : batch) w.done().complete(null);
        long latency = !commit.needsSync() ? 0
                : random.nextDouble() < timing.stall ? timing.stallNanos
                : timing.minSyncNanos + random.nextLong(timing.maxSyncNanos - timing.minSyncNanos + 1);
        scheduler.after(latency, () -> finishBatch(batch, commit));
    }

    private void finishBatch(List<Write> batch, LogBatch commit) {
        if (!loop.alive()) return;
        try {
            commit.syncAndSave();
        } catch (StorageException e) {
            fail(batch, e);
            return;
        }
        // In the order of the batch: a reset after a snapshot replaces the entries written before it.
        for (Write w : batch) {
            if (w.restoreTo() != null) durable.restored(w.restoreTo()[0], w.restoreTo()[1]);
            durable.synced(w.entries(), w.hardState());
        }
        if (!earlyAck) for (Write w : batch) w.done().complete(null);
        if (queue.isEmpty()) {
            busy = false;
        } else {
            scheduler.after(timing.wakeUpNanos, this::startBatch);
        }
    }

    private void fail(List<Write> batch, StorageException e) {
        failure = e;
        for (Write w : batch) w.done().completeExceptionally(e);
        for (Write w : queue) w.done().completeExceptionally(e);
        queue.clear();
    }

    @Override
    public <T> T read(Function<SegmentedLog, T> reader) {
        return reader.apply(storage.log()); // one thread: nothing appends concurrently
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("a simulated node is crashed, never closed");
    }
}
