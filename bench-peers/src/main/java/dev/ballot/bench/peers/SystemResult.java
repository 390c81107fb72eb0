package dev.ballot.bench.peers;

import java.util.List;

/**
 * What one child JVM reports for one system (written as JSON, read back by the launcher).
 *
 * @param check   the counter check: acknowledged writes against the highest value returned
 * @param failure why the run stopped early, or null
 */
public record SystemResult(String system, String label, String settings, List<KResult> results, String check,
                           String failure, double loadBefore, double loadAfter) {

    public SystemResult {
        results = List.copyOf(results);
    }
}
