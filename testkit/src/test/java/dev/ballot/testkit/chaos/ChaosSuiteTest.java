package dev.ballot.testkit.chaos;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end chaos suite: real server processes, every fault family at least once, every
 * check must pass. Bounded for CI (3 and 5 nodes, about two minutes in all).
 */
@Tag("chaos")
class ChaosSuiteTest {

    @TempDir
    Path dir;

    private static void assertAllChecksPass(ChaosResult result) throws Exception {
        Path summary = result.resultsDir().resolve("summary.txt");
        assertThat(result.checks()).as(Files.exists(summary) ? Files.readString(summary) : result.checks().toString())
                .allMatch(CheckOutcome::passed);
        assertThat(result.stats().ok()).as("acknowledged operations").isGreaterThan(100);
        for (String file : List.of("summary.txt", "history.edn", "nemesis.log", "latency.svg")) {
            assertThat(result.resultsDir().resolve(file)).isNotEmptyFile();
        }
    }

    @Test
    void registerSurvivesEveryFaultFamily() throws Exception {
        // With 3 nodes a ring cuts nothing, so the shapes here are the isolated leader, random halves and a bridge.
        String plan = "kill-leader@2s,restart@5s,pause-leader@7s,resume@9s,partition-leader@11s,heal@14s,"
                + "partition-bridge@15s,partition-random@17s,heal@19s,loss:0.3@20s,clear@23s,delay:5-50@24s,clear@27s,kill@28s,restart@30s";
        ChaosOptions options = ChaosOptions.defaults().withNodes(3).withClients(6).withTimeLimit(Duration.ofSeconds(32))
                .withPlan(plan).withSeed(1).withResultsDir(dir.resolve("register"));
        assertAllChecksPass(ChaosRun.run(options, System.out));
    }

    /**
     * Snapshots every 30 entries and nothing kept behind: a node that was killed or cut off comes
     * back behind the compacted log and is repaired by the leader's snapshot, under the faults.
     */
    @Test
    void registerSurvivesFaultsWhileFollowersAreRepairedBySnapshot() throws Exception {
        String plan = "kill@2s,restart@7s,partition-random@8s,heal@12s,pause@13s,resume@16s,loss:0.2@17s,clear@20s,"
                + "kill-leader@21s,restart@25s";
        ChaosOptions options = ChaosOptions.defaults().withNodes(3).withClients(6).withTimeLimit(Duration.ofSeconds(27))
                .withPlan(plan).withSeed(3).withSnapshotEvery(30).withResultsDir(dir.resolve("snapshots"));
        ChaosResult result = ChaosRun.run(options, System.out);
        assertAllChecksPass(result);
        // A follower that got the leader's snapshot whole (the leader logs it); the follower's engine
        // then installs it, or only advances its commit if its log already holds the snapshot's last entry.
        long delivered = 0;
        StringBuilder seen = new StringBuilder();
        for (int id = 1; id <= 3; id++) {
            Path log = result.resultsDir().resolve("cluster").resolve(Integer.toString(id)).resolve("node.log");
            seen.append(log).append(Files.exists(log) ? " exists\n" : " missing\n");
            if (Files.exists(log)) {
                for (String l : Files.readAllLines(log)) {
                    if (l.contains("dev.ballot.node.Snapshot") || l.contains("installing")) seen.append(l).append('\n');
                    if (l.contains("SnapshotSender") && l.contains(" whole")) delivered++;
                }
            }
        }
        assertThat(delivered).as("snapshots delivered to a follower; snapshot lines:\n%s", seen).isPositive();
    }

    @Test
    void multiKeySurvivesEveryPartitionShapeOnFiveNodes() throws Exception {
        // Five nodes, so that a ring (each node sees only its two neighbours) and a bridge really cut links.
        String plan = "partition-ring@2s,heal@5s,partition-random@6s,heal@9s,partition-bridge@10s,heal@13s,"
                + "kill-leader@14s,restart@17s,pause@18s,resume@21s,loss:0.2@22s,clear@25s,delay:5-30@26s,clear@29s";
        ChaosOptions options = ChaosOptions.defaults().withNodes(5).withClients(6).withTimeLimit(Duration.ofSeconds(30))
                .withWorkload("multi-key", 6).withPlan(plan).withSeed(2).withResultsDir(dir.resolve("multi-key"));
        assertAllChecksPass(ChaosRun.run(options, System.out));
    }
}
