package dev.ballot.testkit.sim;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A network fault of any shape: a set of blocked directed links, with a name for the trace.
 * The factories cover the classic shapes; {@link #union} combines them.
 *
 * @param name    what this partition is, e.g. "isolate 3" or "split [1, 2] | [3, 4, 5]"
 * @param blocked the directed links that drop every message
 */
public record Partition(String name, Set<Link> blocked) {

    public Partition {
        blocked = Set.copyOf(blocked);
    }

    /** No link blocked. */
    public static Partition none() {
        return new Partition("healed", Set.of());
    }

    /** {@code node} can neither send to nor receive from anyone. */
    public static Partition isolate(long node, Collection<Long> all) {
        return split("isolate " + node, List.of(node), others(all, List.of(node)));
    }

    /** Two groups that cannot talk to each other (in either direction); each group works inside. */
    public static Partition split(Collection<Long> side, Collection<Long> all) {
        Collection<Long> rest = others(all, side);
        return split("split " + sorted(side) + " | " + sorted(rest), side, rest);
    }

    /**
     * Two halves that only {@code bridge} connects: the bridge talks to everyone, but no node of
     * {@code left} talks to a node of {@code right}.
     */
    public static Partition bridge(long bridge, Collection<Long> left, Collection<Long> right) {
        return split("bridge " + bridge + " between " + sorted(left) + " and " + sorted(right), left, right);
    }

    /** Messages from {@code from} to {@code to} are dropped; the other direction works. */
    public static Partition oneWay(long from, long to) {
        return new Partition("cut " + from + "->" + to, Set.of(new Link(from, to)));
    }

    /** Every link blocked by either partition. */
    public Partition union(Partition other) {
        Set<Link> links = new HashSet<>(blocked);
        links.addAll(other.blocked);
        return new Partition(name + " + " + other.name, links);
    }

    public boolean blocks(long from, long to) {
        return blocked.contains(new Link(from, to));
    }

    private static Partition split(String name, Collection<Long> a, Collection<Long> b) {
        Set<Link> links = new HashSet<>();
        for (long x : a) {
            for (long y : b) {
                if (x == y) continue;
                links.add(new Link(x, y));
                links.add(new Link(y, x));
            }
        }
        return new Partition(name, links);
    }

    private static List<Long> others(Collection<Long> all, Collection<Long> excluded) {
        return all.stream().filter(id -> !excluded.contains(id)).sorted().toList();
    }

    private static String sorted(Collection<Long> ids) {
        return new TreeSet<>(ids).stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return name;
    }
}
