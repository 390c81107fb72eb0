package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpExplainsEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("--runs", "--seed", "--nodes", "--steps", "--threads", "--verbose", "--runs 1000000");
    }

    @Test
    void runsSeedsAndPrintsASummary() {
        assertThat(run("--runs", "4", "--seed", "100", "--nodes", "3", "--threads", "2")).isZero();
        assertThat(out()).contains("4 run(s) from seed 100", "runs:        4 (3 nodes: 4", "elections:", "commits:",
                "faults:", "all 4 runs passed");
    }

    @Test
    void verbosePrintsTheTraceOfOneSeed() {
        assertThat(run("--seed", "3", "--verbose", "--steps", "300")).isZero();
        assertThat(out()).contains("1 run(s) from seed 3", "ready", "deliver", "RunResult[seed=3");
    }

    @Test
    void aFailingRunExitsWithOneAndPrintsSeedAndReplayCommand() {
        assertThat(run("--runs", "3", "--seed", "7", "--threads", "1", "--sabotage", "send-before-persist")).isEqualTo(1);
        String err = this.err.toString(StandardCharsets.UTF_8);
        assertThat(err).contains("FAILED at seed 7 (Persist before send)", "last 50 events",
                "replay: ./mvnw -B -ntp -pl testkit -am test -Dtest=SimulationReplayTest",
                "-Dballot.sim.seed=7 -Dballot.sim.sabotage=send-before-persist",
                "./ballot simulate --runs 1 --verbose --seed 7 --sabotage send-before-persist");
        assertThat(out()).doesNotContain("runs passed");
    }

    @Test
    void badArgumentsExitWithTwo() {
        assertThat(run("--nodes", "4")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--nodes must be 3, 5 or 7");
        assertThat(run("--runs")).isEqualTo(2);
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(run("--sabotage", "gremlins")).isEqualTo(2);
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--runs", "x"})).hasMessageContaining("needs a number");
    }
}
