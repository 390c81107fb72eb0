package dev.ballot.testkit.chaos;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Which directed links a partition cuts: the pure part of {@link FaultProxy#partition}. */
final class PartitionCuts {

    private PartitionCuts() {}

    /**
     * Every directed link between two of {@code nodes} that are not on the same side; a node in
     * no side is on a side of its own. Fails if a node is on two sides or a side names an unknown node.
     */
    static Set<DirectedLink> of(Collection<Long> nodes, Collection<Set<Long>> sides) {
        Map<Long, Integer> sideOf = new HashMap<>();
        int index = 0;
        for (Set<Long> side : sides) {
            for (long id : side) {
                if (!nodes.contains(id)) {
                    throw new IllegalArgumentException("partition names node " + id + ", not one of " + nodes);
                }
                if (sideOf.put(id, index) != null) {
                    throw new IllegalArgumentException("node " + id + " is on two sides of partition " + sides);
                }
            }
            index++;
        }
        Set<DirectedLink> cuts = new TreeSet<>(PartitionCuts::compare);
        for (long from : nodes) {
            for (long to : nodes) {
                if (from == to) continue;
                Integer a = sideOf.get(from);
                Integer b = sideOf.get(to);
                if (a == null || !a.equals(b)) cuts.add(new DirectedLink(from, to));
            }
        }
        return cuts;
    }

    /** Orders links by {@code from}, then {@code to}, so descriptions read the same every time. */
    static int compare(DirectedLink x, DirectedLink y) {
        int c = Long.compare(x.from(), y.from());
        return c != 0 ? c : Long.compare(x.to(), y.to());
    }
}
