package dev.ballot.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generator end to end against {@link FakeRespServer}. */
class LoadRunTest {

    private static LoadOptions options(List<Integer> ports, int clients, int pipeline, double readRatio, long requests) {
        return new LoadOptions("127.0.0.1", ports, clients, pipeline, 100, readRatio, 1000,
                Duration.ofSeconds(30), Duration.ZERO, 7L, requests, Duration.ofSeconds(5));
    }

    @Test
    void countsEveryCommandAndEveryErrorByKind() throws Exception {
        try (FakeRespServer server = new FakeRespServer(10, 0)) {
            LoadResult result = LoadRun.run(options(List.of(server.port()), 4, 1, 0, 2000));

            assertThat(result.totalOps()).isEqualTo(2000);
            assertThat(server.commands()).isEqualTo(2000);
            assertThat(result.errorsByKind()).isEqualTo(Map.of("TRYAGAIN", 200L));
            assertThat(result.latencyMicros().getTotalCount()).isEqualTo(2000);
            assertThat(result.okOpsPerSecond()).isCloseTo(1800 / result.seconds(), within(1e-6));
            assertThat(result.connectionFailureCount()).isZero();
            assertThat(server.failures()).isEmpty();
        }
    }

    @Test
    void neverHasMoreThanThePipelineDepthInFlight() throws Exception {
        for (int depth : new int[] {1, 8}) {
            try (FakeRespServer server = new FakeRespServer(0, 0)) {
                LoadResult result = LoadRun.run(options(List.of(server.port()), 3, depth, 0, 3000));

                assertThat(result.totalOps()).isEqualTo(3000);
                assertThat(result.latencyMicros().getTotalCount()).isEqualTo(3000);
                assertThat(server.maxOutstanding()).as("depth %d", depth).isEqualTo(depth);
                assertThat(result.errors()).isZero();
            }
        }
    }

    @Test
    void keysHaveTheKeySizeAndStayInTheKeyspace() throws Exception {
        for (int size : new int[] {16, 40}) {
            try (FakeRespServer server = new FakeRespServer(0, 0)) {
                LoadOptions o = new LoadOptions("127.0.0.1", List.of(server.port()), 2, 1, 10, 0.5, 50,
                        Duration.ofSeconds(30), Duration.ZERO, 7L, 2000, Duration.ofSeconds(5), size);
                LoadRun.run(o);

                assertThat(server.keys()).as("size %d", size).hasSizeBetween(40, 50)
                        .allMatch(k -> k.length() == size && k.matches("key:0+[0-9]{0,2}")
                                && Integer.parseInt(k.substring(4)) < 50);
            }
        }
    }

    @Test
    void readRatioMixesGetsIntoTheSets() throws Exception {
        try (FakeRespServer server = new FakeRespServer(0, 0)) {
            LoadResult result = LoadRun.run(options(List.of(server.port()), 2, 4, 0.5, 2000));

            assertThat(result.totalOps()).isEqualTo(2000);
            assertThat(server.gets()).isBetween(800L, 1200L);
            assertThat(result.errors()).as("GET may answer nil, SET must answer OK").isZero();
        }
    }

    @Test
    void clientsAreSpreadOverThePortsRoundRobin() throws Exception {
        try (FakeRespServer a = new FakeRespServer(0, 0); FakeRespServer b = new FakeRespServer(0, 0)) {
            LoadResult result = LoadRun.run(options(List.of(a.port(), b.port()), 4, 1, 0, 400));

            assertThat(result.totalOps()).isEqualTo(400);
            assertThat(a.connections()).isEqualTo(2);
            assertThat(b.connections()).isEqualTo(2);
            assertThat(a.commands() + b.commands()).isEqualTo(400);
        }
    }

    @Test
    void brokenConnectionsAreCountedAndReopened() throws Exception {
        try (FakeRespServer server = new FakeRespServer(0, 100)) {
            LoadResult result = LoadRun.run(options(List.of(server.port()), 1, 1, 0, 600));

            // Each connection dies on its 100th command, which is lost; the client reconnects and goes on.
            assertThat(server.commands()).isEqualTo(600);
            assertThat(result.lostCommands()).isEqualTo(6);
            assertThat(result.totalOps()).isEqualTo(594);
            assertThat(result.connectionFailures()).containsOnlyKeys("EOFException: connection closed by the server");
            assertThat(result.connectionFailureCount()).isEqualTo(6);
            // Six died; the seventh was opened after the last death, then the budget was spent.
            assertThat(server.connections()).isEqualTo(7);
        }
    }

    @Test
    void aDurationRunMeasuresOnlyAfterTheWarmup() throws Exception {
        try (FakeRespServer server = new FakeRespServer(0, 0)) {
            LoadOptions options = new LoadOptions("127.0.0.1", List.of(server.port()), 2, 2, 10, 0, 100,
                    Duration.ofMillis(400), Duration.ofMillis(300), 1L, 0, Duration.ofSeconds(5));
            LoadResult result = LoadRun.run(options);

            assertThat(result.seconds()).isEqualTo(0.4);
            assertThat(result.totalOps()).isPositive();
            assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.totalOps());
            // The warm-up's commands reached the server but are not counted.
            assertThat(server.commands()).isGreaterThan(result.totalOps());
        }
    }

    @Test
    void anUnreachableServerIsReportedNotHung() throws Exception {
        int port;
        try (FakeRespServer gone = new FakeRespServer(0, 0)) {
            port = gone.port();
        }
        LoadOptions options = new LoadOptions("127.0.0.1", List.of(port), 1, 1, 10, 0, 100,
                Duration.ofMillis(300), Duration.ZERO, 1L, 0, Duration.ofSeconds(1));
        LoadResult result = LoadRun.run(options);

        assertThat(result.totalOps()).isZero();
        assertThat(result.connectionFailureCount()).isPositive();
        assertThat(result.connectionFailures().keySet()).allMatch(reason -> reason.startsWith("ConnectException"));
    }
}
