package dev.ballot.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A first end-to-end pass over the real disk: write, close, reopen, read back. */
class StorageSmokeTest {

    @TempDir
    Path dir;

    @Test
    void logSurvivesReopenAcrossSegmentRolls() {
        List<Entry> written = new ArrayList<>();
        try (SegmentedLog log = SegmentedLog.open(new RealDisk(), dir, 4096)) {
            for (int i = 1; i <= 500; i++) {
                Entry e = Entry.command(i, 1 + i / 100, ("value-" + i).getBytes(StandardCharsets.UTF_8));
                written.add(e);
                log.append(List.of(e));
            }
            log.sync();
            assertThat(log.segmentCount()).isGreaterThan(1);
        }
        try (SegmentedLog log = SegmentedLog.open(new RealDisk(), dir, 4096)) {
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isEqualTo(500);
            assertThat(log.entries(1, 501, Long.MAX_VALUE)).isEqualTo(written);
            assertThat(log.term(250)).isEqualTo(3);
            log.append(List.of(Entry.command(300, 9, new byte[] {1})));
            log.sync();
        }
        try (SegmentedLog log = SegmentedLog.open(new RealDisk(), dir, 4096)) {
            assertThat(log.lastIndex()).isEqualTo(300);
            assertThat(log.term(300)).isEqualTo(9);
            assertThat(log.entries(1, 300, Long.MAX_VALUE)).isEqualTo(written.subList(0, 299));
            log.dropPrefix(200);
            assertThat(log.firstIndex()).isGreaterThan(1).isLessThanOrEqualTo(201);
            assertThat(log.term(log.firstIndex() - 1)).isEqualTo(written.get((int) log.firstIndex() - 2).term());
        }
    }

    @Test
    void hardStateAndSnapshotRoundTrip() throws IOException {
        HardStateFile hs = new HardStateFile(new RealDisk(), dir);
        assertThat(hs.load()).isEqualTo(HardState.INITIAL);
        hs.save(new HardState(7, 3, 42));
        assertThat(new HardStateFile(new RealDisk(), dir).load()).isEqualTo(new HardState(7, 3, 42));

        SnapshotStore store = new SnapshotStore(new RealDisk(), dir.resolve("snapshots"), 2);
        for (int i = 1; i <= 3; i++) {
            byte[] data = ("state " + i).getBytes(StandardCharsets.UTF_8);
            store.save(new SnapshotMeta(i * 10, i, Set.of(1L, 2L, 3L)), out -> out.write(data));
        }
        SnapshotMeta latest = store.latest().orElseThrow();
        assertThat(latest).isEqualTo(new SnapshotMeta(30, 3, Set.of(1L, 2L, 3L)));
        try (InputStream in = store.openData(latest)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("state 3");
        }
        assertThat(new RealDisk().list(dir.resolve("snapshots"))).hasSize(2);
    }
}
