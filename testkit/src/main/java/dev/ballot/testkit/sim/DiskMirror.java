package dev.ballot.testkit.sim;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.LogStorage;
import dev.ballot.raft.MemoryLogStorage;
import dev.ballot.storage.Durability;
import dev.ballot.storage.HardStateFile;
import dev.ballot.storage.RealDisk;
import dev.ballot.storage.SegmentedLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A node's durable state on the real storage of the {@code storage} module, in a directory: the
 * engine runs over a {@link SegmentedLog}, and every boot closes and reopens the files, so each
 * simulated restart goes through real recovery. The in-memory {@link DurableStore} stays the model:
 * after every reopen the files must hold exactly what the model says was persisted.
 *
 * <p>A simulated crash is a process crash, not a power loss, so nothing is fsynced here (the page
 * cache survives); losing unsynced data is the job of the storage module's own crash tests.
 */
final class DiskMirror {

    /** Small segments so that runs roll, truncate across and reopen many segments. */
    private static final long SEGMENT_BYTES = 4096;

    private final Path dir;
    private final long nodeId;
    private SegmentedLog log;
    private HardStateFile hardState;

    DiskMirror(Path dir, long nodeId) {
        this.dir = dir;
        this.nodeId = nodeId;
        open();
    }

    private void open() {
        log = SegmentedLog.open(new RealDisk(), dir.resolve("log"), SEGMENT_BYTES, Durability.NONE);
        hardState = new HardStateFile(new RealDisk(), dir);
    }

    LogStorage log() {
        return log;
    }

    void append(List<Entry> entries) {
        log.append(entries);
    }

    void saveHardState(HardState hs) {
        hardState.save(hs, Durability.NONE);
    }

    /** Closes and reopens the files (real recovery), then checks them against the model. */
    void reopenAndVerify(MemoryLogStorage modelLog, HardState modelHardState) {
        log.close();
        open();
        HardState onDisk = hardState.load();
        if (!onDisk.equals(modelHardState)) {
            throw new InvariantViolation("Storage recovery", "node " + nodeId + " reopened hard state " + onDisk
                    + " but persisted " + modelHardState);
        }
        if (log.lastIndex() != modelLog.lastIndex() || log.firstIndex() != modelLog.firstIndex()) {
            throw new InvariantViolation("Storage recovery", "node " + nodeId + " reopened log [" + log.firstIndex()
                    + ", " + log.lastIndex() + "] but persisted [" + modelLog.firstIndex() + ", " + modelLog.lastIndex() + "]");
        }
        if (modelLog.lastIndex() >= modelLog.firstIndex()) {
            List<Entry> expected = modelLog.all();
            List<Entry> actual = log.entries(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE);
            if (!actual.equals(expected)) {
                throw new InvariantViolation("Storage recovery", "node " + nodeId
                        + " reopened a log whose entries differ from what was persisted");
            }
        }
    }

    /** Sabotage support: the disk is lost. */
    void wipe() {
        log.close();
        deleteRecursively(dir);
        open();
    }

    void close() {
        log.close();
    }

    private static void deleteRecursively(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + p, e);
        }
    }
}
