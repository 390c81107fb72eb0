package dev.ballot.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's bookkeeping for ReadIndex (thesis §6.4): reads waiting for the first commit of the
 * leader's term, reads waiting for a heartbeat round to confirm leadership, and which round each
 * peer has confirmed in the current term.
 *
 * <p>Rounds are numbered by a sequence that only grows for the life of the node, so an answer to an
 * older heartbeat can never confirm a newer read. A round is open while reads join it; it closes
 * when heartbeats carrying its number are queued, which happens after every read of the round was
 * registered, so every confirming answer was sent after the read was asked for.
 */
final class ReadIndexQueue {

    private record Pending(long context, long index, long round) {}

    private final long self;
    private final Quorum quorum;
    private final List<Long> awaitingCommit = new ArrayList<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Set<Long> contexts = new HashSet<>();
    /** Highest round each peer confirmed in the current term. */
    private final Map<Long, Long> confirmed = new HashMap<>();
    private long round;
    private boolean roundOpen;

    ReadIndexQueue(long self, Quorum quorum) {
        this.self = self;
        this.quorum = quorum;
    }

    /** Drops every pending read and every peer's confirmation (leadership lost or just gained). */
    void reset() {
        awaitingCommit.clear();
        pending.clear();
        contexts.clear();
        confirmed.clear();
        roundOpen = false;
    }

    boolean isPending(long context) {
        return contexts.contains(context);
    }

    int size() {
        return contexts.size();
    }

    /** A read that must wait until the leader has committed an entry of its term. */
    void awaitCommit(long context) {
        contexts.add(context);
        awaitingCommit.add(context);
    }

    boolean hasAwaitingCommit() {
        return !awaitingCommit.isEmpty();
    }

    /** The leader committed an entry of its term: the waiting reads get {@code commitIndex} as read index. */
    void commitReached(long commitIndex) {
        for (long context : awaitingCommit) enqueue(context, commitIndex);
        awaitingCommit.clear();
    }

    /** A read with read index {@code index}, to be confirmed by the open round (opening one if needed). */
    void add(long context, long index) {
        contexts.add(context);
        enqueue(context, index);
    }

    private void enqueue(long context, long index) {
        if (!roundOpen) {
            round++;
            roundOpen = true;
        }
        pending.add(new Pending(context, index, round));
    }

    /** True if reads joined a round whose heartbeats are not queued yet. */
    boolean roundOpen() {
        return roundOpen;
    }

    /** Heartbeats are being queued now: closes the open round and returns the number they carry. */
    long closeRound() {
        roundOpen = false;
        return round;
    }

    /** The latest round number. */
    long round() {
        return round;
    }

    /** {@code peer} answered a heartbeat of round {@code context} (or later) in the current term. */
    void confirm(long peer, long context) {
        confirmed.merge(peer, context, Math::max);
    }

    /**
     * Moves every read whose round a majority (this node included) confirmed to {@code out}, in
     * order. A single voter confirms everything at once.
     */
    void release(List<ReadState> out) {
        if (pending.isEmpty()) return;
        // This node confirms every round itself: it is still leader when it looks.
        long majority = quorum.committedIndex(voter -> voter == self ? round : confirmed.getOrDefault(voter, 0L));
        while (!pending.isEmpty() && pending.peek().round() <= majority) {
            Pending p = pending.poll();
            contexts.remove(p.context());
            out.add(new ReadState(p.context(), p.index()));
        }
    }
}
