package dev.ballot.testkit.sim.runtime;

import dev.ballot.node.Loop;
import dev.ballot.node.NodeHost;
import dev.ballot.node.RuntimeSabotage;
import dev.ballot.storage.CrashableDisk;
import dev.ballot.storage.Disk;
import dev.ballot.storage.LogWriter;
import dev.ballot.storage.NodeStorage;
import dev.ballot.storage.StorageOptions;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * The world of one simulated node incarnation: its {@link SimLoop}, its {@link CrashableDisk}, a
 * {@link SimLogWriter} for a storage thread, randomness from the run's seed, and, instead of a
 * thread that closes the server after a fatal failure, a report to the simulation, which takes the
 * node down (the process exits loudly; it is restarted later from what its disk kept).
 */
final class SimHost implements NodeHost {

    private final SimLoop loop;
    private final CrashableDisk disk;
    private final Scheduler scheduler;
    private final SplittableRandom random;
    private final SimLogWriter.DiskTiming timing;
    private final BiConsumer<Long, Throwable> onFatal;
    private final Set<RuntimeSabotage> sabotage;
    private final boolean earlyAck;
    private SimLogWriter writer;

    SimHost(SimLoop loop, CrashableDisk disk, Scheduler scheduler, SplittableRandom random,
            SimLogWriter.DiskTiming timing, Set<RuntimeSabotage> sabotage, boolean earlyAck,
            BiConsumer<Long, Throwable> onFatal) {
        this.sabotage = sabotage;
        this.earlyAck = earlyAck;
        this.loop = loop;
        this.disk = disk;
        this.scheduler = scheduler;
        this.random = random;
        this.timing = timing;
        this.onFatal = onFatal;
    }

    @Override
    public Loop loop() {
        return loop;
    }

    @Override
    public Disk disk() {
        return disk;
    }

    @Override
    public LogWriter openLogWriter(NodeStorage storage, StorageOptions options, String name) {
        writer = new SimLogWriter(scheduler, loop, random.split(), timing, storage, options.durability(),
                earlyAck);
        return writer;
    }

    /** What the incarnation's disk holds for sure; once the server opened its storage. */
    DurableState durable() {
        if (writer == null) throw new IllegalStateException("the node has not opened its storage yet");
        return writer.durable();
    }

    /** Slow work of the node (writing a snapshot) finishes a little later in virtual time, if the process lives. */
    @Override
    public Background openBackground(String name) {
        return new Background() {
            @Override
            public void execute(Runnable task) {
                scheduler.after(timing.minSyncNanos, () -> {
                    if (loop.alive()) task.run();
                });
            }

            @Override
            public void close() {
                throw new UnsupportedOperationException("a simulated node is crashed, never closed");
            }
        };
    }

    @Override
    public long wallMillis() {
        return scheduler.now() / 1_000_000;
    }

    @Override
    public RandomGenerator random() {
        return random.split();
    }

    @Override
    public Set<RuntimeSabotage> sabotage() {
        return sabotage;
    }

    @Override
    public void stopAfterFailure(long id, Throwable cause, Runnable stop) {
        onFatal.accept(id, cause);
    }
}
