package dev.ballot.node;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.Ready;
import dev.ballot.raft.Role;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Ready policy: what a runtime does with each {@link Ready}, and when. The node runtime and
 * the simulator both carry out Readies through this class, so the simulator checks the policy
 * production runs. The rules, in the order they are applied to a new Ready:
 *
 * <ol>
 *   <li><b>Apply at once.</b> {@link Ready#committedEntries()} were made durable by earlier,
 *       already advanced Readies, so they go to the state machine now; a reply never waits for an
 *       unrelated fsync. Confirmed reads are released now too (they do not depend on the disk).</li>
 *   <li><b>The leader sends before its fsync</b> (Raft thesis §10.2.1): a leader-role Ready's
 *       AppendEntries and Heartbeats leave at once, in parallel with the leader's own disk write;
 *       the leader counts its own copy of an entry only after {@code advance}. Every other message
 *       — votes, vote and pre-vote requests and responses, append responses — waits for the disk:
 *       each is a promise about durable state.</li>
 *   <li><b>Persist.</b> A snapshot to install ({@link Ready#snapshot()}, the runtime's to carry out
 *       before the rest), entries, and the hard state only if term or vote changed: a commit index
 *       on its own is a hint (always at most the real commit index, pointing into a log written
 *       first), not worth an fsync; it is written with the next term or vote change. A Ready with
 *       nothing to write is durable at once but still finishes behind earlier ones.</li>
 *   <li><b>Finish in order.</b> Once a Ready is durable, and every earlier one is finished, its
 *       remaining messages are sent and it is handed to {@link RaftNode#advance}.</li>
 * </ol>
 * At most {@code maxInFlight} Readies are taken before the oldest is finished, so new entries and
 * commits flow while an fsync runs; storage makes them durable in the order given (several may
 * share one fsync).
 *
 * <p>Not thread-safe: the owner calls everything, including the persist callbacks, on one thread.
 */
public final class ReadyPipeline {

    /** What the pipeline asks its runtime to do. */
    public interface Actions {
        /**
         * Installs {@code ready.snapshot()} if any, then makes {@code entries}, then {@code hardState}
         * (null: none) durable, in the order of the calls, and then calls {@code durable} on the
         * owner's thread. Never calls it if the write
         * failed (the runtime stops instead).
         */
        void persist(Ready ready, List<Entry> entries, HardState hardState, Runnable durable);

        /** Sends these messages, in order (a transport may drop some: Raft survives lost messages). */
        void send(List<Message> messages);

        /** Applies committed entries, in order, and serves the reads released with them. */
        void apply(Ready ready);

        /** {@code ready} is durable and its messages sent; called just before it is advanced. */
        default void durable(Ready ready) {}

        /** {@code ready} is durable, sent and advanced. */
        default void finished(Ready ready) {}
    }

    private static final class Flight {
        final Ready ready;
        final boolean leaderTrafficSent;
        boolean durable;

        Flight(Ready ready, boolean leaderTrafficSent) {
            this.ready = ready;
            this.leaderTrafficSent = leaderTrafficSent;
        }
    }

    private final RaftNode node;
    private final Actions actions;
    private final int maxInFlight;
    private final boolean unsafeSendBeforePersist;
    private final ArrayDeque<Flight> flights = new ArrayDeque<>();
    private boolean draining;
    /** The term and vote last handed to storage (or recovered): what a crash could bring back. */
    private HardState submitted;

    /**
     * @param recovered   the hard state the node started from
     * @param maxInFlight Readies taken before the oldest is finished (at least 1)
     */
    public ReadyPipeline(RaftNode node, HardState recovered, int maxInFlight, Actions actions) {
        this(node, recovered, maxInFlight, actions, false);
    }

    private ReadyPipeline(RaftNode node, HardState recovered, int maxInFlight, Actions actions,
                          boolean unsafeSendBeforePersist) {
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
        this.node = Objects.requireNonNull(node, "node");
        this.submitted = Objects.requireNonNull(recovered, "recovered");
        this.maxInFlight = maxInFlight;
        this.actions = Objects.requireNonNull(actions, "actions");
        this.unsafeSendBeforePersist = unsafeSendBeforePersist;
    }

    /**
     * <b>Broken on purpose, for tests only</b>: sends every message before the Ready is durable,
     * so the simulator can show that it catches a node that promises what its disk does not hold.
     */
    public static ReadyPipeline sendingBeforePersistForTests(RaftNode node, HardState recovered, int maxInFlight,
                                                             Actions actions) {
        return new ReadyPipeline(node, recovered, maxInFlight, actions, true);
    }

    /** Readies taken and not yet finished. */
    public int inFlight() {
        return flights.size();
    }

    /** Takes and starts Readies while the engine has some and fewer than the maximum are in flight. */
    public void drain() {
        if (draining) return; // a persist callback run from inside persist(): the loop below picks it up
        draining = true;
        try {
            boolean progress = true;
            while (progress) {
                progress = false;
                while (flights.size() < maxInFlight && node.hasReady()) {
                    start(node.ready());
                    progress = true;
                }
                progress |= finishDurable();
            }
        } finally {
            draining = false;
        }
    }

    private void start(Ready rd) {
        actions.apply(rd);
        HardState hs = needsFsync(rd.hardState()) ? rd.hardState() : null;
        // A leader-role Ready never changes term or vote (except a one-node cluster's first, which
        // has nobody to send to); if one ever did, nothing leaves before it is durable.
        boolean sendEarly = rd.role() == Role.LEADER && hs == null && !unsafeSendBeforePersist;
        if (unsafeSendBeforePersist) {
            actions.send(rd.messages());
        } else if (sendEarly) {
            List<Message> early = new ArrayList<>(rd.messages().size());
            for (Message m : rd.messages()) {
                if (isLeaderTraffic(m)) early.add(m);
            }
            if (!early.isEmpty()) actions.send(early);
        }
        Flight flight = new Flight(rd, sendEarly || unsafeSendBeforePersist);
        flights.add(flight);
        if (rd.snapshot() == null && rd.entries().isEmpty() && hs == null) {
            flight.durable = true; // nothing to write; still finished in order behind earlier Readies
            return;
        }
        if (hs != null) submitted = hs;
        actions.persist(rd, rd.entries(), hs, () -> {
            flight.durable = true;
            drain();
        });
    }

    /** Term and vote must be durable before anything that depends on them is sent; a commit index alone need not. */
    private boolean needsFsync(HardState hs) {
        return hs != null && (hs.currentTerm() != submitted.currentTerm() || hs.votedFor() != submitted.votedFor());
    }

    /** The only messages a leader may send before its own write is durable. */
    static boolean isLeaderTraffic(Message m) {
        return m instanceof Message.AppendEntries || m instanceof Message.Heartbeat;
    }

    /** Sends and advances the durable Readies at the head of the line; true if there were any. */
    private boolean finishDurable() {
        boolean any = false;
        while (!flights.isEmpty() && flights.peek().durable) {
            Flight f = flights.poll();
            List<Message> rest = new ArrayList<>(f.ready.messages().size());
            for (Message m : f.ready.messages()) {
                boolean alreadySent = f.leaderTrafficSent && (unsafeSendBeforePersist || isLeaderTraffic(m));
                if (!alreadySent) rest.add(m);
            }
            if (!rest.isEmpty()) actions.send(rest);
            actions.durable(f.ready);
            node.advance(f.ready);
            actions.finished(f.ready);
            any = true;
        }
        return any;
    }
}
