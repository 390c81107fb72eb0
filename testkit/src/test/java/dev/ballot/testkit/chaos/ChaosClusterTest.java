package dev.ballot.testkit.chaos;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Three real {@code ballot server} processes behind the fault proxies; one cluster for the whole
 * class (starting JVMs is the slow part), and every test leaves it healed and converged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosClusterTest {

    private static final Logger log = LoggerFactory.getLogger(ChaosClusterTest.class);
    private static final Duration CONVERGE = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private ChaosCluster cluster;

    @RegisterExtension
    final TestWatcher showLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster == null) return;
            for (long id : cluster.ids()) {
                log.error("{} failed; last lines of node {}:\n{}", context.getDisplayName(), id, cluster.logTail(id, 40));
            }
        }
    };

    @BeforeAll
    void startCluster() {
        cluster = ChaosCluster.create(dir, 3, List.of("--tick-ms", "10", "--request-timeout-ms", "1000"));
        cluster.start();
    }

    @AfterEach
    void healAndConverge() {
        cluster.healAll();
        awaitLeader();
        awaitSameDigestOnAll();
    }

    @AfterAll
    void closeCluster() {
        cluster.close();
        cluster.close();
        assertThat(cluster.ids()).noneMatch(cluster::isRunning);
    }

    @Test
    void aWriteThroughAnyNodeIsReadableOnEveryNode() {
        long leader = awaitLeader();
        for (long from : cluster.ids()) {
            for (long to : followers(from)) {
                await("node " + from + " dials node " + to + " through its proxy").atMost(CONVERGE)
                        .until(() -> cluster.proxies().openConnections(from, to) == 1);
            }
        }
        long follower = followers(leader).get(0);
        try (Jedis viaLeader = jedis(leader); Jedis viaFollower = jedis(follower)) {
            assertThat(viaLeader.set("a", "1")).isEqualTo("OK");
            assertThat(viaFollower.set("b", "2")).isEqualTo("OK");
        }
        for (long id : cluster.ids()) {
            try (Jedis j = jedis(id)) {
                assertThat(j.mget("a", "b")).as("read on node %d", id).containsExactly("1", "2");
            }
        }
        assertThat(cluster.status(leader, Duration.ofSeconds(2))).get()
                .satisfies(s -> assertThat(s.isLeader()).isTrue())
                .satisfies(s -> assertThat(s.commitIndex()).isPositive());
    }

    @Test
    void anIsolatedLeaderIsReplacedByTheMajorityAndCannotCommit() {
        long old = awaitLeader();
        Set<Long> others = new HashSet<>(followers(old));
        cluster.network().partition(List.of(Set.of(old), others));
        assertThat(cluster.network().describe()).startsWith("partition [" + old + "] | ");

        long replacement = await("a new leader among " + others).atMost(CONVERGE)
                .until(cluster::leader, l -> l.isPresent() && l.get() != old).orElseThrow();
        assertThat(others).contains(replacement);
        try (Jedis viaOld = jedis(old); Jedis viaNew = jedis(replacement)) {
            assertThatThrownBy(() -> viaOld.set("p", "from the old leader")).isInstanceOf(JedisException.class);
            assertThat(viaNew.set("p", "from the new leader")).isEqualTo("OK");
        }

        cluster.network().heal();
        awaitSameDigestOnAll();
        try (Jedis j = jedis(old)) {
            assertThat(j.get("p")).isEqualTo("from the new leader");
        }
    }

    @Test
    void aKilledNodeCatchesUpAfterItsRestart() {
        long leader = awaitLeader();
        long victim = followers(leader).get(0);
        cluster.kill(victim);
        assertThat(cluster.isRunning(victim)).isFalse();
        cluster.kill(victim); // no-op

        try (Jedis j = jedis(leader)) {
            for (int i = 0; i < 20; i++) assertThat(j.set("k" + i, "v" + i)).isEqualTo("OK");
        }
        assertThat(cluster.digests()).doesNotContainKey(victim);

        cluster.restart(victim);
        assertThat(cluster.isRunning(victim)).isTrue();
        awaitSameDigestOnAll();
        try (Jedis j = jedis(victim)) {
            assertThat(j.get("k19")).isEqualTo("v19");
        }
    }

    @Test
    void aPausedNodeDoesNotAnswerUntilResumed() {
        long leader = awaitLeader();
        long sleeper = followers(leader).get(0);
        cluster.pause(sleeper);

        assertThat(cluster.isRunning(sleeper)).isTrue();
        assertThat(cluster.isPaused(sleeper)).isTrue();
        assertThat(cluster.status(sleeper, Duration.ofMillis(300))).isEmpty();
        assertThat(cluster.digests()).doesNotContainKey(sleeper);
        try (Jedis j = jedis(leader)) {
            assertThat(j.set("while-paused", "yes")).as("the other two still commit").isEqualTo("OK");
        }

        cluster.resume(sleeper);
        assertThat(cluster.isPaused(sleeper)).isFalse();
        assertThat(cluster.status(sleeper, Duration.ofSeconds(5))).isPresent();
        awaitSameDigestOnAll();
    }

    @Test
    void lossAndDelayOnRealTrafficSlowTheClusterButNeverCorruptAFrame() throws Exception {
        cluster.network().setLoss(0.05);
        cluster.network().setDelay(Duration.ofMillis(1), Duration.ofMillis(10));
        long leader = awaitLeader();
        try (Jedis j = jedis(leader)) {
            for (int i = 0; i < 20; i++) {
                String key = "lossy" + i;
                // A write may time out when its messages are lost; the same SET again is harmless.
                await("SET " + key).atMost(CONVERGE).ignoreExceptions().until(() -> j.set(key, "x").equals("OK"));
            }
        }
        assertThat(cluster.proxies().droppedFrames()).isPositive();

        cluster.network().clearLossAndDelay();
        awaitSameDigestOnAll();
        for (long id : cluster.ids()) {
            assertThat(Files.readString(cluster.logFile(id))).as("log of node %d", id)
                    .doesNotContain("Closing peer connection from");
        }
    }

    private long awaitLeader() {
        return await("one agreed leader").atMost(CONVERGE).until(cluster::leader, Optional::isPresent).orElseThrow();
    }

    private void awaitSameDigestOnAll() {
        await("every node has the same applied index and state hash").atMost(CONVERGE)
                .until(cluster::digests, d -> d.size() == cluster.ids().size() && Set.copyOf(d.values()).size() == 1);
    }

    private List<Long> followers(long leader) {
        return cluster.ids().stream().filter(id -> id != leader).toList();
    }

    private Jedis jedis(long id) {
        // RESP2 without a HELLO (Ballot speaks RESP2); the timeout exceeds the nodes' 1 s request timeout.
        return new Jedis("127.0.0.1", cluster.redisPort(id),
                DefaultJedisClientConfig.builder().timeoutMillis(5_000).serverDefaultProtocol().build());
    }
}
