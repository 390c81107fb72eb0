package dev.ballot.bench.peers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FsyncTraceTest {

    @Test
    void countsOnlyInsideTheMarkedWindowPerNodeAndFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("x.strace");
        Files.write(log, List.of(
                "100 fdatasync(45</d/ballot/node-1/log/log-001.seg>) = 0",                 // before the window
                "101 fsync(9</d/ballot/fsync-marker-begin-k1>) = 0",
                "102 fdatasync(45</d/ballot/node-1/log/log-001.seg>) = 0",
                "103 fdatasync(46</d/ballot/node-2/log/log-001.seg> <unfinished ...>",
                "104 fdatasync(47</d/ballot/node-3/log/log-002.seg>) = 0",
                "103 <... fdatasync resumed>) = 0",                                          // not a second call
                "105 sync_file_range(48</d/ballot/node-3/log/log-002.seg>, 0, 4096, SYNC_FILE_RANGE_WRITE) = 0",
                "106 msync(0x7f0000000000, 4096, MS_SYNC) = 0",
                "107 fsync(50</d/ballot/fsync-marker-end-k1>) = 0",
                "108 fdatasync(45</d/ballot/node-1/log/log-001.seg>) = 0"));                 // after it

        Map<Integer, FsyncTrace.Window> windows = FsyncTrace.parse(log, List.of(1));

        FsyncTrace.Window w = windows.get(1);
        // node-3's sync_file_range starts write-back only: not counted as a durable sync.
        assertThat(w.perNode()).containsOnly(Map.entry(1, 1L), Map.entry(2, 1L), Map.entry(3, 1L));
        assertThat(w.perFile()).containsEntry("node-1/log/log-#.seg fdatasync", 1L)
                .containsEntry("node-3/log/log-#.seg sync_file_range", 1L);
        assertThat(w.other()).containsEntry("(no file) msync", 1L);
    }

    @Test
    void aWindowWithoutItsEndMarkerIsNotReported(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("x.strace");
        Files.write(log, List.of("1 fsync(9</d/fsync-marker-begin-k16>) = 0",
                "2 fdatasync(45</d/node-1/log>) = 0"));

        assertThat(FsyncTrace.parse(log, List.of(16))).isEmpty();
    }
}
