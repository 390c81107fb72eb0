package dev.ballot.testkit.sim.runtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A simulated Redis client: one connection at a time to any node, up to {@code depth} commands
 * pipelined on it (sent without waiting for replies, as Lettuce's async API or
 * {@code redis-benchmark -P} do). Replies are matched to commands in order, as RESP does. A
 * command without a reply in time resets the connection (its open commands become unknown) and
 * the client reconnects: half the clients to the same node (a client configured with one host), the
 * others to a node chosen at random.
 */
final class SimClient {

    /** How clients behave; the same for every client of a run except the pipeline depth. */
    record Settings(int keys, long timeoutNanos, long maxThinkNanos, long reconnectNanos, long minLinkNanos,
                    long maxLinkNanos) {}

    private record Open(int process, Workload.Op op) {}

    private final int id;
    private final Scheduler scheduler;
    private final List<RuntimeNode> nodes;
    private final ClientHistory history;
    private final SplittableRandom random;
    private final Settings settings;
    private final Workload workload;
    private final int depth;
    private final NodeEvents events;
    private final ArrayDeque<Open> open = new ArrayDeque<>();
    private final Map<String, String> lastSeen = new HashMap<>();
    private final ProtocolErrors protocolErrors;
    private RuntimeNode node;
    private SimConnection connection;
    /** Bumped by every reset, so replies of an older connection are ignored. */
    private long generation;
    private long issued;
    /** When the last bytes sent on the connection arrive, each way. */
    private long toServer;
    private long toClient;
    private long stopAt;
    private boolean thinking;
    private final boolean sticky;

    /** Reports a reply the client cannot make sense of: a failed run. */
    interface ProtocolErrors {
        void report(String what);
    }

    SimClient(int id, Scheduler scheduler, List<RuntimeNode> nodes, ClientHistory history, SplittableRandom random,
              Settings settings, Workload workload, int depth, NodeEvents events, ProtocolErrors protocolErrors) {
        this.id = id;
        this.scheduler = scheduler;
        this.nodes = nodes;
        this.history = history;
        this.random = random;
        this.settings = settings;
        this.workload = workload;
        this.depth = depth;
        this.events = events;
        this.protocolErrors = protocolErrors;
        this.sticky = random.nextBoolean();
    }

    /** Issues commands until {@code stopAt} (virtual ns); open ones still get their outcome after that. */
    void start(long stopAt) {
        this.stopAt = stopAt;
        connect();
    }

    boolean idle() {
        return open.isEmpty();
    }

    private void connect() {
        // Half the clients know one address only and come back to it (a client configured with one
        // host); the others pick any node.
        RuntimeNode n = sticky && node != null ? node : nodes.get(random.nextInt(nodes.size()));
        if (!n.isUp()) {
            scheduler.after(settings.reconnectNanos(), this::connect); // connection refused: try again
            return;
        }
        long gen = ++generation;
        node = n;
        toServer = 0;
        toClient = 0;
        connection = n.connect(id * 1_000_000L + gen, bytes -> {
            toClient = arrival(toClient);
            scheduler.at(toClient, () -> onReply(gen, bytes));
        }, () -> scheduler.at(arrival(toClient), () -> {
            if (gen == generation) reset("connection reset: node " + n.id() + "'s process died");
        }));
        pump();
    }

    /** When bytes sent now arrive, given when the previous bytes in that direction did: TCP keeps order. */
    private long arrival(long previous) {
        long delay = settings.minLinkNanos() + random.nextLong(settings.maxLinkNanos() - settings.minLinkNanos() + 1);
        return Math.max(scheduler.now() + delay, previous);
    }

    /** Sends commands while the pipeline has room. */
    private void pump() {
        while (connection != null && !thinking && open.size() < depth && scheduler.now() < stopAt) {
            send(workload.next(random, settings.keys(), id, "c" + id + "-" + generation, issued++, lastSeen::get));
            if (settings.maxThinkNanos() > 0 && random.nextBoolean()) {
                thinking = true;
                scheduler.after(random.nextLong(settings.maxThinkNanos()), () -> {
                    thinking = false;
                    pump();
                });
            }
        }
    }

    /** One more command on the current connection (for the final reads too). */
    void send(Workload.Op op) {
        Open o = new Open(history.invoke(op, id, node.id()), op);
        open.add(o);
        byte[] bytes = RespWire.command(op.command());
        boolean read = op.command()[0].equals("GET");
        SimConnection c = connection;
        RuntimeNode n = node;
        long gen = generation;
        toServer = arrival(toServer);
        scheduler.at(toServer, () -> {
            if (gen == generation && c.isOpen() && n.isUp()) n.loop().turn(() -> c.receive(bytes, read));
        });
        scheduler.after(settings.timeoutNanos(), () -> {
            if (gen == generation && open.contains(o)) reset("no reply in time to " + String.join(" ", op.command()));
        });
    }

    private void onReply(long gen, byte[] bytes) {
        if (gen != generation) return;
        Open o = open.poll();
        if (o == null) {
            protocolErrors.report("client " + id + " got a reply it did not ask for: " + new String(bytes));
            return;
        }
        RespWire.Reply r;
        try {
            r = RespWire.parse(bytes);
        } catch (RuntimeException e) {
            protocolErrors.report("client " + id + " could not parse a reply: " + e.getMessage());
            return;
        }
        record(o, r);
        pump();
    }

    private void record(Open o, RespWire.Reply r) {
        Workload.Op op = o.op();
        if (r.isError()) {
            String code = r.text().split(" ", 2)[0];
            switch (code) {
                case "TRYAGAIN", "BUSY", "TIMEOUT", "SHUTDOWN" -> history.refused(o.process(), op);
                case "UNKNOWN" -> history.info(o.process(), op);
                default -> {
                    history.info(o.process(), op);
                    protocolErrors.report("client " + id + ": unexpected error reply to "
                            + String.join(" ", op.command()) + ": " + r);
                }
            }
            return;
        }
        char expectedType = switch (op.f()) {
            case "read", "get" -> '$';
            case "write" -> '+';
            default -> ':';
        };
        if (r.type() != expectedType) {
            history.info(o.process(), op);
            protocolErrors.report("client " + id + ": reply " + r + " does not fit " + String.join(" ", op.command()));
            return;
        }
        switch (op.f()) {
            case "read", "get" -> {
                String v = r.string();
                if (v != null) lastSeen.put(op.key(), v);
                history.ok(o.process(), op, v == null && op.f().equals("get") ? "" : v);
            }
            case "write" -> {
                lastSeen.put(op.key(), op.value());
                history.ok(o.process(), op, op.value());
            }
            case "cas" -> {
                if (r.integer() == 1) {
                    lastSeen.put(op.key(), op.value());
                    history.ok(o.process(), op, op.value());
                } else {
                    history.fail(o.process(), op);
                }
            }
            case "append" -> history.appended(o.process(), op, r.integer());
            default -> throw new IllegalStateException("unknown operation " + op.f());
        }
    }

    /** Resets the connection (a timeout, or the nemesis): open commands become unknown; reconnect. */
    void reset(String why) {
        if (connection == null) return;
        events.add(NodeEvents.CLUSTER, "client " + id + " resets its connection to node " + node.id() + ": " + why);
        generation++;
        for (Open o : open) history.info(o.process(), o.op());
        open.clear();
        SimConnection c = connection;
        RuntimeNode n = node;
        connection = null;
        if (n.isUp() && c.isOpen()) n.loop().turn(c::close);
        scheduler.after(settings.reconnectNanos(), this::connect);
    }
}
