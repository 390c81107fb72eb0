package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The randomized soak: {@code ballot.sim.runs} seeded runs (default 1000, from the parent pom) from
 * seed {@code ballot.sim.seed0} (default 1), every fault enabled, cluster sizes 3/5/7, in parallel on
 * every core. A failure names its seed and the command that replays it. Raise the run count for a
 * long soak: {@code ./mvnw -B -ntp -pl testkit -am test -Dtest=SimulationSoakTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dballot.sim.runs=1000000}.
 */
class SimulationSoakTest {

    @Test
    void randomizedRunsKeepEveryInvariantAndMakeProgress() throws Exception {
        long runs = Long.getLong("ballot.sim.runs", 1000);
        long seed0 = Long.getLong("ballot.sim.seed0", 1);
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        List<Future<List<RunResult>>> workers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    List<RunResult> mine = new ArrayList<>();
                    for (long i = next.getAndIncrement(); i < runs; i = next.getAndIncrement()) {
                        try {
                            mine.add(RandomizedRun.run(seed0 + i, RandomizedRun.Options.defaults()));
                        } catch (SimulationFailure f) {
                            next.set(runs); // stop the others: one replayable failure is enough
                            throw f;
                        }
                    }
                    return mine;
                }));
            }
        }
        SoakSummary summary = new SoakSummary();
        for (Future<List<RunResult>> w : workers) {
            try {
                w.get().forEach(summary::add);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof SimulationFailure f) throw f;
                throw e;
            }
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("SimulationSoakTest (seeds " + seed0 + ".." + (seed0 + runs - 1) + ", " + threads
                + " threads):\n" + summary.render(wallMillis));

        assertThat(summary.runs()).isEqualTo(runs);
        // The soak must actually exercise what it claims to: every size, faults, elections, commits.
        if (runs >= 100) {
            assertThat(summary.runsWithSize(3)).isPositive();
            assertThat(summary.runsWithSize(5)).isPositive();
            assertThat(summary.runsWithSize(7)).isPositive();
            assertThat(summary.crashes()).isGreaterThan(runs);
            assertThat(summary.persistCrashes()).isPositive();
            assertThat(summary.pipelinedReadies()).as("Readies taken while others were being persisted").isPositive();
            assertThat(summary.snapshotsInstalled()).as("snapshots sent by leaders and installed").isPositive();
            assertThat(summary.faults()).isGreaterThan(5 * runs);
            assertThat(summary.elections()).isGreaterThan(runs);
            assertThat(summary.acked()).isGreaterThan(10 * runs);
            assertThat(summary.reads()).as("linearizable reads released and checked").isGreaterThan(10 * runs);
        }
    }
}
