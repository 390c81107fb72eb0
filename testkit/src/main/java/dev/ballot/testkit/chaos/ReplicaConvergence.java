package dev.ballot.testkit.chaos;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Waits (bounded) until every node reports the same applied index and state digest. */
final class ReplicaConvergence {

    static final String NAME = "replicas identical";

    private ReplicaConvergence() {}

    static CheckOutcome await(ChaosCluster cluster, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        Map<Long, ChaosCluster.Digest> digests = Map.of();
        while (true) {
            digests = cluster.digests();
            if (identical(digests, cluster.ids().size())) {
                ChaosCluster.Digest d = digests.values().iterator().next();
                return CheckOutcome.pass(NAME, digests.size() + " nodes at applied index " + d.appliedIndex() + ", sha256 " + d.sha256());
            }
            if (System.nanoTime() >= deadline) break;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return CheckOutcome.fail(NAME, "not identical after " + bound.toSeconds() + " s: " + digests);
    }

    static boolean identical(Map<Long, ChaosCluster.Digest> digests, int nodes) {
        if (digests.size() != nodes) return false;
        Set<ChaosCluster.Digest> distinct = new HashSet<>(digests.values());
        return distinct.size() == 1;
    }
}
