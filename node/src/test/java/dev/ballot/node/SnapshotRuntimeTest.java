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

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

}
