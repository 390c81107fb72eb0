package dev.ballot.node;

import dev.ballot.raft.Entry;
import dev.ballot.storage.Durability;
import dev.ballot.storage.GroupCommitLog;
import dev.ballot.storage.HardStateFile;
import dev.ballot.storage.RealDisk;
import dev.ballot.storage.SegmentedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory tail must answer exactly what the files answer, through appends and truncations. */
class LockedLogStorageTest {

    @TempDir
    Path dir;

    @Test
    void answersLikeTheFilesThroughRandomAppendsAndTruncations() throws Exception {
        RealDisk disk = new RealDisk();
        try (SegmentedLog segments = SegmentedLog.open(disk, dir.resolve("log"), 64 * 1024, Durability.NONE)) {
            GroupCommitLog log = new GroupCommitLog(segments, new HardStateFile(disk, dir), Durability.NONE, "t");
            LockedLogStorage view = new LockedLogStorage(log);
            Random random = new Random(11);
            long last = 0;
            long term = 1;
            for (int round = 0; round < 400; round++) {
                // Mostly appends at the end; sometimes a follower-style overwrite of a suffix.
                long first = last == 0 || random.nextInt(5) > 0 ? last + 1 : Math.max(1, last - random.nextInt(40));
                if (first <= last) term++;
                List<Entry> batch = new ArrayList<>();
                int n = 1 + random.nextInt(30);
                for (int i = 0; i < n; i++) {
                    byte[] data = new byte[random.nextInt(200)];
                    random.nextBytes(data);
                    batch.add(Entry.command(first + i, term, data));
                }
                log.persist(batch, null).get();
                view.persisted(batch);
                last = first + n - 1;

                assertThat(view.lastIndex()).isEqualTo(last);
                long from = 1 + random.nextInt((int) last);
                long to = from + 1 + random.nextInt((int) (last - from + 1));
                long maxBytes = random.nextBoolean() ? Long.MAX_VALUE : random.nextInt(2000);
                List<Entry> expected = log.read(l -> l.entries(from, to, maxBytes));
                assertThat(view.entries(from, to, maxBytes)).isEqualTo(expected);
                for (long i = Math.max(1, last - 50); i <= last; i++) {
                    long index = i;
                    assertThat(view.term(index)).isEqualTo(log.read(l -> l.term(index)));
                }
            }
            log.close();
        }
    }

    @Test
    void keepsOnlyABoundedTail() throws Exception {
        RealDisk disk = new RealDisk();
        try (SegmentedLog segments = SegmentedLog.open(disk, dir.resolve("log"), 1 << 20, Durability.NONE)) {
            GroupCommitLog log = new GroupCommitLog(segments, new HardStateFile(disk, dir), Durability.NONE, "t");
            LockedLogStorage view = new LockedLogStorage(log);
            long next = 1;
            for (int round = 0; round < 5; round++) {
                List<Entry> batch = new ArrayList<>();
                for (int i = 0; i < LockedLogStorage.TAIL_ENTRIES; i++) batch.add(Entry.command(next++, 1, new byte[1]));
                log.persist(batch, null).get();
                view.persisted(batch);
            }
            // Old entries are still readable (from the files), and equal to what was written.
            assertThat(view.entries(1, 3, Long.MAX_VALUE)).extracting(Entry::index).containsExactly(1L, 2L);
            assertThat(view.term(next - 1)).isEqualTo(1);
            log.close();
        }
    }
}
