package dev.ballot.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM stops a node process cleanly, and it restarts on the same data directory and catches up. */
class SigtermProcessTest {

    /** What the JVM exits with after SIGTERM once the shutdown hooks have run (128 + 15). */
    private static final int SIGTERM_EXIT = 143;

    @RegisterExtension
    final ProcessGuard guard = new ProcessGuard();

    @Test
    @Timeout(120)
    void sigtermStopsTheNodeCleanlyAndItRestartsOnTheSameDataDirectory(@TempDir Path dir) {
        ProcessCluster cluster = guard.track(ProcessCluster.create(dir, 3));
        cluster.startAll();
        long leader = cluster.awaitLeader();
        long victim = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        long other = cluster.ids().stream().filter(id -> id != leader && id != victim).findFirst().orElseThrow();
        try (Jedis j = cluster.jedis(victim)) {
            assertThat(j.set("before", "1")).isEqualTo("OK");
        }

        assertThat(cluster.sigterm(victim)).as("exit code after SIGTERM").isEqualTo(SIGTERM_EXIT);
        assertThat(cluster.log(victim)).as("node %d's log", victim).contains("node " + victim + " stopped");

        try (Jedis j = cluster.jedis(other)) { // a majority (2 of 3) is still up
            assertThat(j.set("while-down", "2")).isEqualTo("OK");
        }
        // A lock left behind on the data directory would make this start fail.
        cluster.start(victim);
        cluster.awaitLeader();
        ProcessCluster.Digest digest = cluster.awaitSameDigest();
        assertThat(digest.appliedIndex()).isGreaterThanOrEqualTo(2);
        try (Jedis j = cluster.jedis(victim)) {
            assertThat(j.get("before")).isEqualTo("1");
            assertThat(j.get("while-down")).isEqualTo("2");
        }
        assertThat(cluster.httpGet(victim, "while-down")).contains("2");
    }
}
