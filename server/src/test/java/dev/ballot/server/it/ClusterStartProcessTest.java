package dev.ballot.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code ballot cluster start} as a user runs it: a supervisor process with three node processes under it. */
class ClusterStartProcessTest {

    private static final Pattern LEADER_LINE = Pattern.compile("(?m)^leader: node (\\d+)$");

    @RegisterExtension
    final ProcessGuard guard = new ProcessGuard();

    @Test
    @Timeout(120)
    void clusterStartServesClientsAndSigtermStopsEveryNode(@TempDir Path dir) throws InterruptedException {
        int base = FreePorts.range(9);
        int peerBase = base;
        int redisBase = base + 3;
        int httpBase = base + 6;
        List<Path> logs = List.of(1, 2, 3).stream().map(id -> dir.resolve(id + "/node.log")).toList();
        ChildProcess supervisor = guard.track(ChildProcess.ballot(List.of("cluster", "start", "--nodes", "3",
                "--base-dir", dir.toString(), "--peer-port-base", Integer.toString(peerBase),
                "--redis-port-base", Integer.toString(redisBase), "--http-port-base", Integer.toString(httpBase)),
                logs));

        await("the cluster table and its leader line").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .failFast("the supervisor exited", () -> !supervisor.process().isAlive())
                .until(() -> LEADER_LINE.matcher(supervisor.output()).find());
        String table = supervisor.output();
        Matcher leader = LEADER_LINE.matcher(table);
        assertThat(leader.find()).isTrue();
        assertThat(Long.parseLong(leader.group(1))).isBetween(1L, 3L);

        int node2Resp = printedRespPort(table, 2);
        int node3Resp = printedRespPort(table, 3);
        assertThat(node2Resp).isEqualTo(redisBase + 1);
        try (Jedis j = jedis(node2Resp)) {
            assertThat(j.set("greeting", "hello")).isEqualTo("OK");
        }
        try (Jedis j = jedis(node3Resp)) {
            assertThat(j.get("greeting")).isEqualTo("hello");
        }

        List<ProcessHandle> nodes = supervisor.process().descendants().toList();
        assertThat(nodes).as("node processes under the supervisor").hasSize(3);
        // SIGTERM, as a service manager would; via the handle, since Process.destroy() would also
        // close our end of its stdout before we have read the rest.
        supervisor.process().toHandle().destroy();
        assertThat(supervisor.process().waitFor(30, TimeUnit.SECONDS)).as("supervisor exited").isTrue();
        for (ProcessHandle node : nodes) {
            assertThat(node.isAlive()).as("node process %d after the supervisor exited", node.pid()).isFalse();
        }
        assertThat(supervisor.outputAfterExit()).contains("stopping the cluster");
    }

    /** The RESP port in node {@code id}'s row of the printed table ({@code ID ROLE RESP HTTP DATA LOG}). */
    private static int printedRespPort(String output, long id) {
        Matcher m = Pattern.compile("(?m)^" + id + "\\s+\\S+\\s+127\\.0\\.0\\.1:(\\d+)\\s+127\\.0\\.0\\.1:\\d+\\s").matcher(output);
        assertThat(m.find()).as("a row for node %d in:\n%s", id, output).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static Jedis jedis(int port) {
        return new Jedis(ProcessCluster.HOST, port,
                DefaultJedisClientConfig.builder().timeoutMillis(10_000).serverDefaultProtocol().build());
    }
}
