package dev.ballot.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Snapshots in the node runtime: taken by threshold or on request, the log compacted behind them,
 * sent to a follower that needs compacted entries, and used at restart (docs/snapshots.md).
 */
class SnapshotRuntimeTest {

    /** Small segments so compaction drops some; a snapshot every 20 entries, none kept behind it. */
    private static final SnapshotPolicy EVERY_20 = SnapshotPolicy.DEFAULTS.withThresholds(20, 0).withCatchUpEntries(0)
            .withChunks(512, 2);
    private static final long SEGMENT_BYTES = 4096;

    @TempDir
    Path dir;

    private TestCluster cluster(SnapshotPolicy policy) {
        return new TestCluster(dir, 3, Duration.ofSeconds(3), 10_000, policy, SEGMENT_BYTES);
    }

    private static List<String> write(RaftServer leader, String prefix, int n) throws Exception {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String c = prefix + "-" + i + "-" + "x".repeat(20);
            leader.propose(c.getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            written.add(c);
        }
        return written;
    }

    private static void awaitSame(TestCluster c, long id, long other) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(c.machines.get(id).applied()).isEqualTo(c.machines.get(other).applied()));
    }

    @Test
    void theLogIsCompactedBehindSnapshotsTakenAtTheThreshold() throws Exception {
        try (TestCluster c = cluster(EVERY_20)) {
            RaftServer leader = c.awaitLeader();
            write(leader, "a", 300);
            for (RaftServer s : c.servers.values()) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    NodeStatus st = s.status();
                    assertThat(st.snapshot().index()).isGreaterThanOrEqualTo(st.appliedIndex() - 40);
                    assertThat(st.firstLogIndex()).isGreaterThan(1);
                    assertThat(st.snapshot().sizeBytes()).isPositive();
                });
            }
            // Only the newest two snapshot files are kept.
            try (Stream<Path> files = Files.list(c.dataDir(leader.id()).resolve("snapshots"))) {
                assertThat(files.filter(p -> p.toString().endsWith(".snap")).count()).isEqualTo(2);
            }
        }
    }

    @Test
    void aFollowerCutOffWhileTheLeaderCompactsCatchesUpBySnapshot() throws Exception {
        try (TestCluster c = cluster(EVERY_20)) {
            RaftServer leader = c.awaitLeader();
            write(leader, "before", 5);
            RaftServer follower = c.follower();
            c.network.isolate(follower.id(), c.ids);
            write(leader, "during", 300);
            await().atMost(Duration.ofSeconds(10)).until(() -> leader.status().firstLogIndex() > follower.status().lastLogIndex() + 1);
            int restoresBefore = c.machines.get(follower.id()).restores();
            c.network.heal();
            awaitSame(c, follower.id(), leader.id());
            assertThat(c.machines.get(follower.id()).restores()).isGreaterThan(restoresBefore);
            assertThat(follower.status().snapshot().index()).isPositive();
            // It goes on replicating after the install, and its log starts after the snapshot.
            write(leader, "after", 10);
            awaitSame(c, follower.id(), leader.id());
            assertThat(c.machines.get(follower.id()).applied()).hasSize(315);
            assertThat(follower.status().firstLogIndex()).isGreaterThan(1);
        }
    }

    @Test
    void allNodesRestartedAtOnceComeBackFromSnapshotAndLogWithTheSameData() throws Exception {
        List<String> expected;
        try (TestCluster c = cluster(EVERY_20)) {
            expected = write(c.awaitLeader(), "k", 150);
            for (long id : c.ids) awaitSame(c, id, c.awaitLeader().id());
            for (long id : c.ids) c.stop(id);
            for (long id : c.ids) c.start(id);
            for (long id : c.ids) {
                RecordingStateMachine m = c.machines.get(id);
                assertThat(m.restores()).as("node %d restored from its snapshot at start-up", id).isEqualTo(1);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(m.applied()).isEqualTo(expected));
            }
            write(c.awaitLeader(), "more", 5);
        }
    }

    /**
     * The leader that saw the follower acknowledge entries trusts it to keep them (Raft assumes
     * durable storage; its matchIndex never goes back), so the wiped follower is repaired by the
     * next leader, which probes every follower from scratch: here the old leader is restarted.
     */
    @Test
    void aFollowerWhoseDataDirectoryWasWipedRejoinsAndCatchesUpFromTheNextLeader() throws Exception {
        try (TestCluster c = cluster(EVERY_20)) {
            RaftServer leader = c.awaitLeader();
            write(leader, "a", 200);
            long wiped = c.follower().id();
            c.stop(wiped);
            deleteTree(c.dataDir(wiped));
            c.start(wiped);
            c.stop(leader.id());
            c.start(leader.id());
            leader = c.awaitLeader();
            write(leader, "b", 5);
            awaitSame(c, wiped, leader.id());
            assertThat(c.machines.get(wiped).restores()).isEqualTo(1);
            assertThat(c.machines.get(wiped).applied()).hasSize(205);
        }
    }

    @Test
    void anOperatorsSnapshotIsTakenAtOnceAndCompactsTheLog() throws Exception {
        try (TestCluster c = cluster(SnapshotPolicy.MANUAL.withCatchUpEntries(0))) {
            RaftServer leader = c.awaitLeader();
            write(leader, "a", 200);
            assertThat(leader.status().snapshot()).isEqualTo(NodeStatus.Snapshot.NONE);
            assertThat(leader.status().firstLogIndex()).isEqualTo(1);
            NodeStatus.Snapshot taken = leader.takeSnapshot().get(10, TimeUnit.SECONDS);
            assertThat(taken.index()).isEqualTo(leader.status().appliedIndex());
            assertThat(leader.status().snapshot()).isEqualTo(taken);
            assertThat(leader.status().firstLogIndex()).isGreaterThan(1);
            // Nothing applied since: asking again gives the same snapshot.
            assertThat(leader.takeSnapshot().get(10, TimeUnit.SECONDS).index()).isEqualTo(taken.index());
        }
    }

    /** Cuts {@code follower} off until the leader compacted past it, then lets its transfer stop half-way. */
    private static RaftServer stallTransferHalfWay(TestCluster c, RaftServer leader, RaftServer follower) throws Exception {
        c.network.isolate(follower.id(), c.ids);
        write(leader, "during", 300);
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.status().firstLogIndex() > follower.status().lastLogIndex() + 1);
        c.network.dropSnapshotFrames(f -> f instanceof dev.ballot.node.transport.SnapshotFrame.Chunk ch && ch.offset() >= 2048);
        c.network.heal();
        Path snapshots = c.dataDir(follower.id()).resolve("snapshots");
        await().atMost(Duration.ofSeconds(10)).until(() -> partialFiles(snapshots) == 1);
        return follower;
    }

    private static long partialFiles(Path snapshots) throws IOException {
        if (!Files.exists(snapshots)) return 0;
        try (Stream<Path> files = Files.list(snapshots)) {
            return files.filter(p -> p.toString().endsWith(".recv")).count();
        }
    }

    @Test
    void aTransferInterruptedByTheFollowersRestartCompletesAfterIt() throws Exception {
        try (TestCluster c = cluster(EVERY_20)) {
            RaftServer leader = c.awaitLeader();
            write(leader, "before", 5);
            long f = stallTransferHalfWay(c, leader, c.follower()).id();
            c.stop(f);
            c.network.dropSnapshotFrames(null);
            c.start(f);
            // The leader goes on from where the follower was; the restarted follower knows no such
            // transfer, so it starts again from offset 0 and completes.
            awaitSame(c, f, leader.id());
            assertThat(c.machines.get(f).restores()).isPositive();
            assertThat(partialFiles(c.dataDir(f).resolve("snapshots"))).isZero();
        }
    }

    @Test
    void aTransferInterruptedByTheLeadersCrashIsDoneByTheNextLeader() throws Exception {
        try (TestCluster c = cluster(EVERY_20)) {
            RaftServer leader = c.awaitLeader();
            write(leader, "before", 5);
            RaftServer follower = stallTransferHalfWay(c, leader, c.follower());
            long f = follower.id();
            int restoresBefore = c.machines.get(f).restores();
            c.stop(leader.id());
            c.network.dropSnapshotFrames(null);
            RaftServer next = c.awaitLeader();
            assertThat(next.id()).isNotEqualTo(f); // it lacks the log to win
            write(next, "after", 5);
            awaitSame(c, f, next.id());
            assertThat(c.machines.get(f).restores()).isGreaterThan(restoresBefore);
            assertThat(partialFiles(c.dataDir(f).resolve("snapshots"))).isZero();
            c.start(leader.id());
            awaitSame(c, leader.id(), next.id());
        }
    }

    /** Flips one byte in the middle of the newest snapshot file of {@code dir}; returns its name. */
    private static String damageNewestSnapshot(Path dir) throws IOException {
        Path newest;
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            newest = files.filter(p -> p.toString().endsWith(".snap")).max(Comparator.naturalOrder()).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(newest, bytes);
        return newest.getFileName().toString();
    }

    @Test
    void aDamagedNewestSnapshotFallsBackToTheOlderOneWhenTheLogCoversTheGap() throws Exception {
        // 1,000 entries kept behind each snapshot: the log still holds what the newest one covered.
        try (TestCluster c = cluster(EVERY_20.withCatchUpEntries(1000))) {
            RaftServer leader = c.awaitLeader();
            List<String> expected = write(leader, "k", 120);
            long f = c.follower().id();
            awaitSame(c, f, leader.id());
            c.stop(f);
            damageNewestSnapshot(c.dataDir(f));
            c.start(f);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(c.machines.get(f).applied()).isEqualTo(expected));
            assertThat(c.machines.get(f).restores()).as("restored from the older snapshot").isEqualTo(1);
        }
    }

    @Test
    void aDamagedNewestSnapshotStopsTheNodeLoudlyWhenTheLogNoLongerCoversTheGap() throws Exception {
        try (TestCluster c = cluster(EVERY_20)) {
            RaftServer leader = c.awaitLeader();
            long f = c.follower().id();
            // Until, on the stopped follower's disk, the log starts after the older snapshot's next
            // entry: then falling back to it would leave entries in no file.
            for (int round = 0; ; round++) {
                write(leader, "k" + round, 60);
                awaitSame(c, f, leader.id());
                c.stop(f);
                if (firstLogIndexOnDisk(c.dataDir(f)) > oldestSnapshotIndexOnDisk(c.dataDir(f)) + 1) break;
                assertThat(round).as("the log never moved past the older snapshot").isLessThan(10);
                c.start(f);
            }
            String damaged = damageNewestSnapshot(c.dataDir(f));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.start(f))
                    .isInstanceOf(dev.ballot.storage.StorageException.class)
                    .hasMessageContaining("cannot restart without losing data")
                    .hasMessageContaining(damaged);
        }
    }

    private static long firstLogIndexOnDisk(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("log"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("log-\\d+\\.seg"))
                    .mapToLong(n -> Long.parseLong(n.substring(4, n.length() - 4))).min().orElseThrow();
        }
    }

    private static long oldestSnapshotIndexOnDisk(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snap"))
                    .mapToLong(n -> Long.parseLong(n.substring("snapshot-".length(), "snapshot-".length() + 20)))
                    .min().orElseThrow();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

}
