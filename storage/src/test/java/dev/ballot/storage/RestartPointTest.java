package dev.ballot.storage;

import static dev.ballot.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule of {@link RestartPoint}: the newest valid snapshot plus the log after it; a cut-short
 * install finished; a damaged snapshot skipped only when the log can rebuild what it covered; and
 * a loud refusal whenever entries would be missing.
 */
class RestartPointTest {

    @TempDir
    Path dir;

    private SegmentedLog log;

    @AfterEach
    void close() {
        if (log != null) log.close();
    }

    private SnapshotStore store() {
        return new SnapshotStore(new RealDisk(), dir.resolve("snapshots"), 3);
    }

    /** The log with entries 1..{@code last} of term 1, synced. */
    private SegmentedLog log(long last) {
        log = SegmentedLog.open(new RealDisk(), dir.resolve("log"), 4096, Durability.FSYNC, false);
        if (last > 0) log.append(range(1, last, 1, 300));
        log.sync();
        return log;
    }

    private SnapshotMeta snapshot(long index, long term) {
        SnapshotMeta meta = new SnapshotMeta(index, term, Set.of(1L, 2L, 3L));
        store().save(meta, out -> out.write(new byte[] {(byte) index}));
        return meta;
    }

    private void damage(SnapshotMeta meta) throws IOException {
        Path file = dir.resolve("snapshots").resolve(SnapshotStore.fileName(meta.lastIndex(), meta.lastTerm()));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 0x40; // inside the data or the trailer: the checksum fails
        Files.write(file, bytes);
    }

    @Test
    void withoutSnapshotsTheWholeLogIsReplayed() {
        RestartPoint p = RestartPoint.choose(store(), log(20));
        assertThat(p.snapshot()).isEmpty();
        assertThat(p.skipped()).isEmpty();
        assertThat(log.lastIndex()).isEqualTo(20);
    }

    @Test
    void theNewestSnapshotAndTheLogThatContinuesItAreTakenAsTheyAre() {
        SegmentedLog l = log(40);
        snapshot(10, 1);
        SnapshotMeta newest = snapshot(30, 1);
        l.dropPrefix(30);
        long first = l.firstIndex();
        RestartPoint p = RestartPoint.choose(store(), l);
        assertThat(p.snapshot()).contains(newest);
        assertThat(l.firstIndex()).as("nothing reset").isEqualTo(first);
        assertThat(l.lastIndex()).isEqualTo(40);
    }

    @Test
    void aLogThatDoesNotReachTheNewestSnapshotIsResetAfterIt() {
        SegmentedLog l = log(12); // an install of snapshot 50 was cut short: the old log is still there
        SnapshotMeta installing = snapshot(50, 3);
        RestartPoint p = RestartPoint.choose(store(), l);
        assertThat(p.snapshot()).contains(installing);
        assertThat(l.firstIndex()).isEqualTo(51);
        assertThat(l.lastIndex()).isEqualTo(50);
        assertThat(l.term(50)).isEqualTo(3);
    }

    @Test
    void aLogWithAnotherEntryAtTheSnapshotsIndexIsResetAfterIt() {
        SegmentedLog l = log(30); // entry 20 is of term 1, the leader's snapshot says term 2
        SnapshotMeta installing = snapshot(20, 2);
        RestartPoint.choose(store(), l);
        assertThat(l.firstIndex()).isEqualTo(21);
        assertThat(l.term(20)).isEqualTo(installing.lastTerm());
    }

    @Test
    void aDamagedNewestSnapshotFallsBackToThePreviousWhenTheLogCoversTheGap() throws IOException {
        SegmentedLog l = log(40);
        SnapshotMeta older = snapshot(10, 1);
        SnapshotMeta newest = snapshot(30, 1);
        damage(newest);
        RestartPoint p = RestartPoint.choose(store(), l);
        assertThat(p.snapshot()).contains(older);
        assertThat(p.skipped()).singleElement().asString().contains("snapshot-00000000000000000030").contains("damaged");
        assertThat(l.lastIndex()).as("the log replays 11..40").isEqualTo(40);
    }

    @Test
    void aDamagedNewestSnapshotFailsLoudlyWhenTheLogWasCompactedPastThePrevious() throws IOException {
        SegmentedLog l = log(40);
        snapshot(10, 1);
        SnapshotMeta newest = snapshot(30, 1);
        l.dropPrefix(30);
        assertThat(l.firstIndex()).isGreaterThan(11);
        damage(newest);
        assertThatThrownBy(() -> RestartPoint.choose(store(), l)).isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot restart without losing data")
                .hasMessageContaining("covers only up to 10")
                .hasMessageContaining("snapshot-00000000000000000030");
    }

    @Test
    void aDamagedNewestSnapshotFailsLoudlyWhenTheLogEndsBeforeItsIndex() throws IOException {
        SegmentedLog l = log(25); // the log was reset after snapshot 30's install began: it ends before 30
        snapshot(10, 1);
        SnapshotMeta newest = snapshot(30, 1);
        damage(newest);
        assertThatThrownBy(() -> RestartPoint.choose(store(), l)).isInstanceOf(StorageException.class)
                .hasMessageContaining("ends at 25, before index 30");
    }

    @Test
    void onlyDamagedSnapshotsReplayTheWholeLogIfItStartsAtOneAndReachesThem() throws IOException {
        SegmentedLog l = log(40);
        damage(snapshot(30, 1));
        RestartPoint p = RestartPoint.choose(store(), l);
        assertThat(p.snapshot()).isEmpty();
        assertThat(p.skipped()).hasSize(1);
    }

    @Test
    void aLogThatStartsAfterIndexOneWithoutAnySnapshotFailsLoudly() {
        SegmentedLog l = log(40);
        l.dropPrefix(30);
        assertThatThrownBy(() -> RestartPoint.choose(store(), l)).isInstanceOf(StorageException.class)
                .hasMessageContaining("the empty state (no valid snapshot) covers only up to 0");
    }
}
