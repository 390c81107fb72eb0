package dev.ballot.storage;

import static dev.ballot.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POSIX makes a new directory's entry durable only once its parent directory is fsynced. Storage
 * creates log/ and snapshots/ inside the data directory and never syncs the data directory, so a
 * power loss soon after first start may take the whole directory, synced files and all. (Most
 * journaling file systems commit the mkdir with the first fsync inside it, so this is the strict
 * reading; {@link CrashableDisk} in strict mode models it.)
 */
class FreshDirectoryDurabilityTest {

    private static final Path DATA = Path.of("/node");
    private static final int IMAGES = 100;

    private final CrashableDisk disk = new CrashableDisk(false);
    private final Random random = new Random(3);

    @BeforeEach
    void dataDirectoryExistsDurably() throws IOException {
        disk.createDirectories(DATA); // made by the operator or DirectoryLock, long ago
        disk.syncDirectory(Path.of("/"));
    }

    @Test
    void syncedEntriesSurviveAPowerLossRightAfterTheLogDirectoryWasCreated() {
        SegmentedLog log = SegmentedLog.open(disk, DATA.resolve("log"), 1 << 20);
        log.append(range(1, 5, 1, 100));
        log.sync();
        for (int i = 0; i < IMAGES; i++) {
            SegmentedLog after = SegmentedLog.open(disk.crash(random), DATA.resolve("log"), 1 << 20);
            assertThat(after.lastIndex()).as("power-loss image %d", i).isEqualTo(5);
        }
    }

    @Test
    void aSavedSnapshotSurvivesAPowerLossRightAfterTheSnapshotDirectoryWasCreated() {
        SnapshotMeta meta = new SnapshotMeta(10, 2, Set.of(1L));
        new SnapshotStore(disk, DATA.resolve("snapshots"), 2).save(meta, out -> out.write(42));
        for (int i = 0; i < IMAGES; i++) {
            CrashableDisk after = disk.crash(random);
            assertThat(after.exists(DATA.resolve("snapshots"))).as("power-loss image %d: snapshots/ survives", i).isTrue();
            assertThat(new SnapshotStore(after, DATA.resolve("snapshots"), 2).latest()).contains(meta);
        }
    }
}
