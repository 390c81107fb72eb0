package dev.ballot.server;

import dev.ballot.kv.KvNodeConfig;
import dev.ballot.kv.ReadMode;
import dev.ballot.storage.Durability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ServerCommandTest {

    /** A node that is closed as soon as it starts, so {@code server} returns at once. */
    private static final class StoppedNode implements NodeHandle {
        private final KvNodeConfig config;
        private final Throwable failure;
        boolean closed;

        StoppedNode(KvNodeConfig config) {
            this(config, null);
        }

        StoppedNode(KvNodeConfig config, Throwable failure) {
            this.config = config;
            this.failure = failure;
        }

        @Override
        public InetSocketAddress redisAddress() {
            return new InetSocketAddress(config.clientHost(), config.redisPort());
        }

        @Override
        public InetSocketAddress httpAddress() {
            return new InetSocketAddress(config.clientHost(), config.httpPort());
        }

        @Override
        public Throwable awaitClosed() {
            close();
            return failure;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final AtomicReference<KvNodeConfig> started = new AtomicReference<>();

    private CliRun server(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "server";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(config -> {
            started.set(config);
            return new StoppedNode(config);
        }, pb -> {
            throw new AssertionError("server starts no process");
        }, all);
    }

    @Test
    void aNodeStoppedByAFailureExitsNonZeroAndSaysWhy() {
        CliRun r = CliRun.run(config -> new StoppedNode(config, new IllegalStateException("disk full")), pb -> {
            throw new AssertionError("server starts no process");
        }, "server");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("stopped after a failure").contains("disk full");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "--id|0", "--id|x", "--redis-port|abc", "--redis-port|70000", "--http-port|-1",
            "--tick-ms|0", "--election-ticks|x", "--heartbeat-ticks|0", "--segment-bytes|100",
            "--max-pending|0", "--request-timeout-ms|0", "--max-key-bytes|0", "--max-value-bytes|-1",
            "--max-clients|0", "--max-request-bytes|10", "--peers|1=nohost", "--peers|1=h:1,1=h:2",
            "--client-host|' '", "--data|''"})
    void aBadValueIsAUsageErrorNamingTheFlagAndStartsNothing(String flag, String value) {
        CliRun r = server(flag, value);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(flag);
        assertThat(started.get()).isNull();
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        CliRun r = server("--redis-prot", "1");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--redis-prot").contains("--redis-port"); // the suggestion
        assertThat(started.get()).isNull();
    }

    @Test
    void anIdNotInThePeerListIsAUsageError() {
        CliRun r = server("--id", "4", "--peers", "1=127.0.0.1:7101,2=127.0.0.1:7102");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--id 4").contains("--peers").contains("[1, 2]");
    }

    @Test
    void electionTicksMustExceedHeartbeatTicks() {
        CliRun r = server("--election-ticks", "5", "--heartbeat-ticks", "5");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--election-ticks").contains("--heartbeat-ticks");
    }

    @Test
    void everyFlagReachesTheNodeConfig(@TempDir Path dir) {
        CliRun r = server("--id", "2", "--peers", "1=10.0.0.1:7101,2=10.0.0.2:7102,3=10.0.0.3:7103",
                "--data", dir.toString(), "--redis-port", "6402", "--http-port", "8402", "--client-host", "0.0.0.0",
                "--peer-bind-host", "0.0.0.0", "--tick-ms", "10", "--election-ticks", "20", "--heartbeat-ticks", "4",
                "--no-fsync", "--segment-bytes", "8192", "--max-pending", "7", "--request-timeout-ms", "1500",
                "--max-key-bytes", "64", "--max-value-bytes", "4096", "--max-clients", "9",
                "--max-request-bytes", "2048");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        KvNodeConfig c = started.get();
        assertThat(c.raft().id()).isEqualTo(2);
        assertThat(c.raft().members()).containsExactly(1L, 2L, 3L);
        assertThat(c.peers().toString()).isEqualTo("1=10.0.0.1:7101,2=10.0.0.2:7102,3=10.0.0.3:7103");
        assertThat(c.raft().dataDir()).isEqualTo(dir);
        assertThat(c.redisPort()).isEqualTo(6402);
        assertThat(c.httpPort()).isEqualTo(8402);
        assertThat(c.clientHost()).isEqualTo("0.0.0.0");
        assertThat(c.peerBindHost()).isEqualTo("0.0.0.0");
        assertThat(c.raft().tickInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.raft().electionTicks()).isEqualTo(20);
        assertThat(c.raft().heartbeatTicks()).isEqualTo(4);
        assertThat(c.raft().storage().durability()).isEqualTo(Durability.NONE);
        assertThat(c.raft().storage().segmentBytes()).isEqualTo(8192);
        assertThat(c.raft().maxPendingRequests()).isEqualTo(7);
        assertThat(c.raft().requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.limits().maxKeyBytes()).isEqualTo(64);
        assertThat(c.limits().maxValueBytes()).isEqualTo(4096);
        assertThat(c.maxClientConnections()).isEqualTo(9);
        assertThat(c.maxRequestBytes()).isEqualTo(2048);
        assertThat(c.readMode()).isEqualTo(ReadMode.LINEARIZABLE);
        assertThat(r.out()).contains("ballot node 2 up").contains("0.0.0.0:6402").contains("0.0.0.0:8402");
    }

    @Test
    void theTestOnlyUnsafeReadFlagWorksButIsNotAdvertised() {
        CliRun r = server("--unsafe-local-reads");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(started.get().readMode()).isEqualTo(ReadMode.UNSAFE_LOCAL);
        CliRun help = server("--help");
        assertThat(help.out()).contains("--redis-port").doesNotContain("unsafe");
    }

    @Test
    void withoutFlagsItIsAOneNodeClusterWithTheDefaults() {
        CliRun r = server();
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        KvNodeConfig c = started.get();
        KvNodeConfig defaults = KvNodeConfig.of(1, c.peers(), Path.of("data", "1"), ServerSettings.DEFAULT_REDIS_PORT,
                ServerSettings.DEFAULT_HTTP_PORT);
        assertThat(c).isEqualTo(defaults);
        assertThat(c.peers().toString()).isEqualTo("1=127.0.0.1:" + ServerSettings.DEFAULT_PEER_PORT);
    }

    @Test
    void flagsOverrideTheConfigFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("node.properties");
        Files.write(file, List.of("# node 3", "id = 3", "peers = 1=h1:7101,2=h2:7102,3=h3:7103",
                "redis-port = 7000", "http-port = 7001", "fsync = true", "max-clients = 5"));
        CliRun r = server("--config", file.toString(), "--redis-port", "7100", "--no-fsync");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        KvNodeConfig c = started.get();
        assertThat(c.raft().id()).isEqualTo(3);
        assertThat(c.raft().members()).containsExactly(1L, 2L, 3L);
        assertThat(c.redisPort()).isEqualTo(7100);
        assertThat(c.httpPort()).isEqualTo(7001);
        assertThat(c.maxClientConnections()).isEqualTo(5);
        assertThat(c.raft().storage().durability()).isEqualTo(Durability.NONE);
    }

    @Test
    void aBadValueInTheConfigFileNamesTheKeyAndTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("node.properties");
        Files.write(file, List.of("http-port = eighty"));
        CliRun r = server("--config", file.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("http-port (in " + file + ")").contains("eighty");
        assertThat(started.get()).isNull();
    }

    @Test
    void aFlagFixesABadValueInTheConfigFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("node.properties");
        Files.write(file, List.of("http-port = eighty"));
        CliRun r = server("--config", file.toString(), "--http-port", "8081");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(started.get().httpPort()).isEqualTo(8081);
    }

    @Test
    void anUnknownKeyInTheConfigFileIsAUsageError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("node.properties");
        Files.write(file, List.of("redis_port = 6400"));
        CliRun r = server("--config", file.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown setting 'redis_port'").contains("redis-port");
    }

    @Test
    void aMissingConfigFileIsAUsageError(@TempDir Path dir) {
        CliRun r = server("--config", dir.resolve("nope.properties").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--config").contains("nope.properties");
    }
}
