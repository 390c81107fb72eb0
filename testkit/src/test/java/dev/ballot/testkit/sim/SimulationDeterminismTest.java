package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Same seed, same run: the foundation of replaying a failure from its seed. */
class SimulationDeterminismTest {

    @Test
    void sameSeedGivesAnIdenticalRun() {
        for (long seed : new long[] {1, 7, 42}) {
            RunResult a = RandomizedRun.run(seed, RandomizedRun.Options.defaults());
            RunResult b = RandomizedRun.run(seed, RandomizedRun.Options.defaults());
            assertThat(b).as("seed %d", seed).isEqualTo(a);
            assertThat(a.events()).isGreaterThan(RandomizedRun.DEFAULT_STEPS);
        }
    }

    @Test
    void sameSeedGivesAnIdenticalTraceLineByLine() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        RandomizedRun.run(5, new RandomizedRun.Options(5, 1_000, first::add));
        RandomizedRun.run(5, new RandomizedRun.Options(5, 1_000, second::add));
        assertThat(first).hasSizeGreaterThan(500).isEqualTo(second);
    }

    @Test
    void aPipelinedRunReplaysIdentically() {
        long seed = firstPipelinedSeed();
        RunResult a = RandomizedRun.run(seed, RandomizedRun.Options.defaults());
        RunResult b = RandomizedRun.run(seed, RandomizedRun.Options.defaults());
        assertThat(b).as("seed %d", seed).isEqualTo(a);
        assertThat(a.pipelinedReadies()).as("seed %d takes Readies while others are in flight", seed).isPositive();
    }

    /** The first seed whose randomized run persists with several Readies in flight. */
    private static long firstPipelinedSeed() {
        for (long seed = 1; ; seed++) {
            if (RandomizedRun.paramsFor(seed, RandomizedRun.Options.defaults()).maxReadiesInFlight() > 1) return seed;
        }
    }

    @Test
    void differentSeedsGiveDifferentRuns() {
        long a = RandomizedRun.run(1, RandomizedRun.Options.defaults()).digest();
        long b = RandomizedRun.run(2, RandomizedRun.Options.defaults()).digest();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void scriptedSimulationsReplayToo() {
        assertThat(scripted(3)).isEqualTo(scripted(3)).isNotEqualTo(scripted(4));
    }

    private static long scripted(long seed) {
        Simulation sim = new Simulation(SimParams.of(seed, 5).withNetwork(NetworkConditions.unreliable()));
        Harness h = new Harness(sim);
        long leader = h.awaitLeader();
        sim.propose(leader, Scenarios.bytes("x"));
        sim.crash(leader);
        sim.runFor(1_000);
        sim.restart(leader);
        sim.runFor(1_000);
        return sim.trace().digest();
    }

    /**
     * A seed printed by one machine must replay on another: two separate JVMs (whose hash seeds
     * and identity hashes differ) must produce the same digest.
     */
    @Test
    void sameSeedGivesTheSameDigestInAnotherJvm() throws Exception {
        String digest = RandomizedRun.run(11, RandomizedRun.Options.defaults()).toString();
        assertThat(runInFreshJvm(11)).contains(digest);
        assertThat(runInFreshJvm(11)).contains(digest);
        long pipelined = firstPipelinedSeed();
        assertThat(runInFreshJvm(pipelined)).contains(RandomizedRun.run(pipelined, RandomizedRun.Options.defaults()).toString());
    }

    private static String runInFreshJvm(long seed) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SimulatorMain.class.getName(), "--runs", "1", "--seed", Long.toString(seed), "--print-results")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
