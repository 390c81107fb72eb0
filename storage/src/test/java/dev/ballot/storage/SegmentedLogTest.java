package dev.ballot.storage;

import static dev.ballot.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballot.raft.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SegmentedLog behaviour beyond the LogStorage contract: segments, rolls, truncation and compaction on disk. */
class SegmentedLogTest {

    private static final Path LOG = Path.of("/node/log");
    /** 32 + 7 * 525 < 4096 <= 32 + 8 * 525: a segment takes 8 entries of 500 bytes. */
    private static final int PAYLOAD = 500;

    private final CrashableDisk disk = new CrashableDisk();

    private SegmentedLog open() {
        return SegmentedLog.open(disk, LOG, 4096);
    }

    private List<String> files() throws IOException {
        return disk.list(LOG);
    }

    @Test
    void aFullSegmentRollsToANewFileNamedAfterItsFirstIndex() throws IOException {
        SegmentedLog log = open();
        for (long i = 1; i <= 20; i++) log.append(range(i, i, 1, PAYLOAD));
        assertThat(files()).containsExactly(Segment.fileName(1), Segment.fileName(9), Segment.fileName(17));
        assertThat(log.segmentCount()).isEqualTo(3);
        log.sync();
        assertThat(log.syncCount()).isEqualTo(1);
    }

    @Test
    void oneLargeBatchIsSpreadOverSegmentsToo() throws IOException {
        SegmentedLog log = open();
        log.append(range(1, 20, 1, PAYLOAD));
        assertThat(files()).containsExactly(Segment.fileName(1), Segment.fileName(9), Segment.fileName(17));
        log.close();
        assertThat(open().entries(1, 21, Long.MAX_VALUE)).isEqualTo(range(1, 20, 1, PAYLOAD));
    }

    @Test
    void anEntryLargerThanASegmentGetsASegmentOfItsOwn() throws IOException {
        SegmentedLog log = open();
        log.append(range(1, 1, 1, 10));
        log.append(range(2, 2, 1, 10_000));
        log.append(range(3, 3, 1, 10));
        log.sync();
        log.close();
        SegmentedLog reopened = open();
        assertThat(reopened.entries(1, 4, Long.MAX_VALUE)).containsExactly(
                TestEntries.entry(1, 1, 10), TestEntries.entry(2, 1, 10_000), TestEntries.entry(3, 1, 10));
        assertThat(files()).hasSize(2);
    }

    @Test
    void truncatingIntoAnEarlierSegmentDeletesTheLaterFiles() throws IOException {
        SegmentedLog log = open();
        log.append(range(1, 20, 1, PAYLOAD));
        log.truncateSuffix(5);
        assertThat(files()).containsExactly(Segment.fileName(1));
        assertThat(log.lastIndex()).isEqualTo(4);
        log.append(range(5, 12, 2, PAYLOAD));
        log.sync();
        log.close();
        List<Entry> expected = new ArrayList<>(range(1, 4, 1, PAYLOAD));
        expected.addAll(range(5, 12, 2, PAYLOAD));
        assertThat(open().entries(1, 13, Long.MAX_VALUE)).isEqualTo(expected);
    }

    @Test
    void dropPrefixDeletesWholeSegmentsOnlyAndNeverTheActiveOne() throws IOException {
        SegmentedLog log = open();
        log.append(range(1, 20, 1, PAYLOAD));
        log.dropPrefix(12); // segment [1, 8] goes, [9, 16] holds 13..16 and stays
        assertThat(log.firstIndex()).isEqualTo(9);
        assertThat(log.term(8)).isEqualTo(1);
        log.dropPrefix(100);
        assertThat(files()).containsExactly(Segment.fileName(17));
        assertThat(log.firstIndex()).isEqualTo(17);
        assertThat(log.lastIndex()).isEqualTo(20);
        log.truncateSuffix(17); // now empty, but it still knows where it stands
        assertThat(log.lastIndex()).isEqualTo(16);
        assertThat(log.term(16)).isEqualTo(1);
        log.sync();
        log.close();
        SegmentedLog reopened = open();
        assertThat(reopened.firstIndex()).isEqualTo(17);
        assertThat(reopened.lastIndex()).isEqualTo(16);
        assertThat(reopened.term(16)).isEqualTo(1);
    }

    @Test
    void leftoverTempFilesOfAnInterruptedSegmentCreationAreRemoved() throws IOException {
        SegmentedLog log = open();
        log.append(range(1, 3, 1, PAYLOAD));
        log.sync();
        log.close();
        disk.open(LOG.resolve(Segment.fileName(4) + ".tmp"), true).close();
        assertThat(open().lastIndex()).isEqualTo(3);
        assertThat(files()).containsExactly(Segment.fileName(1));
    }

    @Test
    void tooSmallASegmentSizeIsRefused() {
        assertThatThrownBy(() -> SegmentedLog.open(disk, LOG, 40)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEntryWhoseTermIsBelowItsPredecessorsIsRefusedNotSilentlyDroppedOnReopen() {
        // Reopening rejects a record whose term is below the one before it (and, in the last
        // segment, cuts it off as a torn tail). Appending must not accept what reopening rejects.
        SegmentedLog log = open();
        log.append(range(1, 2, 3, 10));
        try {
            log.append(range(3, 3, 2, 10));
        } catch (IllegalArgumentException refused) {
            assertThat(log.lastIndex()).isEqualTo(2);
            return;
        }
        log.sync();
        log.close();
        assertThat(open().lastIndex()).as("an appended and synced entry disappeared on reopen").isEqualTo(3);
    }
}
