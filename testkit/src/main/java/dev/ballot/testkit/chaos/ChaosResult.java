package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.CheckResult;

import java.nio.file.Path;
import java.util.List;

/**
 * What a chaos run found.
 *
 * @param linearizability the checker's full answer (verdict, failing key, explanation)
 */
public record ChaosResult(Path resultsDir, List<CheckOutcome> checks, CheckResult linearizability, LatencyStats stats) {

    public ChaosResult {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().allMatch(CheckOutcome::passed);
    }
}
