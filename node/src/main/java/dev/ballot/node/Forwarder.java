package dev.ballot.node;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.RaftNode;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The follower's side of forwarding: hands client requests to the leader and matches the leader's
 * replies to them. Owned by the node loop.
 *
 * <p>Request ids are unique across restarts (a random prefix per boot, then a counter), and a reply
 * counts only if it comes from the node the request was sent to: a late reply to a request from
 * before a restart, or from another node, can never complete a different request.
 *
 * <p>What each reply allows is decided here; see {@link Outcome}.
 */
final class Forwarder {

    /** What the runtime must do with a request after a reply or a send. */
    enum Outcome {
        /** Answered (completed or failed): nothing more to do. */
        DONE,
        /** Certainly not proposed, and it may be sent again without overtaking its session: queue it again. */
        RETRY,
        /** Not a reply to anything of ours (late, duplicate, or from the wrong node): ignore. */
        IGNORED
    }

    private record ForwardedWrite(PendingWrite write, long leader, long term) {}

    private record ForwardedRead(PendingRead<?> read, long leader) {}

    private final Transport transport;
    private final long bootPrefix;
    private final Map<Long, ForwardedWrite> writes = new HashMap<>();
    private final Map<Long, ForwardedRead> reads = new HashMap<>();
    private final boolean unsafeRetry;
    private final boolean unsafeIds;
    private long counter;
    /** Filled by {@link #onReply} when it returns RETRY. */
    private PendingWrite retryWrite;
    private PendingRead<?> retryRead;

    Forwarder(Transport transport, RandomGenerator random, java.util.Set<RuntimeSabotage> sabotage) {
        this.transport = transport;
        this.unsafeRetry = sabotage.contains(RuntimeSabotage.RETRY_OUT_OF_ORDER);
        this.unsafeIds = sabotage.contains(RuntimeSabotage.REUSE_FORWARD_IDS);
        // 31 random bits, never 0: ids of two boots collide only if the prefixes do (1 in 2^31).
        long prefix = (1 + random.nextLong(Integer.MAX_VALUE)) << 32;
        this.bootPrefix = unsafeIds ? 0 : prefix;
    }

    private long nextId() {
        return bootPrefix | (++counter & 0xFFFF_FFFFL);
    }

    /** Sends {@code w} to {@code leader} of {@code term}; false if it certainly never left this node. */
    boolean forward(PendingWrite w, long leader, long term) {
        long id = nextId();
        writes.put(id, new ForwardedWrite(w, leader, term));
        if (transport.send(leader, new Forward.Propose(id, w.command))) return true;
        writes.remove(id);
        return false;
    }

    /** Asks {@code leader} for a read index for {@code r}; false if the request never left this node. */
    boolean forward(PendingRead<?> r, long leader) {
        long id = nextId();
        reads.put(id, new ForwardedRead(r, leader));
        if (transport.send(leader, new Forward.ReadIndex(id))) return true;
        reads.remove(id);
        return false;
    }

    /**
     * Handles a reply from node {@code from}. On RETRY, {@link #takeRetryWrite()} or
     * {@link #takeRetryRead()} has the request to queue again; a read that was confirmed goes to
     * {@code applier} to be served once applied up to the read index.
     */
    Outcome onReply(long from, Forward.Reply r, Applier applier) {
        ForwardedWrite fw = writes.get(r.requestId());
        if (fw != null) {
            if (fw.leader() != from && !unsafeIds) return Outcome.IGNORED;
            writes.remove(r.requestId());
            return onWriteReply(fw.write(), r);
        }
        ForwardedRead fr = reads.get(r.requestId());
        if (fr == null || (fr.leader() != from && !unsafeIds)) return Outcome.IGNORED; // too late: it already timed out
        reads.remove(r.requestId());
        PendingRead<?> read = fr.read();
        switch (r.outcome()) {
            case OK -> applier.readAt(r.readIndex(), read);
            case NOT_LEADER, NO_LEADER, SHUTDOWN -> {
                retryRead = read;
                return Outcome.RETRY;
            }
            case BUSY -> read.fail(RequestFailure.Kind.BUSY, r.leaderHint(), "the leader has too many pending requests");
            case TIMEOUT, UNKNOWN_OUTCOME -> read.fail(RequestFailure.Kind.TIMEOUT, r.leaderHint(),
                    "the leader could not confirm the read in time");
        }
        return Outcome.DONE;
    }

    private Outcome onWriteReply(PendingWrite w, Forward.Reply r) {
        switch (r.outcome()) {
            case OK -> w.complete(r.result());
            case NOT_LEADER, NO_LEADER, SHUTDOWN -> {
                // The leader did not propose it. Sending it again is safe only if no later write of the
                // same connection has been sent since: that one may be in the log already.
                w.unclaim();
                if (w.mayRetry() || unsafeRetry) {
                    retryWrite = w;
                    return Outcome.RETRY;
                }
                w.fail(RequestFailure.Kind.NOT_LEADER, r.leaderHint(),
                        "the leader changed while the write was on its way; it was not applied, and later writes of "
                                + "this connection were already sent, so it was not retried (retry it)");
            }
            case BUSY -> {
                w.unclaim();
                w.fail(RequestFailure.Kind.BUSY, r.leaderHint(), "the leader has too many pending requests");
            }
            case TIMEOUT, UNKNOWN_OUTCOME -> w.fail(RequestFailure.Kind.UNKNOWN_OUTCOME, r.leaderHint(),
                    "the leader could not tell whether the write was applied");
        }
        return Outcome.DONE;
    }

    PendingWrite takeRetryWrite() {
        PendingWrite w = retryWrite;
        retryWrite = null;
        return w;
    }

    PendingRead<?> takeRetryRead() {
        PendingRead<?> r = retryRead;
        retryRead = null;
        return r;
    }

    /**
     * A write forwarded to the leader of an earlier term will most likely never be answered (that
     * leader died or was deposed). Its outcome is unknown, and saying so now beats making the client
     * wait for the request timeout. It is never re-sent: it may have been proposed.
     */
    void giveUpOnFormerLeaders(long currentTerm, long leaderHint) {
        Iterator<ForwardedWrite> it = writes.values().iterator();
        while (it.hasNext()) {
            ForwardedWrite f = it.next();
            if (f.term() >= currentTerm) continue;
            it.remove();
            f.write().fail(RequestFailure.Kind.UNKNOWN_OUTCOME, leaderHint,
                    "the leader it was sent to lost its leadership (term " + f.term() + " ended) before answering");
        }
    }

    /** Forgets requests already answered by their timeout. */
    void forgetAnswered() {
        writes.values().removeIf(f -> f.write().isDone());
        reads.values().removeIf(f -> f.read().isDone());
    }

    int pending() {
        return writes.size() + reads.size();
    }

    void failAll(String why) {
        for (ForwardedWrite f : writes.values()) f.write().fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (ForwardedRead f : reads.values()) f.read().fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        writes.clear();
        reads.clear();
    }

    static Forward.Outcome outcomeFor(long leaderHint) {
        return leaderHint == RaftNode.NONE ? Forward.Outcome.NO_LEADER : Forward.Outcome.NOT_LEADER;
    }
}
