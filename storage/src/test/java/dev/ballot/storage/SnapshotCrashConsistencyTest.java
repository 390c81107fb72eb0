package dev.ballot.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Snapshot files survive a power loss at every disk operation of writing one: a snapshot saved by
 * {@link SnapshotStore#save} or received from a leader ({@link SnapshotStore#receive}, appends,
 * {@link SnapshotTransfer.Incoming#finish}) while an older snapshot exists. For each cut point the
 * disk loses power there ({@link CrashableDisk#crash}: unsynced writes and renames lost or torn),
 * a store is reopened on several images of what survived, and {@link SnapshotStore#listNewestFirst}
 * and {@link SnapshotStore#latest} must give the old snapshot or the new one, verified and with
 * its data byte for byte: never a damaged or partial one, and no temp file left.
 */
class SnapshotCrashConsistencyTest {

    private static final Path DATA = Path.of("/node");
    private static final Path DIR = DATA.resolve("snapshots");
    private static final int IMAGES = 8;

    private record Snap(SnapshotMeta meta, byte[] data) {
        @Override
        public String toString() {
            return meta.lastIndex() + "@" + meta.lastTerm();
        }
    }

    /** Larger than the writer's 64 KiB buffer, so saving it takes several writes. */
    private static final Snap OLD = new Snap(new SnapshotMeta(100, 2, Set.of(1L, 2L, 3L)), TestEntries.payload(100, 2, 150_000));
    private static final Snap NEW = new Snap(new SnapshotMeta(200, 3, Set.of(1L, 2L, 3L, 4L)), TestEntries.payload(200, 3, 100_000));

    enum How { SAVE, RECEIVE }

    /** What writes the new snapshot; throws a StorageException when the power goes. */
    @FunctionalInterface
    private interface Writer {
        void write(CrashableDisk disk, int retain);
    }

    private static void save(SnapshotStore store, Snap snap) {
        store.save(snap.meta(), out -> {
            for (int off = 0; off < snap.data().length; off += 30_000) {
                out.write(snap.data(), off, Math.min(30_000, snap.data().length - off));
            }
        });
    }

    /** The new snapshot's file, byte for byte as a leader holds it. */
    private static byte[] newFile() {
        CrashableDisk leader = new CrashableDisk();
        save(new SnapshotStore(leader, DIR, 1), NEW);
        try {
            return leader.contents(DIR.resolve(SnapshotStore.fileName(200, 3)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final byte[] NEW_FILE = newFile();

    private static Writer writer(How how) {
        return switch (how) {
            case SAVE -> (disk, retain) -> save(new SnapshotStore(disk, DIR, retain), NEW);
            case RECEIVE -> (disk, retain) -> {
                SnapshotTransfer.Incoming in = new SnapshotStore(disk, DIR, retain).receive(200, 3);
                for (int off = 0; off < NEW_FILE.length; off += 40_000) {
                    in.append(Arrays.copyOfRange(NEW_FILE, off, Math.min(NEW_FILE.length, off + 40_000)));
                }
                assertThat(in.finish()).isEqualTo(NEW.meta());
            };
        };
    }

    /** A disk holding the old snapshot, durably. */
    private static CrashableDisk withOld(int retain) {
        CrashableDisk disk = new CrashableDisk();
        save(new SnapshotStore(disk, DIR, retain), OLD);
        return disk;
    }

    /** How many disk operations writing the new snapshot takes, counted on a disk that does not crash. */
    private static long operations(CrashableDisk disk, Writer writer, int retain) {
        long before = disk.operationCount();
        writer.write(disk, retain);
        return disk.operationCount() - before;
    }

    @ParameterizedTest(name = "{0}, retain {1}")
    @CsvSource({"SAVE, 1", "SAVE, 2", "RECEIVE, 1", "RECEIVE, 2"})
    void aPowerLossAtAnyOperationLeavesTheOldSnapshotOrTheNewOneWhole(How how, int retain) {
        Writer writer = writer(how);
        long operations = operations(withOld(retain), writer, retain);
        assertThat(operations).as("disk operations of writing the new snapshot").isGreaterThan(6);

        int oldKept = 0;
        int newKept = 0;
        for (long cut = 1; cut <= operations + 1; cut++) {
            CrashableDisk disk = withOld(retain);
            disk.crashAtOperation(disk.operationCount() + cut);
            if (cut <= operations) {
                assertThatThrownBy(() -> writer.write(disk, retain)).as("cut at %d", cut).isInstanceOf(StorageException.class);
            } else {
                writer.write(disk, retain);
            }
            for (int image = 0; image < IMAGES; image++) {
                String where = how + ", retain " + retain + ": power loss at operation " + cut + " of " + operations
                        + ", image " + image;
                Snap newest = check(disk, cut * 1000 + image, retain, OLD, where);
                if (newest == NEW) newKept++;
                else oldKept++;
            }
        }
        assertThat(oldKept).as("power losses after which the old snapshot is the newest").isPositive();
        assertThat(newKept).as("power losses after which the new snapshot stands").isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SAVE", "RECEIVE"})
    void aPowerLossWritingTheFirstSnapshotIntoAFreshDirectoryLeavesNoneOrTheNewOne(How how) throws IOException {
        // Directory creations are not durable at once here: the store must sync what it creates.
        Writer writer = writer(how);
        CrashableDisk dry = freshDisk();
        long operations = operations(dry, writer, 2);

        int none = 0;
        int newKept = 0;
        for (long cut = 1; cut <= operations + 1; cut++) {
            CrashableDisk disk = freshDisk();
            disk.crashAtOperation(disk.operationCount() + cut);
            if (cut <= operations) {
                assertThatThrownBy(() -> writer.write(disk, 2)).isInstanceOf(StorageException.class);
            } else {
                writer.write(disk, 2);
            }
            for (int image = 0; image < IMAGES; image++) {
                String where = how + " into a fresh directory: power loss at operation " + cut + " of " + operations
                        + ", image " + image;
                Snap newest = check(disk, cut * 1000 + image, 2, null, where);
                if (newest == null) none++;
                else newKept++;
            }
        }
        assertThat(none).isPositive();
        assertThat(newKept).isPositive();
    }

    /** A disk whose data directory exists durably, with no snapshot directory yet. */
    private static CrashableDisk freshDisk() throws IOException {
        CrashableDisk disk = new CrashableDisk(false);
        disk.createDirectories(DATA);
        disk.syncDirectory(Path.of("/"));
        return disk;
    }

    /**
     * Checks two identical power-loss images of {@code disk} (same seed), one through
     * {@code listNewestFirst}, the other through {@code latest}, and that the recovered store keeps
     * working. Returns the newest snapshot found ({@code OLD}, {@code NEW} or null if none).
     */
    private static Snap check(CrashableDisk disk, long seed, int retain, Snap old, String where) {
        List<Snap> allowed = new ArrayList<>(List.of(NEW));
        if (old != null) allowed.add(old);

        CrashableDisk image = disk.crash(new Random(seed));
        SnapshotStore store = new SnapshotStore(image, DIR, retain);
        List<SnapshotStore.Listing> listing = store.listNewestFirst();
        List<Snap> found = new ArrayList<>();
        for (SnapshotStore.Listing l : listing) {
            assertThat(l.damage()).as(where + ": %s is listed damaged", l.name()).isNull();
            Snap snap = allowed.stream().filter(s -> s.meta().equals(l.meta())).findFirst()
                    .orElseThrow(() -> new AssertionError(where + ": " + l.meta() + " is neither " + allowed));
            assertThat(l.name()).isEqualTo(SnapshotStore.fileName(snap.meta().lastIndex(), snap.meta().lastTerm()));
            assertThat(dataOf(store, snap.meta())).as(where + ": data of %s", snap).isEqualTo(snap.data());
            found.add(snap);
        }
        assertThat(found).as(where + ": newest first, each once").doesNotHaveDuplicates();
        if (found.size() == 2) assertThat(found).as(where).containsExactly(NEW, old);
        if (old != null) {
            assertThat(found).as(where + ": the old snapshot was durable before; one of the two is there").isNotEmpty();
            if (!found.contains(NEW)) assertThat(found).as(where + ": the old one is kept until the new one stands").containsExactly(old);
        }
        assertThat(snapshotDirectory(image)).as(where + ": only snapshot files, each of them listed")
                .containsExactlyElementsOf(found.reversed().stream()
                        .map(s -> SnapshotStore.fileName(s.meta().lastIndex(), s.meta().lastTerm())).toList());

        Snap newest = found.isEmpty() ? null : found.getFirst();
        CrashableDisk twin = disk.crash(new Random(seed));
        SnapshotStore other = new SnapshotStore(twin, DIR, retain);
        Optional<SnapshotMeta> latest = other.latest();
        assertThat(latest).as(where + ": latest() on the same image").isEqualTo(Optional.ofNullable(newest).map(Snap::meta));
        latest.ifPresent(m -> assertThat(dataOf(other, m)).as(where + ": latest data").isEqualTo(newest.data()));
        assertThat(snapshotDirectory(twin)).as(where + ": latest() leaves no temp file")
                .allMatch(n -> n.endsWith(".snap"));

        // The recovered store keeps working.
        Snap next = new Snap(new SnapshotMeta(300, 4, Set.of(1L)), new byte[] {3, 0, 0});
        save(store, next);
        assertThat(new SnapshotStore(image.crash(new Random(seed)), DIR, retain).latest()).as(where).contains(next.meta());
        return newest;
    }

    private static List<String> snapshotDirectory(CrashableDisk image) {
        if (!image.exists(DIR)) return List.of();
        try {
            return image.listAll(DIR);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] dataOf(SnapshotStore store, SnapshotMeta meta) {
        try (InputStream in = store.openData(meta)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theCheckerCatchesAWriterThatRenamesBeforeTheDataIsSynced() {
        // Negative control: the same steps as save() but without forcing the file before the rename. If the
        // checker above accepted this at every cut, it would prove nothing.
        Writer careless = (disk, retain) -> {
            Path tmp = DIR.resolve(SnapshotStore.fileName(200, 3) + ".tmp");
            try (DiskFile f = disk.open(tmp, true)) {
                f.write(ByteBuffer.wrap(NEW_FILE), 0);
                disk.rename(tmp, DIR.resolve(SnapshotStore.fileName(200, 3)));
                disk.syncDirectory(DIR);
            } catch (IOException e) {
                throw new StorageException("careless save", e);
            }
        };
        long operations = operations(withOld(2), careless, 2);
        int caught = 0;
        for (long cut = 1; cut <= operations + 1; cut++) {
            CrashableDisk disk = withOld(2);
            disk.crashAtOperation(disk.operationCount() + cut);
            try {
                careless.write(disk, 2);
            } catch (StorageException e) {
                // the power went
            }
            for (int image = 0; image < IMAGES; image++) {
                try {
                    check(disk, cut * 1000 + image, 2, OLD, "careless");
                } catch (AssertionError | StorageException e) {
                    caught++;
                }
            }
        }
        assertThat(caught).as("images in which the careless writer's damaged snapshot was caught").isPositive();
    }
}
