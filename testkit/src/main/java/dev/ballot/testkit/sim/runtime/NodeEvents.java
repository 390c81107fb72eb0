package dev.ballot.testkit.sim.runtime;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last events of every node and of the cluster (faults, crashes, restarts, role changes), in
 * virtual time, for the report of a failed run: what each node went through just before a check
 * broke. Bounded: only the newest {@link #KEEP} per node are kept.
 */
final class NodeEvents {

    static final int KEEP = 30;
    /** Key of the events that belong to no single node (partitions, network conditions). */
    static final long CLUSTER = 0;

    private final Scheduler scheduler;
    private final Map<Long, ArrayDeque<String>> byNode = new TreeMap<>();

    NodeEvents(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void add(long node, String what) {
        ArrayDeque<String> q = byNode.computeIfAbsent(node, k -> new ArrayDeque<>());
        if (q.size() == KEEP) q.removeFirst();
        q.addLast(String.format("%10.3f ms  %s", scheduler.now() / 1e6, what));
    }

    /** Every node's recent events, oldest first, as text. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        byNode.forEach((node, q) -> {
            sb.append(node == CLUSTER ? "cluster" : "node " + node).append(":\n");
            for (String line : q) sb.append("  ").append(line).append('\n');
        });
        return sb.toString();
    }
}
