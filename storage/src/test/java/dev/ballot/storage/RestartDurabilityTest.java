package dev.ballot.storage;

import static dev.ballot.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballot.raft.HardState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A process that dies (kill -9) leaves its un-synced writes in the OS page cache: the restarted
 * node reads them back and acts on them (acknowledges entries to a leader, repeats a vote,
 * compacts its log behind a snapshot). Whatever open/load/latest return must therefore be, or be
 * made, durable before it is relied on: a later power loss must not take it back.
 *
 * <p>"Process death" here is simply abandoning the objects and opening new ones on the same
 * {@link CrashableDisk}; the power loss is {@link CrashableDisk#crash}.
 */
class RestartDurabilityTest {

    private static final Path DATA = Path.of("/node");
    private static final Path LOG = DATA.resolve("log");
    private static final int IMAGES = 100;

    private final CrashableDisk disk = new CrashableDisk();
    private final Random random = new Random(7);

    /** The process dies at the first directory fsync after a temp file ending in {@code suffix} is renamed into place. */
    private void dieRightAfterRenaming(String suffix) {
        AtomicBoolean renamed = new AtomicBoolean();
        disk.setHook((op, path) -> {
            if (op == CrashableDisk.Op.RENAME && path.toString().endsWith(suffix)) {
                renamed.set(true);
            } else if (op == CrashableDisk.Op.SYNC_DIRECTORY && renamed.getAndSet(false)) {
                disk.setHook((o, p) -> {});
                throw new IOException("the process died before syncing the directory");
            }
        });
    }

    @Test
    void entriesReadAtOpenAreDurableOnceSyncReturns() {
        SegmentedLog before = SegmentedLog.open(disk, LOG, 1 << 20);
        before.append(range(1, 3, 1, 50));
        // the process dies here: appended, never synced
        SegmentedLog restarted = SegmentedLog.open(disk, LOG, 1 << 20);
        assertThat(restarted.lastIndex()).isEqualTo(3); // the node now reports 3 entries to its leader
        restarted.sync();
        for (int i = 0; i < IMAGES; i++) {
            SegmentedLog after = SegmentedLog.open(disk.crash(random), LOG, 1 << 20);
            assertThat(after.lastIndex()).as("power-loss image %d", i).isEqualTo(3);
        }
    }

    @Test
    void entriesInASegmentWhoseCreationWasCutShortAreDurableOnceSyncReturns() {
        SegmentedLog before = SegmentedLog.open(disk, LOG, 4096);
        before.append(range(1, 8, 1, 500)); // 32 + 8 * 525 bytes: full, the next append rolls
        before.sync();
        dieRightAfterRenaming(".seg.tmp");
        assertThatThrownBy(() -> before.append(range(9, 9, 1, 500))).isInstanceOf(StorageException.class);

        SegmentedLog restarted = SegmentedLog.open(disk, LOG, 4096);
        long last = restarted.lastIndex();
        restarted.append(range(last + 1, last + 3, 1, 500));
        restarted.sync();
        for (int i = 0; i < IMAGES; i++) {
            SegmentedLog after = SegmentedLog.open(disk.crash(random), LOG, 4096);
            assertThat(after.lastIndex()).as("power-loss image %d", i).isEqualTo(last + 3);
        }
    }

    @Test
    void aHardStateReadAtStartupSurvivesALaterPowerLoss() throws Exception {
        disk.createDirectories(DATA);
        new HardStateFile(disk, DATA).save(new HardState(4, 1, 0));
        dieRightAfterRenaming(HardStateFile.NAME + ".tmp");
        assertThatThrownBy(() -> new HardStateFile(disk, DATA).save(new HardState(5, 2, 0)))
                .isInstanceOf(StorageException.class);

        HardState loaded = new HardStateFile(disk, DATA).load();
        assertThat(loaded).isEqualTo(new HardState(5, 2, 0)); // the node believes it voted for 2 in term 5
        for (int i = 0; i < IMAGES; i++) {
            assertThat(new HardStateFile(disk.crash(random), DATA).load())
                    .as("power-loss image %d: else the node may vote again in term 5", i).isEqualTo(loaded);
        }
    }

    @Test
    void aSnapshotReturnedAtStartupSurvivesALaterPowerLoss() {
        Path dir = DATA.resolve("snapshots");
        new SnapshotStore(disk, dir, 2).save(new SnapshotMeta(10, 1, Set.of(1L)), out -> out.write(1));
        dieRightAfterRenaming(".snap.tmp");
        SnapshotMeta newer = new SnapshotMeta(20, 1, Set.of(1L));
        assertThatThrownBy(() -> new SnapshotStore(disk, dir, 2).save(newer, out -> out.write(2)))
                .isInstanceOf(StorageException.class);

        Optional<SnapshotMeta> latest = new SnapshotStore(disk, dir, 2).latest();
        assertThat(latest).contains(newer); // the node may now drop log segments up to 20
        for (int i = 0; i < IMAGES; i++) {
            assertThat(new SnapshotStore(disk.crash(random), dir, 2).latest()).as("power-loss image %d", i).isEqualTo(latest);
        }
    }
}
