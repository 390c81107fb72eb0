package dev.ballot.testkit.chaos;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A {@link FaultProxy} made of one {@link LinkProxy} per directed link {@code i -> j}, each on its
 * own port of 127.0.0.1. Node {@code i} is started with a peer list in which {@code j}'s address
 * is {@link #port(long, long) port(i, j)}; the proxy relays to {@code j}'s real peer port.
 *
 * <p>What a cut means precisely: Ballot nodes send only on the connection they dialled, so the
 * link {@code i -> j} carries every message from {@code i} to {@code j} and nothing else; {@code j}
 * answers on its own link {@code j -> i}. {@link #cut cut(i, j)} therefore silences {@code i}
 * towards {@code j} only (a one-way fault: {@code j}'s messages still reach {@code i}). The proxy
 * does cut both directions of the TCP stream it relays, so a transport that did answer on the
 * dialled connection would lose those answers too. Cutting closes the link's open connections and,
 * while cut, accepts and at once closes new ones; the nodes' own redialling (with backoff, up to
 * 2 s by default) restores the link after {@link #heal}.
 *
 * <p>Loss and delay apply to every frame of every link, except that the first frame of a
 * connection from the dialler (its Hello) is never dropped. They are drawn from one {@link
 * java.util.Random} seeded at construction; which frame meets which draw depends on thread timing,
 * so a run is not replayable from the seed, only its fault rates are.
 */
public final class PeerLinkProxies implements FaultProxy {

    private final List<Long> nodes;
    private final FrameFaults faults;
    private final Map<DirectedLink, LinkProxy> links = new TreeMap<>(PartitionCuts::compare);
    private List<Set<Long>> partition = List.of(); // guarded by this; empty: no partition
    private final Set<DirectedLink> extraCuts = new TreeSet<>(PartitionCuts::compare); // guarded by this
    private boolean closed; // guarded by this

    /**
     * Binds one proxy port per directed link between the given nodes (on 127.0.0.1) and starts
     * relaying; every link works until told otherwise.
     *
     * @param peerAddresses each node's real peer address
     * @param seed          seeds the draws of loss and delay
     */
    public PeerLinkProxies(Map<Long, InetSocketAddress> peerAddresses, long seed) {
        if (peerAddresses.size() < 2) throw new IllegalArgumentException("need at least two nodes, got " + peerAddresses.keySet());
        this.nodes = List.copyOf(new TreeSet<>(peerAddresses.keySet()));
        this.faults = new FrameFaults(seed);
        try {
            for (long from : nodes) {
                for (long to : nodes) {
                    if (from == to) continue;
                    DirectedLink link = new DirectedLink(from, to);
                    links.put(link, new LinkProxy(link, "127.0.0.1", peerAddresses.get(to), faults));
                }
            }
        } catch (RuntimeException e) {
            links.values().forEach(LinkProxy::close);
            throw e;
        }
    }

    /** The port node {@code from} must dial to reach node {@code to}. */
    public int port(long from, long to) {
        return link(from, to).port();
    }

    /** The directed links cut now. */
    public synchronized Set<DirectedLink> cuts() {
        Set<DirectedLink> cuts = new TreeSet<>(PartitionCuts::compare);
        links.forEach((link, proxy) -> {
            if (proxy.isCut()) cuts.add(link);
        });
        return Collections.unmodifiableSet(cuts);
    }

    /** Connections relayed through {@code from -> to} right now (0 or 1 in a healthy cluster). */
    public int openConnections(long from, long to) {
        return link(from, to).openConnections();
    }

    /** Frames dropped by {@link #setLoss loss} so far, over all links. */
    public long droppedFrames() {
        return faults.dropped();
    }

    /** {@inheritDoc} Also clears the cuts made by {@link #cut}. */
    @Override
    public synchronized void partition(Collection<Set<Long>> sides) {
        Set<DirectedLink> cuts = PartitionCuts.of(nodes, sides);
        partition = sides.stream().<Set<Long>>map(s -> Collections.unmodifiableSet(new TreeSet<>(s))).toList();
        extraCuts.clear();
        apply(cuts);
    }

    @Override
    public synchronized void cut(long from, long to) {
        DirectedLink link = new DirectedLink(from, to);
        link(from, to).setCut(true);
        extraCuts.add(link);
    }

    @Override
    public synchronized void heal() {
        partition = List.of();
        extraCuts.clear();
        apply(Set.of());
    }

    @Override
    public void setLoss(double probability) {
        faults.setLoss(probability);
    }

    @Override
    public void setDelay(Duration min, Duration max) {
        faults.setDelay(min, max);
    }

    @Override
    public void clearLossAndDelay() {
        faults.clear();
    }

    /** For example {@code "partition [1] | [2, 3]; cut 2->3; loss 0.10; delay 5-50ms"}, or {@code "no faults"}. */
    @Override
    public synchronized String describe() {
        List<String> parts = new ArrayList<>();
        if (!partition.isEmpty()) {
            String sides = partition.stream().map(Object::toString).collect(Collectors.joining(" | "));
            Set<Long> isolated = new TreeSet<>(nodes);
            partition.forEach(isolated::removeAll);
            parts.add("partition " + sides + (isolated.isEmpty() ? "" : " (isolated " + isolated + ")"));
        }
        if (!extraCuts.isEmpty()) {
            parts.add("cut " + extraCuts.stream().map(Object::toString).collect(Collectors.joining(", ")));
        }
        String rates = faults.describe();
        if (!rates.isEmpty()) parts.add(rates);
        return parts.isEmpty() ? "no faults" : String.join("; ", parts);
    }

    /** Closes every proxy port and connection (idempotent). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        links.values().forEach(LinkProxy::close);
    }

    private void apply(Set<DirectedLink> cuts) {
        links.forEach((link, proxy) -> proxy.setCut(cuts.contains(link)));
    }

    private LinkProxy link(long from, long to) {
        LinkProxy proxy = links.get(new DirectedLink(from, to));
        if (proxy == null) throw new IllegalArgumentException("no link " + from + "->" + to + " among nodes " + nodes);
        return proxy;
    }
}
