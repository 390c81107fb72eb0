package dev.ballot.testkit.sim.runtime;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Transport;
import dev.ballot.node.wire.ForwardCodec;
import dev.ballot.node.wire.SnapshotCodec;
import dev.ballot.node.transport.SnapshotFrame;
import dev.ballot.node.wire.MessageCodec;
import dev.ballot.node.wire.WireFormatException;
import dev.ballot.raft.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The network between simulated nodes. Every message crosses it as bytes, through the production
 * codecs. Between two nodes it behaves as the production transport's TCP connection does:
 * forwarding frames arrive in the order sent or not at all (a cut link or a crash resets the
 * connection and drops what was in flight; later frames take a new one). Raft messages get the
 * harsher faults the engine must survive anyway: loss, duplication, reordering and long delays.
 */
final class SimNet {

    /** Fault rates and delays of the network, changed by the nemesis while a run goes on. */
    static final class Conditions {
        long minDelayNanos = 100_000;
        long maxDelayNanos = 600_000;
        double loss;
        double duplicate;
        /** Chance that a Raft message takes a long detour (so later ones overtake it). */
        double longDelay;
        long longDelayNanos = 300_000_000;
        /** Extra latency of congested directed links ({@code from << 32 | to}), for every message on them. */
        final Map<Long, Long> slowLinks = new HashMap<>();
    }

    private record Endpoint(SimLoop loop, Transport.Inbound inbound) {}

    private final Scheduler scheduler;
    private final SplittableRandom random;
    private final NodeEvents events;
    private final MessageCodec messages = new MessageCodec();
    private final ForwardCodec forwards = new ForwardCodec(MessageCodec.DEFAULT_MAX_FRAME_SIZE);
    private final SnapshotCodec snapshotFrames = new SnapshotCodec(MessageCodec.DEFAULT_MAX_FRAME_SIZE);
    private final Map<Long, Endpoint> up = new HashMap<>();
    /** Per directed link: when its last forwarding frame arrives, and the connection's generation. */
    private final Map<Long, long[]> links = new HashMap<>();
    private final Conditions conditions = new Conditions();
    private final Map<Long, Long> termSent = new HashMap<>();
    private Map<Long, Integer> sides = Map.of();
    private long dropped;
    private long delivered;

    SimNet(Scheduler scheduler, SplittableRandom random, NodeEvents events) {
        this.scheduler = scheduler;
        this.random = random;
        this.events = events;
    }

    Conditions conditions() {
        return conditions;
    }

    long dropped() {
        return dropped;
    }

    long delivered() {
        return delivered;
    }

    // ---------------------------------------------------------------- nodes and partitions

    void attach(long id, SimLoop loop, Transport.Inbound inbound) {
        up.put(id, new Endpoint(loop, inbound));
    }

    /** The node is down: its connections break. */
    void detach(long id) {
        up.remove(id);
        links.forEach((key, link) -> {
            if (key >>> 32 == id || (key & 0xffffffffL) == id) link[1]++;
        });
    }

    /**
     * Splits the nodes into groups that cannot reach each other ({@code sideOf} maps a node to its
     * group; a node not in the map is in group 0). Connections across the cut break.
     */
    void partition(Map<Long, Integer> sideOf) {
        this.sides = Map.copyOf(sideOf);
        links.forEach((key, link) -> {
            if (cut(key >>> 32, key & 0xffffffffL)) link[1]++;
        });
    }

    void heal() {
        sides = Map.of();
    }

    boolean cut(long from, long to) {
        return !sides.getOrDefault(from, 0).equals(sides.getOrDefault(to, 0));
    }

    private long[] link(long from, long to) {
        return links.computeIfAbsent((from << 32) | to, k -> new long[2]);
    }

    private long delay(long from, long to) {
        return conditions.minDelayNanos + random.nextLong(conditions.maxDelayNanos - conditions.minDelayNanos + 1)
                + conditions.slowLinks.getOrDefault((from << 32) | to, 0L);
    }

