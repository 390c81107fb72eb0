package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.Verdict;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos run must catch a deliberately broken server: with {@code --unsafe-local-reads} a node
 * answers reads from its own state, so an old leader cut off from the majority keeps serving stale
 * values while the others move on. The history must then be found NOT linearizable.
 */
@Tag("chaos")
class SabotageTest {

    @TempDir
    Path dir;

    @Test
    void staleReadsFromAnIsolatedLeaderAreCaught() throws Exception {
        // One hot key so the majority's writes and the old leader's reads are on the same register;
        // the leader is isolated three times so stale reads are all but certain.
        ChaosOptions options = ChaosOptions.defaults().withNodes(3).withClients(10).withWorkload("register", 1)
                .withTimeLimit(Duration.ofSeconds(30)).withUnsafeLocalReads(true).withSeed(3)
                .withPlan("partition-leader@2s,heal@9s,partition-leader@11s,heal@18s,partition-leader@20s,heal@27s")
                .withResultsDir(dir.resolve("sabotage"));

        ChaosResult result = ChaosRun.run(options, System.out);

        assertThat(result.linearizability().verdict()).as(result.linearizability().explanation()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(result.passed()).isFalse();
    }
}
