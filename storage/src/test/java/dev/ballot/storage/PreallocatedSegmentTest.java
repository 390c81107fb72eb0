package dev.ballot.storage;

import static dev.ballot.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ballot.raft.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment files extended with zeros ahead of the records (on the real file system): how far they
 * are extended, that the zero tail is reused and never mistaken for damage, and that damage in or
 * next to it is still told apart (a torn tail of the last segment is cut, anything else stops the node).
 */
class PreallocatedSegmentTest {

    /** Payload size; a record is then 125 bytes, so record k (from 0) of a segment starts at 32 + 125k. */
    private static final int PAYLOAD = 100;
    private static final int RECORD = LogRecord.HEADER_BYTES + PAYLOAD;
    /** The step for segments of 64 KiB and more. */
    private static final long STEP = 64 << 10;
    /** Large segments: the step is the 64 KiB maximum. */
    private static final long BIG = 1 << 20;
    /** Small segments: the step is the segment size, and a segment rolls after 66 records. */
    private static final long SMALL = 8192;

    @TempDir
    Path dir;

    private final RealDisk disk = new RealDisk();

    private Path logDir() {
        return dir.resolve("log");
    }

    private SegmentedLog open(long segmentBytes) {
        return SegmentedLog.open(disk, logDir(), segmentBytes, Durability.FSYNC, true);
    }

