package dev.ballot.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A node left alone (its two peers SIGKILLed) refuses writes with TRYAGAIN, and TRYAGAIN keeps its
 * promise: once the peers are back and a leader is elected, the refused write is nowhere.
 */
class MinorityProcessTest {

    @RegisterExtension
    final ProcessGuard guard = new ProcessGuard();

    @Test
    @Timeout(120)
    void aNodeWithoutAMajorityRefusesWritesAndTheRefusedWriteIsNeverApplied(@TempDir Path dir) {
        // A short request timeout: the refused write waits this long for a leader before TRYAGAIN.
        ProcessCluster cluster = guard.track(ProcessCluster.create(dir, 3, "--request-timeout-ms", "1500"));
        cluster.startAll();
        long leader = cluster.awaitLeader();
        try (Jedis j = cluster.jedis(leader)) {
            assertThat(j.set("before", "1")).isEqualTo("OK");
        }
        long survivor = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        for (long id : cluster.ids()) {
            if (id != survivor) cluster.sigkill(id);
        }
        await("node " + survivor + " knows it has no leader").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> cluster.status(survivor), s -> s.leaderId() == 0 && !s.leader());

        JedisDataException refused;
        try (Jedis j = cluster.jedis(survivor)) {
            refused = catchThrowableOfType(JedisDataException.class, () -> j.set("refused", "x"));
        }
        assertThat(refused).as("SET on a node without a leader").isNotNull();
        assertThat(refused.getMessage()).startsWith("TRYAGAIN");

        for (long id : cluster.ids()) {
            if (id != survivor) cluster.start(id);
        }
        cluster.awaitLeader();
        cluster.awaitSameDigest();
        for (long id : cluster.ids()) {
            try (Jedis j = cluster.jedis(id)) {
                assertThat(j.get("before")).as("acked key on node %d", id).isEqualTo("1");
                assertThat(j.get("refused")).as("key refused with TRYAGAIN, on node %d", id).isNull();
            }
            assertThat(cluster.httpGet(id, "refused")).isEqualTo(Optional.empty());
        }
    }
}
