package dev.ballot.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Snapshots with real node processes (docs/snapshots.md): every node snapshots every 50 entries
 * and keeps no log behind, so a node that was down comes back behind the leader's compacted log.
 */
class SnapshotProcessTest {

    @RegisterExtension
    final ProcessGuard guard = new ProcessGuard();

    private static void write(ProcessCluster cluster, long node, String prefix, int n) {
        try (Jedis j = cluster.jedis(node)) {
            for (int i = 0; i < n; i++) assertThat(j.set(prefix + i, "value-" + prefix + i)).isEqualTo("OK");
        }
    }

    private static long count(Path log, String text) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    @Test
    @Timeout(240)
    void followersCatchUpBySnapshotAndEveryNodeRestartsFromItsSnapshot(@TempDir Path dir) throws Exception {
        ProcessCluster cluster = guard.track(ProcessCluster.create(dir, 3, "--snapshot-entries", "50",
                "--snapshot-catch-up-entries", "0", "--segment-bytes", "4096"));
        cluster.startAll();
        long leader = cluster.awaitLeader();
        write(cluster, leader, "a", 20);

        // 1. A follower stopped while the leader compacts its log several times catches up by snapshot.
        long stopped = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        cluster.sigkill(stopped);
        write(cluster, leader, "b", 400);
        assertThat(cluster.snapshotIndex(leader)).isGreaterThan(300);
        cluster.start(stopped);
        cluster.awaitSameDigest();
        assertThat(count(cluster.logFile(stopped), "installing the leader's snapshot")).isPositive();
        assertThat(cluster.snapshotIndex(stopped)).isPositive();

        // 2. All nodes killed at once come back from snapshot + log with the same data.
        ProcessCluster.Digest before = cluster.awaitSameDigest();
        for (long id : cluster.ids()) cluster.sigkill(id);
        cluster.startAll();
        cluster.awaitLeader();
        ProcessCluster.Digest after = cluster.awaitSameDigest();
        assertThat(after.sha256()).isEqualTo(before.sha256());
        for (long id : cluster.ids()) {
            assertThat(count(cluster.logFile(id), "state machine restored from the snapshot")).as("node %d", id).isPositive();
        }

        // 3. A follower whose data directory was wiped rejoins; the next leader repairs it.
        long current = cluster.awaitLeader();
        long wiped = cluster.ids().stream().filter(id -> id != current).findFirst().orElseThrow();
        cluster.sigkill(wiped);
        deleteTree(cluster.dataDir(wiped));
        cluster.start(wiped);
        cluster.sigterm(current);
        cluster.start(current);
        long next = cluster.awaitLeader();
        write(cluster, next, "c", 60);
        ProcessCluster.Digest end = cluster.awaitSameDigest();
        assertThat(end.appliedIndex()).isGreaterThan(after.appliedIndex());
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.snapshotIndex(wiped) > 0);
        try (Jedis j = cluster.jedis(wiped)) {
            assertThat(j.get("b399")).isEqualTo("value-b399");
            assertThat(j.get("c59")).isEqualTo("value-c59");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
