package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Re-runs exactly one randomized seed, e.g. one printed by a failing soak:
 * <pre>
 * ./mvnw -B -ntp -pl testkit -am test -Dtest=SimulationReplayTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dballot.sim.seed=12345 [-Dballot.sim.nodes=5] [-Dballot.sim.steps=5000] [-Dballot.sim.verbose=true]
 *     [-Dballot.sim.sabotage=amnesia]
 * </pre>
 * Without {@code ballot.sim.seed} it replays seed 1, so the default build exercises it too.
 */
class SimulationReplayTest {

    @Test
    void replaysOneSeed() {
        long seed = Long.getLong("ballot.sim.seed", 1);
        int nodes = Integer.getInteger("ballot.sim.nodes", 0);
        long steps = Long.getLong("ballot.sim.steps", RandomizedRun.DEFAULT_STEPS);
        boolean verbose = Boolean.getBoolean("ballot.sim.verbose");
        Sabotage sabotage = SimulatorMain.sabotage(System.getProperty("ballot.sim.sabotage", "none"));
        RandomizedRun.Options options = new RandomizedRun.Options(nodes, steps, verbose ? System.out::println : null,
                sabotage, true);
        System.out.println("replaying seed " + seed + ": " + RandomizedRun.paramsFor(seed, options));
        RunResult result = RandomizedRun.run(seed, options);
        System.out.println(result);
        assertThat(result.elections()).isPositive();
        assertThat(result.committed()).isPositive();
    }
}
