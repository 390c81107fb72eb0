package dev.ballot.testkit.chaos;

import java.util.List;
import java.util.Set;

/**
 * A broken network to impose: a partition into {@code sides} (empty = none) plus directed
 * {@code cuts}, applied on a healed network.
 */
public record NetworkShape(String label, List<Set<Long>> sides, List<Cut> cuts) {

    /** The directed link {@code from -> to} is cut. */
    public record Cut(long from, long to) {}

    public NetworkShape {
        sides = List.copyOf(sides);
        cuts = List.copyOf(cuts);
    }

    /** Applies the shape to {@code cluster}, after healing what was there. */
    public void applyTo(ClusterControl cluster) {
        cluster.heal();
        if (!sides.isEmpty()) cluster.partition(sides);
        for (Cut cut : cuts) cluster.cut(cut.from(), cut.to());
    }

    /**
     * Whether {@code from} can send to {@code to} under this shape (used by tests and to explain
     * shapes): same side, or no sides, and the link not cut.
     */
    public boolean connected(long from, long to) {
        if (from == to) return true;
        if (!sides.isEmpty()) {
            boolean together = sides.stream().anyMatch(side -> side.contains(from) && side.contains(to));
            if (!together) return false;
        }
        return !cuts.contains(new Cut(from, to));
    }
}