    /** Appends entries {@code from..to} (term 1) in batches of 7, syncs and closes. */
    private void write(long segmentBytes, int from, int to) {
        SegmentedLog log = open(segmentBytes);
        for (int i = from; i <= to; i += 7) log.append(range(i, Math.min(to, i + 6), 1, PAYLOAD));
        log.sync();
        log.close();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(logDir())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static long recordOffset(long k) {
        return Segment.HEADER_BYTES + k * RECORD;
    }

    private static void put(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    private static byte[] bytesFrom(Path file, long offset) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return java.util.Arrays.copyOfRange(all, (int) offset, all.length);
    }

    private static byte[] encoded(Entry e) {
        ByteBuffer b = ByteBuffer.allocate(LogRecord.encodedSize(e));
        LogRecord.encode(e, b, new CRC32C());
        return b.array();
    }

    private static void assertHolds(SegmentedLog log, int lastIndex) {
        assertThat(log.firstIndex()).isEqualTo(1);
        assertThat(log.lastIndex()).isEqualTo(lastIndex);
        assertThat(log.entries(1, lastIndex + 1, Long.MAX_VALUE)).isEqualTo(range(1, lastIndex, 1, PAYLOAD));
    }

    @Test
    void theStepIs64KibOrTheSegmentSizeIfSmaller() {
        assertThat(Segment.preallocationStep(SegmentedLog.DEFAULT_SEGMENT_BYTES)).isEqualTo(STEP);
        assertThat(Segment.preallocationStep(SMALL)).isEqualTo(SMALL);
    }

    @Test
    void theFileIsExtendedAheadOfTheRecordsInWholeSteps() throws IOException {
        SegmentedLog log = open(BIG);
        log.append(range(1, 1, 1, PAYLOAD));
        log.sync();
        Path seg = segments().getFirst();
        assertThat(Files.size(seg)).as("one record: the file is one step long").isEqualTo(STEP);

        // Records up to just past the first step: the file grows by exactly one more step.
        int pastOneStep = (int) ((STEP - Segment.HEADER_BYTES) / RECORD) + 1;
        log.append(range(2, pastOneStep, 1, PAYLOAD));
        log.sync();
        assertThat(recordOffset(pastOneStep)).isGreaterThan(STEP);
        assertThat(Files.size(seg)).isEqualTo(2 * STEP);
        assertThat(bytesFrom(seg, recordOffset(pastOneStep))).as("beyond the records: zeros").containsOnly(0);

        // One batch spanning several steps: the file ends at the first step boundary after it.
        int last = pastOneStep + 1200;
        log.append(range(pastOneStep + 1, last, 1, PAYLOAD));
        log.sync();
        assertThat(Files.size(seg)).isEqualTo((recordOffset(last) / STEP + 1) * STEP).isGreaterThan(3 * STEP);
        log.close();
        SegmentedLog reopened = open(BIG);
        assertHolds(reopened, last);
        reopened.close();
    }

    @Test
    void reopeningGivesTheSameEntriesAndAppendsReuseTheZeroTail() throws IOException {
        write(BIG, 1, 20);
        Path seg = segments().getFirst();
        assertThat(Files.size(seg)).isEqualTo(STEP);

        SegmentedLog log = open(BIG);
        assertHolds(log, 20);
        assertThat(Files.size(seg)).as("opening cuts nothing off").isEqualTo(STEP);
        log.append(range(21, 40, 1, PAYLOAD));
        log.sync();
        log.close();

        assertThat(Files.size(seg)).as("the appends went into the zeros").isEqualTo(STEP);
        byte[] at20 = java.util.Arrays.copyOf(bytesFrom(seg, recordOffset(20)), RECORD);
        assertThat(at20).as("entry 21 directly follows entry 20").isEqualTo(encoded(TestEntries.entry(21, 1, PAYLOAD)));
        SegmentedLog reopened = open(BIG);
        assertHolds(reopened, 40);
        reopened.close();
    }

    @Test
    void aPreallocatedLogOpensWithoutPreallocationAndTheOtherWayRound() throws IOException {
        write(BIG, 1, 20);
        SegmentedLog plain = SegmentedLog.open(disk, logDir(), BIG);
        assertHolds(plain, 20);
        plain.append(range(21, 25, 1, PAYLOAD));
        plain.sync();
        plain.close();
        assertThat(Files.size(segments().getFirst())).isEqualTo(STEP);
        SegmentedLog again = open(BIG);
        assertHolds(again, 25);
        again.close();
    }

    @Test
    void theOverloadsWithoutThePreallocateFlagDoNotPreallocate() throws IOException {
        SegmentedLog log = SegmentedLog.open(disk, logDir(), BIG, Durability.FSYNC);
        log.append(range(1, 3, 1, PAYLOAD));
        log.sync();
        log.close();
        assertThat(Files.size(segments().getFirst())).isEqualTo(recordOffset(3));
    }

    @Test
    void nodeStorageWithTheDefaultsPreallocatesAndCanBeToldNotTo() throws IOException {
        assertThat(StorageOptions.DEFAULTS.preallocate()).isTrue();
        for (boolean preallocate : new boolean[] {true, false}) {
            Path data = dir.resolve("node-" + preallocate);
            try (NodeStorage storage = NodeStorage.open(data, StorageOptions.DEFAULTS.withPreallocate(preallocate))) {
                storage.log().append(range(1, 1, 1, PAYLOAD));
                storage.log().sync();
            }
            try (Stream<Path> s = Files.list(data.resolve("log"))) {
                Path seg = s.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
                assertThat(Files.size(seg)).as("preallocate=%s", preallocate).isEqualTo(preallocate ? STEP : recordOffset(1));
            }
        }
    }

    @Test
    void zeroTailsInRolledSegmentsAndTheLastAreNeitherCorruptionNorCutOff() throws IOException {
        write(SMALL, 1, 200);
        List<Path> segs = segments();
        assertThat(segs).hasSizeGreaterThanOrEqualTo(3);
        List<Long> sizes = new ArrayList<>();
        for (Path seg : segs) {
            long size = Files.size(seg);
            sizes.add(size);
            assertThat(size % SMALL).as("%s is a whole number of steps", seg).isZero();
        }
        // The first segment holds records up to (just past) the segment size: its tail is mostly zeros.
        assertThat(sizes.getFirst()).isEqualTo(2 * SMALL);

        SegmentedLog log = open(SMALL);
        assertHolds(log, 200);
        log.close();
        for (int i = 0; i < segs.size(); i++) {
            assertThat(Files.size(segs.get(i))).as("%s after reopening", segs.get(i)).isEqualTo(sizes.get(i));
        }
    }

    @Test
    void aTornRecordInThePreallocatedZerosOfTheLastSegmentIsATornTail() throws IOException {
        write(BIG, 1, 20);
        Path seg = segments().getFirst();
        byte[] next = encoded(TestEntries.entry(21, 1, PAYLOAD));
        put(seg, recordOffset(20), java.util.Arrays.copyOf(next, RECORD - 9)); // cut short, zeros after it

        SegmentedLog log = open(BIG);
        assertHolds(log, 20);
        assertThat(Files.size(seg)).as("the torn record and the zeros after it are cut off").isEqualTo(recordOffset(20));
        log.append(range(21, 30, 1, PAYLOAD));
        log.sync();
        log.close();
        assertThat(Files.size(seg)).as("the next append extends the file again").isEqualTo(STEP);
        SegmentedLog reopened = open(BIG);
        assertHolds(reopened, 30);
        reopened.close();
    }

    @Test
    void garbageInThePreallocatedZerosOfTheLastSegmentIsATornTail() throws IOException {
        write(BIG, 1, 20);
        Path seg = segments().getFirst();
        byte[] garbage = new byte[300];
        new Random(7).nextBytes(garbage);
        put(seg, recordOffset(20) + 1000, garbage);

        SegmentedLog log = open(BIG);
        assertHolds(log, 20);
        assertThat(Files.size(seg)).isEqualTo(recordOffset(20));
        log.close();
    }

    @Test
    void garbageInTheZeroTailOfARolledSegmentIsCorruptionNamingFileAndOffset() throws IOException {
        write(SMALL, 1, 200);
        Path first = segments().getFirst();
        long secondFirstIndex = Long.parseLong(segments().get(1).getFileName().toString().substring(4, 24));
        long recordsEnd = recordOffset(secondFirstIndex - 1);
        assertThat(Files.size(first)).isGreaterThan(recordsEnd + 3000);
        put(first, recordsEnd + 3000, new byte[] {0x5A});

        StorageException e = catchThrowableOfType(StorageException.class, () -> open(SMALL).close());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(first.toString()).contains("offset " + recordsEnd);
    }

    @Test
    void truncatingThenReopeningBringsNoOldRecordBack() throws IOException {
        write(BIG, 1, 40);
        Path seg = segments().getFirst();
        SegmentedLog log = open(BIG);
        log.truncateSuffix(21);
        assertThat(Files.size(seg)).as("the file is cut, zero tail and all").isEqualTo(recordOffset(20));
        log.close();

        SegmentedLog cut = open(BIG);
        assertHolds(cut, 20);
        cut.append(range(21, 40, 1, PAYLOAD));
        // A conflicting suffix in a later term: cuts 11..40, then writes 11..15 into a fresh zero tail.
        List<Entry> replacement = range(11, 15, 2, PAYLOAD);
        cut.append(replacement);
        cut.sync();
        cut.close();
        assertThat(Files.size(seg)).isEqualTo(STEP);
        assertThat(bytesFrom(seg, recordOffset(15))).as("nothing but zeros after the new records").containsOnly(0);

        SegmentedLog reopened = open(BIG);
        assertThat(reopened.lastIndex()).isEqualTo(15);
        List<Entry> expected = new ArrayList<>(range(1, 10, 1, PAYLOAD));
        expected.addAll(replacement);
        assertThat(reopened.entries(1, 16, Long.MAX_VALUE)).isEqualTo(expected);
        reopened.close();
    }
}
