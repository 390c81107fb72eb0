package dev.ballot.testkit.sim.runtime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Same seed, same run, byte for byte: the client history, every outcome and the final replica
 * state of a full-runtime run depend on the seed alone, in one JVM and across JVMs (where hash
 * seeds and identity hash codes differ).
 */
class RuntimeDeterminismTest {

    private static final RuntimeSimulation.Options OPTIONS = RuntimeSimulation.Options.defaults().withFaultMillis(1500);

    @Test
    void twoRunsOfOneSeedAreIdentical() {
        RuntimeRunResult a = RuntimeSimulation.run(7, OPTIONS);
        RuntimeRunResult b = RuntimeSimulation.run(7, OPTIONS);
        assertThat(a.passed()).as(a.detail()).isTrue();
        assertThat(b).isEqualTo(a);
        assertThat(a.operations()).isPositive();
    }

    @Test
    void differentSeedsGiveDifferentRuns() {
        assertThat(RuntimeSimulation.run(7, OPTIONS).fingerprint())
                .isNotEqualTo(RuntimeSimulation.run(8, OPTIONS).fingerprint());
    }

    @Test
    void freshJvmsAgreeOnARun() throws Exception {
        Set<String> fingerprints = new HashSet<>();
        fingerprints.add(RuntimeSimulation.run(11, OPTIONS).fingerprint());
        for (int i = 0; i < 2; i++) fingerprints.add(fingerprintInFreshJvm(11));
        assertThat(fingerprints).as("fingerprints of seed 11 in this JVM and two fresh ones").hasSize(1);
    }

    /** Prints the fingerprint of the run of seed {@code args[0]}. */
    public static void main(String[] args) {
        System.out.println(RuntimeSimulation.run(Long.parseLong(args[0]), OPTIONS).fingerprint());
    }

    private static String fingerprintInFreshJvm(long seed) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=off", "-cp",
                System.getProperty("java.class.path"), RuntimeDeterminismTest.class.getName(), String.valueOf(seed))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
