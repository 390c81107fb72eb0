package dev.ballot.storage;

import static dev.ballot.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballot.raft.Entry;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SegmentedLog#restore}: the log after a follower installs its leader's snapshot. It
 * survives a reopen, and a power loss at any operation of it leaves a log that opens and is either
 * a prefix of the old log or the new empty one.
 */
class SegmentedLogRestoreTest {

    private static final Path DIR = Path.of("/node/log");
    private static final long SEGMENT_BYTES = 4096;
    private static final long SNAPSHOT_INDEX = 100;
    private static final long SNAPSHOT_TERM = 4;

    /** Entries 1..30 of term 1, a few hundred bytes each: several segments. */
    private static final List<Entry> OLD = range(1, 30, 1, 400);

    private static SegmentedLog open(CrashableDisk disk) {
        return SegmentedLog.open(disk, DIR, SEGMENT_BYTES, Durability.FSYNC, true);
    }

    /** A disk holding the old log, synced; the log is closed. */
    private static CrashableDisk withOldLog() {
        CrashableDisk disk = new CrashableDisk();
        SegmentedLog log = open(disk);
        log.append(OLD);
        log.sync();
        assertThat(log.segmentCount()).as("the old log spans several segments").isGreaterThan(2);
        log.close();
        return disk;
    }

    @Test
    void aRestoredLogSurvivesAReopenAndGrowsAfterTheSnapshot() {
        CrashableDisk disk = withOldLog();
        SegmentedLog log = open(disk);
        log.restore(SNAPSHOT_INDEX, SNAPSHOT_TERM);
        log.append(range(SNAPSHOT_INDEX + 1, SNAPSHOT_INDEX + 3, SNAPSHOT_TERM, 100));
        log.sync();
        log.close();
        SegmentedLog reopened = open(disk.crash(new Random(1)));
        assertThat(reopened.firstIndex()).isEqualTo(SNAPSHOT_INDEX + 1);
        assertThat(reopened.lastIndex()).isEqualTo(SNAPSHOT_INDEX + 3);
        assertThat(reopened.term(SNAPSHOT_INDEX)).isEqualTo(SNAPSHOT_TERM);
        assertThat(reopened.segmentCount()).isEqualTo(1);
    }

    @Test
    void aPowerLossAtAnyOperationLeavesAPrefixOfTheOldLogOrTheNewEmptyOne() {
        CrashableDisk dry = withOldLog();
        SegmentedLog log = open(dry);
        long before = dry.operationCount();
        log.restore(SNAPSHOT_INDEX, SNAPSHOT_TERM);
        long operations = dry.operationCount() - before;
        log.close();
        assertThat(operations).isGreaterThan(5);

        Random random = new Random(42);
        int prefixes = 0;
        int restored = 0;
        for (long cut = 1; cut <= operations + 1; cut++) {
            CrashableDisk disk = withOldLog();
            SegmentedLog l = open(disk);
            disk.crashAtOperation(disk.operationCount() + cut);
            if (cut <= operations) {
                assertThatThrownBy(() -> l.restore(SNAPSHOT_INDEX, SNAPSHOT_TERM)).isInstanceOf(StorageException.class);
            } else {
                l.restore(SNAPSHOT_INDEX, SNAPSHOT_TERM);
            }
            for (int image = 0; image < 4; image++) {
                SegmentedLog after = open(disk.crash(random));
                String where = "power loss at operation " + cut + " of " + operations + ", image " + image;
                if (after.firstIndex() == SNAPSHOT_INDEX + 1) {
                    assertThat(after.lastIndex()).as(where).isEqualTo(SNAPSHOT_INDEX);
                    assertThat(after.term(SNAPSHOT_INDEX)).as(where).isEqualTo(SNAPSHOT_TERM);
                    restored++;
                } else {
                    assertThat(after.firstIndex()).as(where + ": the old log from its start").isEqualTo(1);
                    List<Entry> held = after.entries(1, after.lastIndex() + 1, Long.MAX_VALUE);
                    assertThat(held).as(where + ": a prefix of the old log").isEqualTo(OLD.subList(0, held.size()));
                    prefixes++;
                }
                // Either way the log keeps working.
                after.append(range(after.lastIndex() + 1, after.lastIndex() + 2, SNAPSHOT_TERM, 50));
                after.sync();
                after.close();
            }
        }
        assertThat(prefixes).as("power losses that kept (a prefix of) the old log").isPositive();
        assertThat(restored).as("power losses after which the new log stands").isPositive();
    }
}
