package dev.ballot.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SnapshotTransfer}: a snapshot file read whole from one store ({@link SnapshotStore#send})
 * and written chunk by chunk into another ({@link SnapshotStore#receive}) becomes a snapshot of
 * the receiver only when it arrived whole, intact and is the one announced; anything else leaves
 * no file behind.
 */
class SnapshotTransferTest {

    private static final SnapshotMeta META = new SnapshotMeta(1000, 7, Set.of(1L, 2L, 5L));
    private static final byte[] DATA = TestEntries.payload(1000, 7, 10_000);

    @TempDir
    Path dir;

    private SnapshotStore leader() {
        return new SnapshotStore(new RealDisk(), dir.resolve("leader"), 2);
    }

    private SnapshotStore follower() {
        return new SnapshotStore(new RealDisk(), dir.resolve("follower"), 2);
    }

    private static void save(SnapshotStore store, SnapshotMeta meta, byte[] data) {
        store.save(meta, out -> out.write(data));
    }

    /** The leader's snapshot file, as its Outgoing reads it in {@code chunk}-byte reads. */
    private byte[] leaderFile(int chunk) {
        save(leader(), META, DATA);
        try (SnapshotTransfer.Outgoing out = leader().send(META)) {
            assertThat(out.meta()).isEqualTo(META);
            byte[] all = new byte[(int) out.size()];
            for (long off = 0; off < out.size(); off += chunk) {
                byte[] part = out.read(off, chunk);
                assertThat(part.length).as("read at %d", off).isEqualTo((int) Math.min(chunk, out.size() - off));
                System.arraycopy(part, 0, all, (int) off, part.length);
            }
            return all;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void appendInChunks(SnapshotTransfer.Incoming in, byte[] file, int chunk) {
        for (int off = 0; off < file.length; off += chunk) {
            int n = Math.min(chunk, file.length - off);
            byte[] part = new byte[n];
            System.arraycopy(file, off, part, 0, n);
            in.append(part);
            assertThat(in.received()).isEqualTo(off + n);
        }
    }

    private List<String> followerFiles() throws IOException {
        Path d = dir.resolve("follower");
        if (!Files.exists(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] dataOf(SnapshotStore store, SnapshotMeta meta) throws IOException {
        try (InputStream in = store.openData(meta)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 7, 4096, 1 << 20})
    void aFileSentInChunksArrivesAsTheSameSnapshot(int chunk) throws IOException {
        byte[] file = leaderFile(chunk);
        assertThat(file).isEqualTo(Files.readAllBytes(dir.resolve("leader").resolve(SnapshotStore.fileName(1000, 7))));
        assertThat((long) file.length).isEqualTo(leader().sizeOf(META));

        SnapshotStore follower = follower();
        SnapshotTransfer.Incoming in = follower.receive(1000, 7);
        assertThat(in.index()).isEqualTo(1000);
        assertThat(in.term()).isEqualTo(7);
        assertThat(in.received()).isZero();
        appendInChunks(in, file, chunk);
        assertThat(in.finish()).isEqualTo(META);
        in.close(); // after finish: keeps the snapshot

        assertThat(follower.latest()).contains(META);
        assertThat(dataOf(follower, META)).isEqualTo(DATA);
        assertThat(follower().listNewestFirst()).singleElement()
                .satisfies(l -> assertThat(l.meta()).isEqualTo(META));
        assertThat(followerFiles()).containsExactly(SnapshotStore.fileName(1000, 7));
        assertThat(Files.readAllBytes(dir.resolve("follower").resolve(SnapshotStore.fileName(1000, 7))))
                .as("byte for byte the leader's file").isEqualTo(file);
    }

    @Test
    void outgoingReadsAreClampedToTheEndOfTheFile() throws IOException {
        save(leader(), META, DATA);
        try (SnapshotTransfer.Outgoing out = leader().send(META)) {
            long size = out.size();
            assertThat(out.read(size - 3, 100)).hasSize(3);
            assertThat(out.read(size, 100)).isEmpty();
            assertThat(out.read(size + 50, 100)).isEmpty();
        }
    }

    @Test
    void sendingASnapshotTheStoreDoesNotHoldFails() {
        assertThatThrownBy(() -> leader().send(META))
                .isInstanceOf(StorageException.class).hasMessageContaining("to send it");
    }

    @Test
    void oneFlippedByteAnywhereIsRefusedAndLeavesNoFileBehind() throws IOException {
        byte[] file = leaderFile(4096);
        // Every byte of the header, voters and trailer, and data bytes at the start, middle and end.
        int dataStart = 32 + 3 * 8;
        int dataEnd = file.length - 12;
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < dataStart; i++) positions.add(i);
        for (int i : new int[] {dataStart, dataStart + 1, dataStart + DATA.length / 2, dataEnd - 1}) positions.add(i);
        for (int i = dataEnd; i < file.length; i++) positions.add(i);

        SnapshotStore follower = follower();
        for (int pos : positions) {
            for (int mask : new int[] {0x01, 0x80}) {
                byte[] damaged = file.clone();
                damaged[pos] ^= (byte) mask;
                SnapshotTransfer.Incoming in = follower.receive(1000, 7);
                appendInChunks(in, damaged, 777);
                assertThatThrownBy(in::finish).as("byte %d flipped with 0x%02x", pos, mask)
                        .isInstanceOf(StorageException.class);
                assertThat(followerFiles()).as("byte %d flipped with 0x%02x: no .recv nor .snap left", pos, mask).isEmpty();
                assertThat(follower.latest()).isEmpty();
            }
        }
    }

    @Test
    void aDamagedTransferLeavesTheSnapshotsAlreadyHeldAlone() throws IOException {
        SnapshotMeta older = new SnapshotMeta(500, 3, Set.of(1L));
        save(follower(), older, new byte[] {9, 9});
        byte[] damaged = leaderFile(4096);
        damaged[damaged.length - 1] ^= 1; // the checksum itself
        SnapshotTransfer.Incoming in = follower().receive(1000, 7);
        in.append(damaged);
        assertThatThrownBy(in::finish).isInstanceOf(StorageException.class).hasMessageContaining("checksum mismatch");
        assertThat(followerFiles()).containsExactly(SnapshotStore.fileName(500, 3));
        assertThat(follower().latest()).contains(older);
    }

    @Test
    void aTruncatedTransferIsRefused() throws IOException {
        byte[] file = leaderFile(4096);
        SnapshotTransfer.Incoming in = follower().receive(1000, 7);
        in.append(Arrays.copyOf(file, file.length - 1));
        assertThatThrownBy(in::finish).isInstanceOf(StorageException.class).hasMessageContaining("is damaged");
        assertThat(followerFiles()).isEmpty();
    }

    @Test
    void aSnapshotOfAnotherIndexOrTermThanAnnouncedIsRefused() throws IOException {
        byte[] file = leaderFile(4096);
        long[][] announced = {{1000, 8}, {1000, 6}, {999, 7}, {1001, 7}};
        for (long[] a : announced) {
            SnapshotTransfer.Incoming in = follower().receive(a[0], a[1]);
            in.append(file);
            assertThatThrownBy(in::finish).as("announced %d@%d", a[0], a[1])
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("covers 1000@7, not the announced " + a[0] + "@" + a[1]);
            assertThat(followerFiles()).as("announced %d@%d", a[0], a[1]).isEmpty();
        }
        assertThat(follower().latest()).isEmpty();
    }

    @Test
    void closingAnUnfinishedTransferDeletesItsTempFile() throws IOException {
        byte[] file = leaderFile(4096);
        SnapshotTransfer.Incoming in = follower().receive(1000, 7);
        in.append(Arrays.copyOf(file, 100));
        assertThat(followerFiles()).containsExactly(SnapshotStore.fileName(1000, 7) + SnapshotStore.RECEIVING_SUFFIX);
        in.close();
        assertThat(followerFiles()).isEmpty();
        assertThatThrownBy(() -> in.append(new byte[] {1})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1000@7 is closed");
        in.close(); // twice is harmless
        assertThat(follower().latest()).isEmpty();
    }

    @Test
    void aRecvFileLeftByACrashIsDeletedByListNewestFirstAndNeverListed() throws IOException {
        SnapshotMeta held = new SnapshotMeta(500, 3, Set.of(1L));
        save(follower(), held, new byte[] {1});
        // Even a whole, valid file of a newer snapshot: it was never put in place, so it is not one.
        byte[] newer = leaderFile(4096);
        Path recv = dir.resolve("follower").resolve(SnapshotStore.fileName(1000, 7) + SnapshotStore.RECEIVING_SUFFIX);
        Files.write(recv, newer);

        List<SnapshotStore.Listing> listing = follower().listNewestFirst();
        assertThat(listing).extracting(SnapshotStore.Listing::name).containsExactly(SnapshotStore.fileName(500, 3));
        assertThat(recv).doesNotExist();
    }

    @Test
    void aRecvFileLeftByACrashIsDeletedByLatestAndNeverUsed() throws IOException {
        SnapshotMeta held = new SnapshotMeta(500, 3, Set.of(1L));
        save(follower(), held, new byte[] {1});
        Path whole = dir.resolve("follower").resolve(SnapshotStore.fileName(1000, 7) + SnapshotStore.RECEIVING_SUFFIX);
        Files.write(whole, leaderFile(4096));
        Path half = dir.resolve("follower").resolve(SnapshotStore.fileName(2000, 8) + SnapshotStore.RECEIVING_SUFFIX);
        Files.write(half, new byte[] {0x42, 0x53});

        assertThat(follower().latest()).contains(held);
        assertThat(followerFiles()).containsExactly(SnapshotStore.fileName(500, 3));
    }

    @Test
    void aRecvFileAloneMeansNoSnapshot() throws IOException {
        Files.createDirectories(dir.resolve("follower"));
        Files.write(dir.resolve("follower").resolve(SnapshotStore.fileName(1000, 7) + SnapshotStore.RECEIVING_SUFFIX),
                leaderFile(4096));
        assertThat(follower().latest()).isEmpty();
        assertThat(followerFiles()).isEmpty();
    }

    @Test
    void receivingKeepsOnlyTheNewestRetainSnapshots() throws IOException {
        SnapshotMeta first = new SnapshotMeta(100, 1, Set.of(1L));
        SnapshotMeta second = new SnapshotMeta(200, 2, Set.of(1L, 2L));
        save(follower(), first, new byte[] {1});
        save(follower(), second, new byte[] {2});
        assertThat(followerFiles()).hasSize(2);

        byte[] file = leaderFile(4096);
        try (SnapshotTransfer.Incoming in = follower().receive(1000, 7)) {
            appendInChunks(in, file, 4096);
            in.finish();
        }
        assertThat(followerFiles()).containsExactly(SnapshotStore.fileName(200, 2), SnapshotStore.fileName(1000, 7));
        assertThat(follower().listNewestFirst()).extracting(SnapshotStore.Listing::meta).containsExactly(META, second);
        assertThat(dataOf(follower(), second)).containsExactly(2);
        assertThat(dataOf(follower(), META)).isEqualTo(DATA);
    }
}
