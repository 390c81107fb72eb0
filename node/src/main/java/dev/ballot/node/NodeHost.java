package dev.ballot.node;

import dev.ballot.storage.Disk;
import dev.ballot.storage.GroupCommitLog;
import dev.ballot.storage.LogWriter;
import dev.ballot.storage.NodeStorage;
import dev.ballot.storage.RealDisk;
import dev.ballot.storage.StorageOptions;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The world a {@link RaftServer} runs in, and all it takes from it: the loop it runs on, the disk,
 * the writer that makes its log durable, its randomness, and what happens after a fatal failure.
 * {@link #production} is what {@code ballot server} runs; the simulator supplies deterministic ones
 * (virtual time, an in-memory disk that can lose power, seeded randomness) and so runs the same
 * runtime code. The transport is the other seam, passed to the server on its own.
 */
public interface NodeHost {

    Loop loop();

    Disk disk();

    /** Opens the writer that makes {@code storage}'s log and hard state durable off the loop. */
    LogWriter openLogWriter(NodeStorage storage, StorageOptions options, String name);

    /**
     * Opens where slow work runs off the loop, one task at a time in order: writing a snapshot
     * file, verifying a received one. Tasks hand their results back with {@link Loop#execute}.
     */
    Background openBackground(String name);

    /** See {@link #openBackground}. */
    interface Background extends java.util.concurrent.Executor, AutoCloseable {
        /** Stops taking tasks and waits a little for the running one. */
        @Override
        void close();
    }

    /** Wall-clock time in milliseconds, for what status reports (a snapshot's age); never for decisions. */
    default long wallMillis() {
        return System.currentTimeMillis();
    }

    /** Randomness for election timeouts and request-id prefixes: seeded in simulation, unpredictable in production. */
    RandomGenerator random();

    /**
     * Called once, on the loop, when the server has failed ({@code cause}: storage, engine or state
     * machine) and must stop; {@code stop} is {@link RaftServer#close}, which must not run on the loop.
     */
    void stopAfterFailure(long id, Throwable cause, Runnable stop);

    /** Defects to put back, for a test that must show it catches them; none in production. */
    default java.util.Set<RuntimeSabotage> sabotage() {
        return java.util.Set.of();
    }

    /** The production host: {@code loop}, the real file system, a {@link GroupCommitLog} storage thread. */
    static NodeHost production(NodeLoop loop) {
        return new Production(loop);
    }

    /** See {@link #production}. */
    record Production(NodeLoop loop) implements NodeHost {
        @Override
        public Disk disk() {
            return new RealDisk();
        }

        @Override
        public LogWriter openLogWriter(NodeStorage storage, StorageOptions options, String name) {
            return new GroupCommitLog(storage.log(), storage.hardStateFile(), options.durability(), name);
        }

        @Override
        public RandomGenerator random() {
            return new SplittableRandom();
        }

        @Override
        public Background openBackground(String name) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().name(name).daemon(true).factory());
            return new Background() {
                @Override
                public void execute(Runnable task) {
                    pool.execute(task);
                }

                @Override
                public void close() {
                    pool.shutdown();
                    try {
                        if (!pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) pool.shutdownNow();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        pool.shutdownNow();
                    }
                }
            };
        }

        @Override
        public void stopAfterFailure(long id, Throwable cause, Runnable stop) {
            Thread.ofPlatform().name("ballot-stop-" + id).start(stop);
        }
    }
}
