package dev.ballot.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Entry;
import dev.ballot.raft.LogStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The durable log on the real file system, with 4 KiB segments so that most tests span several. */
class SegmentedLogContractTest extends LogStorageContractTest {

    @TempDir
    Path dir;

    private final List<SegmentedLog> opened = new ArrayList<>();

    /** Whether the log under test extends its segment files ahead of the records. */
    boolean preallocate() {
        return false;
    }

    private SegmentedLog open() {
        SegmentedLog log = SegmentedLog.open(new RealDisk(), dir.resolve("log"), 4096, Durability.FSYNC, preallocate());
        opened.add(log);
        return log;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(SegmentedLog::close);
    }

    @Override
    LogStorage newLog() {
        return open();
    }

    @Override
    LogStorage logWithPrefixDropped(List<Entry> entries, long upTo) {
        SegmentedLog log = open();
        log.append(entries);
        log.sync();
        int before = log.segmentCount();
        log.dropPrefix(upTo);
        assertThat(log.segmentCount()).as("segments dropped").isLessThan(before);
        return log;
    }
}
