package dev.ballot.storage;

import static dev.ballot.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitLogTest {

    private static final Path DATA = Path.of("/node");
    private static final Path LOG = DATA.resolve("log");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final CrashableDisk disk = new CrashableDisk();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private SegmentedLog log;
    private HardStateFile hardStateFile;

    @AfterEach
    void closeAll() throws Exception {
        disk.setHook((op, path) -> {});
        for (AutoCloseable c : toClose.reversed()) c.close();
    }

    private GroupCommitLog start(Durability durability, long segmentBytes) {
        log = SegmentedLog.open(disk, LOG, segmentBytes, durability);
        toClose.add(log::close);
        hardStateFile = new HardStateFile(disk, DATA);
        GroupCommitLog gcl = new GroupCommitLog(log, hardStateFile, durability, "storage-test");
        toClose.add(gcl);
        return gcl;
    }

    private GroupCommitLog start() {
        return start(Durability.FSYNC, 1 << 20);
    }

    private static List<Entry> logContent(GroupCommitLog gcl) {
        return gcl.read(l -> l.entries(l.firstIndex(), l.lastIndex() + 1, Long.MAX_VALUE));
    }

    private static void awaitAll(List<CompletableFuture<Void>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Holds the first thread that forces a file until released; optionally fails that force. */
    private static final class ForceGate implements CrashableDisk.Hook {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final AtomicBoolean armed = new AtomicBoolean(true);
        private final boolean fail;

        ForceGate(boolean fail) {
            this.fail = fail;
        }

        @Override
        public void before(CrashableDisk.Op op, Path path) throws IOException {
            if (op != CrashableDisk.Op.FORCE || !armed.compareAndSet(true, false)) return;
            entered.countDown();
            try {
                if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) throw new IOException("gate never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the gate");
            }
            if (fail) throw new IOException("injected: the disk failed during fsync");
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("storage thread reached force").isTrue();
        }
    }

    /** Writes issued by several threads; indices are handed out in queue order under one lock. */
    private static final class Writers {
        final List<Entry> expected = new ArrayList<>();
        final List<CompletableFuture<Void>> futures = new ArrayList<>();
        HardState lastHardState;
        long term = 1;
        private final GroupCommitLog gcl;

        Writers(GroupCommitLog gcl) {
            this.gcl = gcl;
        }

        synchronized void write(int writer, Random random) {
            long next = expected.size() + 1;
            List<Entry> entries = range(next, next + random.nextInt(3), term, random.nextInt(200));
            expected.addAll(entries);
            HardState hs = random.nextInt(4) == 0 ? null : new HardState(++term, writer, next - 1);
            if (hs != null) lastHardState = hs;
            futures.add(gcl.persist(entries, hs));
        }

        void run(int threads, int writesPerThread) throws Exception {
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int writer = t + 1;
                    done.add(pool.submit(() -> {
                        Random random = new Random(writer);
                        go.await();
                        for (int i = 0; i < writesPerThread; i++) write(writer, random);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void concurrentWritesQueuedBehindAnFsyncShareOneBatchAndLandInQueueOrder() throws Exception {
        GroupCommitLog gcl = start();
        ForceGate gate = new ForceGate(false);
        disk.setHook(gate);
        Writers writers = new Writers(gcl);
        writers.write(0, new Random(0));
        gate.awaitEntered(); // the storage thread is inside the fsync of its first batch

        writers.run(4, 50);   // every other write queues up behind it
        gate.release.countDown();
        awaitAll(writers.futures);

        int writes = writers.futures.size();
        assertThat(gcl.batchCount()).as("one batch for the first write, one for everything queued behind it").isEqualTo(2);
        assertThat(gcl.batchCount()).isLessThan(writes);
        assertThat(gcl.syncCount()).isLessThanOrEqualTo(gcl.batchCount());
        assertThat(logContent(gcl)).isEqualTo(writers.expected);
        assertThat(hardStateFile.writeCount()).as("only the latest hard state of a batch is written").isLessThanOrEqualTo(2);
        assertThat(new HardStateFile(disk, DATA).load()).isEqualTo(writers.lastHardState);

        // Acknowledged means durable: every power loss from here keeps all of it.
        Random random = new Random(1);
        for (int i = 0; i < 20; i++) {
            CrashableDisk after = disk.crash(random);
            SegmentedLog reopened = SegmentedLog.open(after, LOG, 1 << 20);
            assertThat(reopened.entries(1, reopened.lastIndex() + 1, Long.MAX_VALUE)).isEqualTo(writers.expected);
            assertThat(new HardStateFile(after, DATA).load()).isEqualTo(writers.lastHardState);
        }
    }

    @Test
    void freeRunningConcurrentWritersAllCompleteInQueueOrder() throws Exception {
        GroupCommitLog gcl = start(Durability.FSYNC, 4096);
        Writers writers = new Writers(gcl);
        writers.run(4, 200);
        awaitAll(writers.futures);
        assertThat(logContent(gcl)).isEqualTo(writers.expected);
        assertThat(gcl.syncCount()).isLessThanOrEqualTo(gcl.batchCount());
        assertThat(gcl.batchCount()).isBetween(1L, (long) writers.futures.size());
        assertThat(new HardStateFile(disk, DATA).load()).isEqualTo(writers.lastHardState);
    }

    @Test
    void aConflictingWriteLaterInTheSameBatchReplacesTheSuffix() throws Exception {
        GroupCommitLog gcl = start();
        ForceGate gate = new ForceGate(false);
        disk.setHook(gate);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        futures.add(gcl.persist(range(1, 2, 1, 10), null));
        gate.awaitEntered();
        futures.add(gcl.persist(range(3, 8, 1, 10), new HardState(1, 1, 2)));
        futures.add(gcl.persist(range(5, 6, 2, 10), new HardState(2, 2, 4)));
        futures.add(gcl.persist(range(7, 7, 2, 10), new HardState(2, 2, 6)));
        gate.release.countDown();
        awaitAll(futures);
        List<Entry> expected = new ArrayList<>(range(1, 4, 1, 10));
        expected.addAll(range(5, 7, 2, 10));
        assertThat(logContent(gcl)).isEqualTo(expected);
        assertThat(gcl.batchCount()).isEqualTo(2);
        assertThat(hardStateFile.writeCount()).isEqualTo(1);
        assertThat(new HardStateFile(disk, DATA).load()).isEqualTo(new HardState(2, 2, 6));
    }

    @Test
    void aHardStateOnlyWriteDoesNotSyncTheLogAndAnEntriesOnlyWriteDoesNotTouchTheHardState() throws Exception {
        GroupCommitLog gcl = start();
        gcl.persist(List.of(), new HardState(3, 1, 0)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(gcl.syncCount()).isZero();
        assertThat(gcl.batchCount()).isEqualTo(1);
        assertThat(new HardStateFile(disk, DATA).load()).isEqualTo(new HardState(3, 1, 0));

        gcl.persist(range(1, 3, 3, 10), null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(gcl.syncCount()).isEqualTo(1);
        assertThat(hardStateFile.writeCount()).isEqualTo(1);
    }

    @Test
    void aFailedFsyncFailsItsBatchEveryQueuedWriteAndEveryLaterOne() throws Exception {
        GroupCommitLog gcl = start();
        ForceGate gate = new ForceGate(true);
        disk.setHook(gate);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        futures.add(gcl.persist(range(1, 1, 1, 10), new HardState(1, 1, 0)));
        gate.awaitEntered();
        for (long i = 2; i <= 10; i++) futures.add(gcl.persist(range(i, i, 1, 10), new HardState(1, 1, i - 1)));
        gate.release.countDown();

        for (CompletableFuture<Void> f : futures) {
            assertThat(f).failsWithin(WAIT).withThrowableThat().havingCause()
                    .isInstanceOf(StorageException.class).withMessageContaining("the disk failed during fsync");
        }
        CompletableFuture<Void> later = gcl.persist(range(2, 2, 1, 10), null);
        assertThat(later).as("refused at once, without a trip to the storage thread").isCompletedExceptionally();
        assertThat(later).failsWithin(WAIT).withThrowableThat().havingCause()
                .withMessageContaining("the disk failed during fsync");
        assertThat(gcl.batchCount()).isZero();
        assertThat(hardStateFile.writeCount()).as("nothing after the failed log sync").isZero();
    }

    @Test
    void aFailedWriteFailsTheBatchToo() throws Exception {
        GroupCommitLog gcl = start();
        gcl.persist(range(1, 2, 1, 10), null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        disk.failNext(CrashableDisk.Op.WRITE);
        assertThat(gcl.persist(range(3, 4, 1, 10), new HardState(1, 0, 2))).failsWithin(WAIT)
                .withThrowableThat().havingCause().isInstanceOf(StorageException.class)
                .withMessageContaining("injected failure");
        assertThat(gcl.persist(range(3, 4, 1, 10), null)).isCompletedExceptionally();
        assertThat(new HardStateFile(disk, DATA).load()).isEqualTo(HardState.INITIAL);
    }

    @Test
    void closeFinishesEveryQueuedWrite() throws Exception {
        GroupCommitLog gcl = start();
        ForceGate gate = new ForceGate(false);
        disk.setHook(gate);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        futures.add(gcl.persist(range(1, 1, 1, 10), null));
        gate.awaitEntered();
        for (long i = 2; i <= 5; i++) futures.add(gcl.persist(range(i, i, 1, 10), null));
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            try {
                gcl.close();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        gate.release.countDown();
        closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<Void> f : futures) assertThat(f).isCompleted().isNotCompletedExceptionally();
        assertThat(logContent(gcl)).isEqualTo(range(1, 5, 1, 10));
    }

    @Test
    void readersDoNotWaitForTheFsync() throws Exception {
        GroupCommitLog gcl = start();
        ForceGate gate = new ForceGate(false);
        disk.setHook(gate);
        CompletableFuture<Void> write = gcl.persist(range(1, 3, 1, 10), null);
        gate.awaitEntered(); // the storage thread is inside its fsync, and stays there
        // A reader (the raft loop, reading entries to send) gets the log without waiting for the disk.
        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> gcl.read(SegmentedLog::lastIndex));
        assertThat(read).succeedsWithin(WAIT).isEqualTo(3L);
        assertThat(write).isNotDone();
        gate.release.countDown();
        assertThat(write).succeedsWithin(WAIT);
    }

    @Test
    void closeAfterAFailedBatchReturns() throws Exception {
        GroupCommitLog gcl = start();
        ForceGate gate = new ForceGate(true);
        disk.setHook(gate);
        CompletableFuture<Void> first = gcl.persist(range(1, 1, 1, 10), null);
        gate.awaitEntered();
        CompletableFuture<Void> second = gcl.persist(range(2, 2, 1, 10), null);
        Thread closer = Thread.ofPlatform().name("closer").start(() -> {
            try {
                gcl.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // close() queues its stop request, then joins the storage thread (WAITING): only then fail the batch.
        while (closer.getState() != Thread.State.WAITING) Thread.onSpinWait();
        gate.release.countDown();
        assertThat(first).failsWithin(WAIT);
        assertThat(second).failsWithin(WAIT);
        boolean closed = closer.join(Duration.ofSeconds(3));
        assertThat(closed).as("close() returned: the storage thread must not drop the stop request while "
                + "failing the writes queued behind a failed batch").isTrue();
    }

    @Test
    void aWriteAfterCloseFailsInsteadOfWaitingForever() throws Exception {
        GroupCommitLog gcl = start();
        gcl.persist(range(1, 1, 1, 10), null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        gcl.close();
        CompletableFuture<Void> late = gcl.persist(range(2, 2, 1, 10), null);
        assertThat(late).as("nobody will ever complete a write queued after the storage thread stopped")
                .isCompletedExceptionally();
    }

    @Test
    void durabilityNoneIssuesNoFsync() throws Exception {
        GroupCommitLog gcl = start(Durability.NONE, 1 << 20);
        long forces = disk.forceCount();
        long dirSyncs = disk.directorySyncCount();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (long i = 1; i <= 100; i++) futures.add(gcl.persist(range(i, i, 1, 100), new HardState(1, 1, i - 1)));
        awaitAll(futures);
        assertThat(disk.forceCount()).isEqualTo(forces);
        assertThat(disk.directorySyncCount()).isEqualTo(dirSyncs);
        assertThat(gcl.syncCount()).isZero();
        assertThat(logContent(gcl)).isEqualTo(range(1, 100, 1, 100));
        assertThat(new HardStateFile(disk, DATA).load()).isEqualTo(new HardState(1, 1, 99));
    }

    @Test
    void durabilityNoneIssuesNoFsyncEvenWhenTheLogRollsToANewSegment() throws Exception {
        GroupCommitLog gcl = start(Durability.NONE, 4096);
        long forces = disk.forceCount();
        long dirSyncs = disk.directorySyncCount();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (long i = 1; i <= 100; i++) futures.add(gcl.persist(range(i, i, 1, 500), null));
        awaitAll(futures);
        assertThat(gcl.read(SegmentedLog::segmentCount)).isGreaterThan(1);
        assertThat(disk.forceCount() - forces).as("file fsyncs with durability NONE").isZero();
        assertThat(disk.directorySyncCount() - dirSyncs).as("directory fsyncs with durability NONE").isZero();
    }

    @Test
    void syncCountNeverExceedsBatchCountEvenWhenAHardStateSaveFails() throws Exception {
        GroupCommitLog gcl = start();
        disk.failNext(CrashableDisk.Op.RENAME); // the hard state's rename, after the log was synced
        assertThat(gcl.persist(range(1, 1, 1, 10), new HardState(1, 1, 0))).failsWithin(WAIT);
        assertThat(gcl.syncCount()).as("documented: never more than batches").isLessThanOrEqualTo(gcl.batchCount());
    }
}
