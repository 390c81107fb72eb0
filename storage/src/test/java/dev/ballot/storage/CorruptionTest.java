package dev.ballot.storage;

import static dev.ballot.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged files on the real file system: corruption stops the node with a message naming the
 * file (and the offset where it makes sense); a torn tail of the last segment is repaired.
 */
class CorruptionTest {

    /** Payload size; a record is then 125 bytes, so record k (from 0) of a segment starts at 32 + 125k. */
    private static final int PAYLOAD = 100;
    private static final int RECORD = LogRecord.HEADER_BYTES + PAYLOAD;

    @TempDir
    Path dir;

    private final RealDisk disk = new RealDisk();

    private Path logDir() {
        return dir.resolve("log");
    }

    private SegmentedLog openLog(long segmentBytes) {
        return SegmentedLog.open(disk, logDir(), segmentBytes);
    }

    /** Writes entries 1..n (term 1) durably and closes the log. */
    private void writeLog(int n, long segmentBytes) {
        writeLog(disk, n, segmentBytes);
    }

    private void writeLog(Disk on, int n, long segmentBytes) {
        SegmentedLog log = SegmentedLog.open(on, logDir(), segmentBytes);
        for (int i = 1; i <= n; i += 7) log.append(range(i, Math.min(n, i + 6), 1, PAYLOAD));
        log.sync();
        log.close();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(logDir())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static long recordOffset(int k) {
        return Segment.HEADER_BYTES + (long) k * RECORD;
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x01));
            b.rewind();
            ch.write(b, offset);
        }
    }

    private static void putShort(Path file, long offset, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(2).putShort(0, (short) value), offset);
        }
    }

    private static void putInt(Path file, long offset, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, value), offset);
        }
    }

    private static void appendBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    private static void cutTo(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private StorageException openFails(long segmentBytes) {
        return catchThrowableOfType(StorageException.class, () -> openLog(segmentBytes).close());
    }

    private void assertLogHolds(SegmentedLog log, int lastIndex) {
        assertThat(log.firstIndex()).isEqualTo(1);
        assertThat(log.lastIndex()).isEqualTo(lastIndex);
        assertThat(log.entries(1, lastIndex + 1, Long.MAX_VALUE)).isEqualTo(range(1, lastIndex, 1, PAYLOAD));
    }

    @Nested
    class Segments {

        private static final long BIG = 1 << 20;

        @ParameterizedTest(name = "byte {0} of record 6 flipped")
        @ValueSource(ints = {0, 3, 5, 8, 12, 20, 24, 25, 60, RECORD - 1})
        void segment_aDamagedRecordWithValidRecordsAfterItStopsTheNodeNamingFileAndOffset(int byteInRecord) throws IOException {
            writeLog(20, BIG);
            Path seg = segments().getFirst();
            flip(seg, recordOffset(5) + byteInRecord);
            StorageException e = openFails(BIG);
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains(seg.toString()).contains("offset " + recordOffset(5))
                    .contains("expected index 6");
        }

        @Test
        void segment_aDamagedRecordInANonLastSegmentIsCorruptionEvenAtItsEnd() throws IOException {
            writeLog(120, 4096);
            List<Path> segs = segments();
            assertThat(segs).hasSizeGreaterThan(2);
            Path first = segs.getFirst();
            long size = Files.size(first);
            flip(first, size - 1); // the last byte of its last record: nothing valid after it in this file
            StorageException e = openFails(4096);
            assertThat(e.getMessage()).contains(first.toString()).contains("offset " + (size - RECORD));
        }

        @Test
        void segment_aSegmentCutShortThatIsNotTheLastIsCorruption() throws IOException {
            writeLog(120, 4096);
            Path first = segments().getFirst();
            cutTo(first, Files.size(first) - 10);
            assertThat(openFails(4096).getMessage()).contains(first.toString());
        }

        // The two exhaustive sweeps run on the in-memory disk: thousands of reopens, same code paths.

        @Test
        void segment_everySingleBitFlipInANonLastSegmentIsCaught() throws IOException {
            CrashableDisk mem = new CrashableDisk();
            writeLog(mem, 40, 4096);
            SegmentedLog clean = SegmentedLog.open(mem, logDir(), 4096);
            assertLogHolds(clean, 40);
            clean.close();
            Path first = logDir().resolve(mem.list(logDir()).getFirst());
            byte[] original = mem.contents(first);
            for (int offset = 0; offset < original.length; offset++) {
                byte[] damaged = original.clone();
                damaged[offset] ^= 1;
                mem.overwrite(first, damaged);
                assertThat(catchThrowableOfType(StorageException.class, () -> SegmentedLog.open(mem, logDir(), 4096).close()))
                        .as("flip at %d", offset).isNotNull().hasMessageContaining(first.toString());
            }
        }

        @Test
        void segment_everySingleBitFlipInTheLastSegmentIsCaughtOrOnlyDropsTheLastRecord() throws IOException {
            CrashableDisk mem = new CrashableDisk();
            writeLog(mem, 6, BIG);
            SegmentedLog clean = SegmentedLog.open(mem, logDir(), BIG);
            assertLogHolds(clean, 6);
            clean.close();
            Path seg = logDir().resolve(mem.list(logDir()).getFirst());
            byte[] original = mem.contents(seg);
            for (int offset = 0; offset < original.length; offset++) {
                byte[] damaged = original.clone();
                damaged[offset] ^= 1;
                mem.overwrite(seg, damaged);
                SegmentedLog log;
                try {
                    log = SegmentedLog.open(mem, logDir(), BIG);
                } catch (StorageException e) {
                    assertThat(offset).as("flip at %d refused", offset).isLessThan((int) recordOffset(5));
                    assertThat(e.getMessage()).contains(seg.toString());
                    continue;
                }
                // A bad checksum in the very last record looks exactly like a torn write: cut, never returned.
                assertThat(offset).as("flip at %d accepted", offset).isGreaterThanOrEqualTo((int) recordOffset(5));
                assertLogHolds(log, 5);
                log.close();
            }
        }

        @Test
        void segment_aDamagedSegmentHeaderIsCaught() throws IOException {
            writeLog(5, BIG);
            Path seg = segments().getFirst();
            flip(seg, 10); // inside firstIndex
            assertThat(openFails(BIG).getMessage()).contains(seg.toString()).contains("header checksum");
        }

        @Test
        void segment_aSegmentShorterThanItsHeaderIsCaught() throws IOException {
            writeLog(5, BIG);
            Path seg = segments().getFirst();
            cutTo(seg, 20);
            assertThat(openFails(BIG).getMessage()).contains(seg.toString()).contains("shorter");
        }

        @Test
        void segment_aMissingSegmentInTheMiddleIsCaughtNamingTheNeighbours() throws IOException {
            writeLog(150, 4096);
            List<Path> segs = segments();
            assertThat(segs).hasSizeGreaterThanOrEqualTo(4);
            Files.delete(segs.get(1));
            StorageException e = openFails(4096);
            assertThat(e.getMessage()).contains(segs.get(0).getFileName().toString())
                    .contains(segs.get(2).getFileName().toString()).contains("missing");
        }

        @Test
        void segment_aWrongMagicIsCaught() throws IOException {
            writeLog(5, BIG);
            Path seg = segments().getFirst();
            putInt(seg, 0, 0x12345678);
            assertThat(openFails(BIG).getMessage()).contains(seg.toString()).contains("not a Ballot log segment");
        }

        @Test
        void segment_aNewerFormatVersionIsCaughtWithAMessageNamingTheVersion() throws IOException {
            writeLog(5, BIG);
            Path seg = segments().getFirst();
            putShort(seg, 4, 2);
            assertThat(openFails(BIG).getMessage()).contains(seg.toString()).contains("version 2").contains("newer");
        }
    }

    @Nested
    class TornTails {

        private static final long BIG = 1 << 20;

        private void assertRepairedAndUsable(int keptLastIndex, long segmentBytes) throws IOException {
            Path last = segments().getLast();
            assertRepairedAndUsable(keptLastIndex, segmentBytes, recordOffset(keptLastIndex - firstIndexOf(last) + 1));
        }

        private void assertRepairedAndUsable(int keptLastIndex, long segmentBytes, long fileSizeAfter) throws IOException {
            Path last = segments().getLast();
            SegmentedLog log = openLog(segmentBytes);
            assertLogHolds(log, keptLastIndex);
            assertThat(Files.size(last)).as("the torn tail is cut off the file").isEqualTo(fileSizeAfter);
            log.append(range(keptLastIndex + 1, keptLastIndex + 30, 1, PAYLOAD));
            log.sync();
            log.close();
            SegmentedLog reopened = openLog(segmentBytes);
            assertLogHolds(reopened, keptLastIndex + 30);
            reopened.close();
        }

        private static int firstIndexOf(Path segment) {
            String n = segment.getFileName().toString();
            return Integer.parseInt(n.substring(4, n.length() - 4));
        }

        @ParameterizedTest(name = "cut {0} bytes into the last record")
        @ValueSource(ints = {1, 3, 8, 20, 24, 25, 60, RECORD - 1})
        void tornTail_aLastRecordCutShortIsDroppedAndTheLogKeepsWorking(int keep) throws IOException {
            writeLog(20, BIG);
            cutTo(segments().getFirst(), recordOffset(19) + keep);
            // A record starts with its length, whose high bytes are zero: a tail of just those
            // reads as zeros, a preallocated tail, and is left in place (the next append overwrites it).
            boolean onlyZerosLeft = keep <= 3;
            assertRepairedAndUsable(19, BIG, recordOffset(19) + (onlyZerosLeft ? keep : 0));
        }

        @Test
        void tornTail_zerosAfterTheLastRecordAreAPreallocatedTailKeptAndReused() throws IOException {
            writeLog(20, BIG);
            Path seg = segments().getFirst();
            appendBytes(seg, new byte[4096]);
            SegmentedLog log = openLog(BIG);
            assertLogHolds(log, 20);
            assertThat(Files.size(seg)).as("zeros to the end of the file are not cut off").isEqualTo(recordOffset(20) + 4096);
            log.append(range(21, 50, 1, PAYLOAD)); // 30 records, 3750 bytes: within the zeros
            log.sync();
            log.close();
            assertThat(Files.size(seg)).as("appends overwrite the zeros").isEqualTo(recordOffset(20) + 4096);
            SegmentedLog reopened = openLog(BIG);
            assertLogHolds(reopened, 50);
            reopened.close();
        }

        @Test
        void tornTail_garbageAfterTheLastRecordIsDropped() throws IOException {
            writeLog(20, BIG);
            byte[] garbage = new byte[777];
            new Random(42).nextBytes(garbage);
            appendBytes(segments().getFirst(), garbage);
            assertRepairedAndUsable(20, BIG);
        }

        @Test
        void tornTail_aTornTailOfTheLastOfSeveralSegmentsIsRepaired() throws IOException {
            writeLog(110, 4096);
            List<Path> segs = segments();
            assertThat(segs).hasSizeGreaterThan(1);
            Path last = segs.getLast();
            int inLast = (int) ((Files.size(last) - Segment.HEADER_BYTES) / RECORD);
            assertThat(inLast).isGreaterThan(1);
            cutTo(last, Files.size(last) - 7);
            assertRepairedAndUsable(109, 4096);
        }

        @Test
        void tornTail_anEmptyLastSegmentWithZerosAfterItsHeaderOpensEmpty() throws IOException {
            SegmentedLog log = openLog(BIG);
            log.close();
            appendBytes(segments().getFirst(), new byte[100]);
            SegmentedLog reopened = openLog(BIG);
            assertThat(reopened.lastIndex()).isZero();
            assertThat(Files.size(segments().getFirst())).isEqualTo(Segment.HEADER_BYTES + 100);
            reopened.append(range(1, 3, 1, PAYLOAD));
            reopened.sync();
            reopened.close();
            SegmentedLog again = openLog(BIG);
            assertLogHolds(again, 3);
            again.close();
        }

        @Test
        void tornTail_aTornCopyOfARecordAfterTheTailIsStillJustATail() throws IOException {
            // The start of a record for the next index, cut short: a crash mid-write, nothing valid after it.
            writeLog(10, BIG);
            Path seg = segments().getFirst();
            ByteBuffer next = ByteBuffer.allocate(RECORD);
            LogRecord.encode(TestEntries.entry(11, 1, PAYLOAD), next, new java.util.zip.CRC32C());
            appendBytes(seg, java.util.Arrays.copyOf(next.array(), RECORD - 1));
            assertRepairedAndUsable(10, BIG);
        }
    }

    @Nested
    class HardStateFiles {

        private final HardState hs = new HardState(7, 3, 42);

        private Path saved() {
            new HardStateFile(disk, dir).save(hs);
            return dir.resolve(HardStateFile.NAME);
        }

        private StorageException loadFails() {
            return catchThrowableOfType(StorageException.class, () -> new HardStateFile(disk, dir).load());
        }

        @Test
        void hardState_roundTrips() {
            saved();
            assertThat(new HardStateFile(disk, dir).load()).isEqualTo(hs);
        }

        @Test
        void hardState_everySingleBitFlipIsCaught() throws IOException {
            Path file = saved();
            assertThat(new HardStateFile(disk, dir).load()).isEqualTo(hs);
            byte[] original = Files.readAllBytes(file);
            assertThat(original).hasSize(HardStateFile.BYTES);
            for (int offset = 0; offset < original.length; offset++) {
                Files.write(file, original);
                flip(file, offset);
                assertThat(loadFails()).as("flip at %d", offset).isNotNull().hasMessageContaining(file.toString());
            }
        }

        @Test
        void hardState_aFlipInTheBodyIsReportedAsAChecksumMismatch() throws IOException {
            Path file = saved();
            flip(file, 17);
            assertThat(loadFails().getMessage()).contains(file.toString()).contains("checksum mismatch");
        }

        @ParameterizedTest(name = "cut to {0} bytes")
        @ValueSource(ints = {0, 1, 8, 35})
        void hardState_aTruncatedFileIsCaught(int size) throws IOException {
            Path file = saved();
            cutTo(file, size);
            assertThat(loadFails().getMessage()).contains(file.toString()).contains(size + " bytes, expected 36");
        }

        @Test
        void hardState_aLongerFileIsCaught() throws IOException {
            Path file = saved();
            appendBytes(file, new byte[] {0});
            assertThat(loadFails().getMessage()).contains(file.toString()).contains("expected 36");
        }

        @Test
        void hardState_aWrongMagicIsCaught() throws IOException {
            Path file = saved();
            putInt(file, 0, FileFormat.SEGMENT_MAGIC);
            assertThat(loadFails().getMessage()).contains(file.toString()).contains("not a Ballot hard state file");
        }

        @Test
        void hardState_aNewerFormatVersionIsCaughtWithAMessageNamingTheVersion() throws IOException {
            Path file = saved();
            putShort(file, 4, 3);
            assertThat(loadFails().getMessage()).contains(file.toString()).contains("version 3").contains("newer");
        }

        @Test
        void hardState_aLeftoverTempFileIsIgnoredAndRemoved() throws IOException {
            saved();
            Files.write(dir.resolve(HardStateFile.NAME + ".tmp"), new byte[] {1, 2, 3});
            assertThat(new HardStateFile(disk, dir).load()).isEqualTo(hs);
            assertThat(dir.resolve(HardStateFile.NAME + ".tmp")).doesNotExist();
        }
    }

    @Nested
    class Snapshots {

        private final SnapshotMeta meta = new SnapshotMeta(100, 4, Set.of(1L, 2L, 3L));
        private final byte[] data = TestEntries.payload(1, 2, 5000);

        private Path snapshotsDir() {
            return dir.resolve("snapshots");
        }

        private SnapshotStore store() {
            return new SnapshotStore(disk, snapshotsDir(), 2);
        }

        /** Saves the snapshot and checks that, undamaged, it reads back (else the damage tests prove nothing). */
        private Path saved() throws IOException {
            store().save(meta, out -> out.write(data));
            SnapshotStore store = store();
            assertThat(store.latest()).as("the undamaged snapshot reads back").contains(meta);
            try (InputStream in = store.openData(meta)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            return snapshotsDir().resolve(SnapshotStore.fileName(100, 4));
        }

        private StorageException latestFails() {
            return catchThrowableOfType(StorageException.class, () -> store().latest());
        }

        @Test
        void snapshot_roundTrips() throws IOException {
            saved();
        }

        @Test
        void snapshot_roundTripsWithoutVotersOrData() throws IOException {
            SnapshotMeta bare = new SnapshotMeta(1, 1, Set.of());
            store().save(bare, out -> {});
            assertThat(store().latest()).contains(bare);
            try (InputStream in = store().openData(bare)) {
                assertThat(in.readAllBytes()).isEmpty();
            }
        }

        @Test
        void snapshot_aFlippedDataByteIsReportedAsAChecksumMismatch() throws IOException {
            Path file = saved();
            flip(file, 32 + 24 + 2500);
            assertThat(latestFails().getMessage()).contains(file.toString()).contains("checksum mismatch");
        }

        @Test
        void snapshot_everySingleBitFlipIsCaught() throws IOException {
            SnapshotMeta small = new SnapshotMeta(5, 1, Set.of(1L, 9L));
            store().save(small, out -> out.write(new byte[] {1, 2, 3, 4, 5, 6, 7}));
            assertThat(store().latest()).as("the undamaged snapshot reads back").contains(small);
            Path file = snapshotsDir().resolve(SnapshotStore.fileName(5, 1));
            byte[] original = Files.readAllBytes(file);
            for (int offset = 0; offset < original.length; offset++) {
                Files.write(file, original);
                flip(file, offset);
                assertThat(latestFails()).as("flip at %d", offset).isNotNull().hasMessageContaining(file.toString());
            }
        }

        @ParameterizedTest(name = "cut to {0} bytes")
        @ValueSource(ints = {0, 10, 43, 100, 5000})
        void snapshot_aTruncatedSnapshotIsCaught(int size) throws IOException {
            Path file = saved();
            cutTo(file, size);
            assertThat(latestFails().getMessage()).contains(file.toString()).contains("damaged");
        }

        @Test
        void snapshot_aWrongMagicIsCaught() throws IOException {
            Path file = saved();
            putInt(file, 0, FileFormat.HARD_STATE_MAGIC);
            assertThat(latestFails().getMessage()).contains(file.toString()).contains("not a Ballot snapshot file");
        }

        @Test
        void snapshot_aNewerFormatVersionIsCaughtWithAMessageNamingTheVersion() throws IOException {
            Path file = saved();
            putShort(file, 4, 2);
            assertThat(latestFails().getMessage()).contains(file.toString()).contains("version 2").contains("newer");
        }

        @Test
        void snapshot_aDamagedNewestSnapshotIsAnErrorNotSkippedInFavourOfAnOlderOne() throws IOException {
            store().save(new SnapshotMeta(50, 3, Set.of(1L)), out -> out.write(1));
            assertThat(store().latest()).contains(new SnapshotMeta(50, 3, Set.of(1L)));
            Path newest = saved();
            flip(newest, 40);
            assertThat(latestFails().getMessage()).contains(newest.toString());
        }

        @Test
        void snapshot_onlyTheNewestAreKeptAndLeftoverTempFilesAreRemoved() throws IOException {
            for (long i = 1; i <= 4; i++) store().save(new SnapshotMeta(i * 10, 1, Set.of(1L)), out -> out.write(7));
            Files.write(snapshotsDir().resolve(SnapshotStore.fileName(99, 1) + ".tmp"), new byte[] {1});
            assertThat(store().latest()).contains(new SnapshotMeta(40, 1, Set.of(1L)));
            List<String> names = new ArrayList<>();
            try (Stream<Path> s = Files.list(snapshotsDir())) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            }
            assertThat(names).containsExactlyInAnyOrder(SnapshotStore.fileName(30, 1), SnapshotStore.fileName(40, 1));
        }
    }

    @Test
    void entriesOfADamagedLogAreNeverReturned() throws IOException {
        // Damage after opening: a read that no longer checks out is an error, not wrong data.
        SegmentedLog log = openLog(1 << 20);
        List<Entry> es = range(1, 10, 1, PAYLOAD);
        log.append(es);
        log.sync();
        flip(segments().getFirst(), recordOffset(4) + 50);
        assertThatThrownBy(() -> log.entries(1, 11, Long.MAX_VALUE)).isInstanceOf(StorageException.class)
                .hasMessageContaining("index 5").hasMessageContaining("offset " + recordOffset(4));
        assertThat(log.entries(1, 5, Long.MAX_VALUE)).isEqualTo(es.subList(0, 4));
        log.close();
    }
}
