package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator over the real storage module: every node's log is a {@code SegmentedLog} and its
 * hard state a {@code HardStateFile} in a temp directory, closed and reopened (recovered) at every
 * simulated restart and checked against what the simulator knows was persisted. A subset of the
 * soak's seeds, with all faults on; each must run exactly as it does over in-memory storage.
 */
class RealStorageSimulationTest {

    private static final int SEEDS = 16;

    @TempDir
    Path root;

    @Test
    void randomizedRunsOverRealStorageFilesMatchTheInMemoryRuns() {
        long crashes = 0;
        long acked = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            // Snapshots off: the storage does not hold the simulation's snapshots yet.
            RandomizedRun.Options options = RandomizedRun.Options.defaults().withoutSnapshots();
            RunResult onDisk = RandomizedRun.run(seed, options, root.resolve("seed-" + seed));
            RunResult inMemory = RandomizedRun.run(seed, options);
            // Storage must be transparent to the engine: same seed, same run, event for event.
            assertThat(onDisk.digest()).as("trace digest of seed %d on disk vs in memory", seed)
                    .isEqualTo(inMemory.digest());
            crashes += onDisk.crashes();
            acked += onDisk.acked();
        }
        assertThat(crashes).as("restarts from the files").isGreaterThan(SEEDS);
        assertThat(acked).isGreaterThan(10L * SEEDS);
    }
}
