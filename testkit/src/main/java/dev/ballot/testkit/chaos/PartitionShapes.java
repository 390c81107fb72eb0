package dev.ballot.testkit.chaos;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/** The partition shapes of the nemesis, computed from the node ids (and a seeded random). */
public final class PartitionShapes {

    private PartitionShapes() {}

    /** The leader alone on one side, everyone else on the other. */
    public static NetworkShape isolatedLeader(List<Long> ids, long leader) {
        Set<Long> rest = new LinkedHashSet<>(ids);
        rest.remove(leader);
        return new NetworkShape("isolated leader n" + leader + " | " + names(rest), List.of(Set.of(leader), rest), List.of());
    }

    /** A random minority ({@code (n-1)/2} nodes) against the majority. */
    public static NetworkShape randomHalves(List<Long> ids, SplittableRandom random) {
        List<Long> order = shuffled(ids, random);
        int minority = (order.size() - 1) / 2;
        Set<Long> small = new LinkedHashSet<>(order.subList(0, minority));
        Set<Long> large = new LinkedHashSet<>(order.subList(minority, order.size()));
        return new NetworkShape("minority " + names(small) + " | majority " + names(large), List.of(small, large), List.of());
    }

    /**
     * Two halves that cannot talk to each other but both talk to one bridge node, which so sees
     * everyone: every link between the halves is cut in both directions.
     */
    public static NetworkShape bridge(List<Long> ids, SplittableRandom random) {
        List<Long> order = shuffled(ids, random);
        long bridge = order.getFirst();
        List<Long> others = order.subList(1, order.size());
        int half = others.size() / 2;
        Set<Long> left = new LinkedHashSet<>(others.subList(0, half));
        Set<Long> right = new LinkedHashSet<>(others.subList(half, others.size()));
        List<NetworkShape.Cut> cuts = new ArrayList<>();
        for (long a : left) {
            for (long b : right) {
                cuts.add(new NetworkShape.Cut(a, b));
                cuts.add(new NetworkShape.Cut(b, a));
            }
        }
        return new NetworkShape("bridge n" + bridge + " between " + names(left) + " and " + names(right), List.of(), cuts);
    }

    /**
     * The nodes on a random ring, each seeing only its two neighbours: every link between nodes that
     * are not neighbours is cut in both directions (with 3 nodes there is nothing to cut).
     */
    public static NetworkShape ring(List<Long> ids, SplittableRandom random) {
        List<Long> order = shuffled(ids, random);
        int n = order.size();
        List<NetworkShape.Cut> cuts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int distance = Math.floorMod(i - j, n);
                if (i != j && distance != 1 && distance != n - 1) cuts.add(new NetworkShape.Cut(order.get(i), order.get(j)));
            }
        }
        String ring = order.stream().map(id -> "n" + id).collect(Collectors.joining("-"));
        return new NetworkShape("ring " + ring, List.of(), cuts);
    }

    private static List<Long> shuffled(List<Long> ids, SplittableRandom random) {
        List<Long> order = new ArrayList<>(ids);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            order.set(j, order.set(i, order.get(j)));
        }
        return order;
    }

    private static String names(Set<Long> ids) {
        return ids.stream().map(id -> "n" + id).collect(Collectors.joining(",", "{", "}"));
    }
}
