package dev.ballot.testkit.sim;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.TestInfo;

/** Builds simulations for scenario tests, with a replay hint naming the test. */
final class Scenarios {

    private Scenarios() {}

    static SimParams params(TestInfo info, long seed, int nodes) {
        String test = info.getTestClass().map(Class::getSimpleName).orElse("?") + "#"
                + info.getTestMethod().map(m -> m.getName()).orElse("?");
        return SimParams.of(seed, nodes).withReplay("./mvnw -B -ntp -pl testkit -am test"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dtest='" + test + "' (seed " + seed + " is one of its fixed seeds)");
    }

    static Harness harness(TestInfo info, long seed, int nodes) {
        return new Harness(new Simulation(params(info, seed, nodes)));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