    // ---------------------------------------------------------------- traffic

    /**
     * The highest term node {@code id} has put in a message other than a pre-vote (whose term is a
     * proposal, never adopted): sending it promised that the term was durable.
     */
    long highestTermSent(long id) {
        return termSent.getOrDefault(id, 0L);
    }

    void send(long from, Message m) {
        boolean preVote = m instanceof Message.RequestVote v && v.preVote()
                || m instanceof Message.RequestVoteResponse r && r.preVote();
        if (!preVote) termSent.merge(from, m.term(), Math::max);
        long to = m.to();
        if (cut(from, to) || !up.containsKey(to) || random.nextDouble() < conditions.loss) {
            dropped++;
            return;
        }
        byte[] bytes = messages.encode(m);
        int copies = random.nextDouble() < conditions.duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long d = random.nextDouble() < conditions.longDelay ? conditions.longDelayNanos : delay(from, to);
            scheduler.after(d, () -> deliverMessage(to, bytes));
        }
    }

    private void deliverMessage(long to, byte[] bytes) {
        Endpoint e = up.get(to);
        if (e == null) {
            dropped++;
            return;
        }
        Message m;
        try {
            m = messages.decode(bytes);
        } catch (WireFormatException ex) {
            throw new IllegalStateException("a message the production codec wrote did not decode", ex);
        }
        delivered++;
        e.loop().turn(() -> e.inbound().onMessage(m));
    }

    /** False when the frame certainly never left (no connection), as the production transport promises. */
    boolean sendForward(long from, long to, Forward frame) {
        if (!up.containsKey(to)) {
            dropped++;
            return false;
        }
        if (cut(from, to)) {
            dropped++;
            // The connection may or may not have noticed the cut yet: both answers are allowed.
            return random.nextBoolean();
        }
        ByteBuf buf = Unpooled.buffer();
        forwards.encode(frame, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        long[] link = link(from, to);
        long arrival = Math.max(scheduler.now() + delay(from, to), link[0]);
        link[0] = arrival;
        long generation = link[1];
        scheduler.at(arrival, () -> {
            Endpoint e = up.get(to);
            if (e == null || link[1] != generation) {
                dropped++; // the connection broke while the frame was in flight
                return;
            }
            Forward f;
            try {
                f = (Forward) forwards.decode(Unpooled.wrappedBuffer(bytes));
            } catch (WireFormatException ex) {
                throw new IllegalStateException("a frame the production codec wrote did not decode", ex);
            }
            delivered++;
            e.loop().turn(() -> e.inbound().onForward(from, f));
        });
        return true;
    }

    /**
     * A snapshot-transfer frame, through the production codec. Treated like a Raft message, not
     * like TCP: it may be lost, duplicated or overtaken, so the transfer's own rules (ignore
     * duplicate, stale and out-of-order chunks; resend on silence) are what gets it through.
     */
    boolean sendSnapshot(long from, long to, SnapshotFrame frame) {
        if (cut(from, to) || !up.containsKey(to) || random.nextDouble() < conditions.loss) {
            dropped++;
            return true; // queued as far as the sender can tell
        }
        ByteBuf buf = Unpooled.buffer();
        snapshotFrames.encode(frame, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        int copies = random.nextDouble() < conditions.duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long d = random.nextDouble() < conditions.longDelay ? conditions.longDelayNanos : delay(from, to);
            scheduler.after(d, () -> {
                Endpoint e = up.get(to);
                if (e == null || cut(from, to)) {
                    dropped++;
                    return;
                }
                SnapshotFrame f;
                try {
                    f = snapshotFrames.decode(Unpooled.wrappedBuffer(bytes));
                } catch (WireFormatException ex) {
                    throw new IllegalStateException("a frame the production codec wrote did not decode", ex);
                }
                delivered++;
                e.loop().turn(() -> e.inbound().onSnapshot(from, f));
            });
        }
        return true;
    }
}
