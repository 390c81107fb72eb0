package dev.ballot.node;

import dev.ballot.node.transport.Forward;
import dev.ballot.raft.ProposeResult;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.ReadState;
import dev.ballot.raft.Role;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads this node confirms as leader with ReadIndex (Raft thesis §6.4), for its own clients and
 * for followers that asked. Owned by the node loop.
 */
final class LeaderReads {

    /** A read being confirmed: a local one ({@code local != null}) or a follower's request. */
    private record LeaderRead(long term, PendingRead<?> local, long follower, long requestId) {}

    /** Sends a reply to a follower's read-index request. */
    interface Replies {
        void reply(long to, long requestId, Forward.Outcome outcome, long leaderHint, long readIndex);
    }

    private final RaftNode node;
    private final Replies replies;
    private final Map<Long, LeaderRead> confirming = new HashMap<>();
    private long nextContext;

    LeaderReads(RaftNode node, Replies replies) {
        this.node = node;
        this.replies = replies;
    }

    /**
     * Starts ReadIndex for a local read ({@code local != null}) or for a follower's request.
     * A local read this node cannot start (it is not leader) goes to {@code retry}.
     */
    void start(PendingRead<?> local, long follower, long requestId, Consumer<PendingRead<?>> retry) {
        long context = ++nextContext;
        switch (node.readIndex(context)) {
            case ProposeResult.Accepted a ->
                    confirming.put(context, new LeaderRead(node.currentTerm(), local, follower, requestId));
            case ProposeResult.NotLeader n -> {
                if (local != null) {
                    retry.accept(local);
                } else {
                    replies.reply(follower, requestId, Forwarder.outcomeFor(n.leaderId()), n.leaderId(), 0);
                }
            }
        }
    }

    /** Confirmed reads of a Ready: served once applied up to their read index. */
    void released(List<ReadState> states, Applier applier) {
        for (ReadState rs : states) {
            LeaderRead lr = confirming.remove(rs.context());
            if (lr == null) continue;
            if (lr.local() != null) {
                applier.readAt(rs.index(), lr.local());
            } else {
                replies.reply(lr.follower(), lr.requestId(), Forward.Outcome.OK, node.id(), rs.index());
            }
        }
    }

    /** Reads confirmed by a leader that has since lost its leadership must be confirmed again. */
    void abortIfDeposed(Consumer<PendingRead<?>> retry) {
        if (confirming.isEmpty()) return;
        boolean stillLeading = node.role() == Role.LEADER;
        long term = node.currentTerm();
        Iterator<LeaderRead> it = confirming.values().iterator();
        while (it.hasNext()) {
            LeaderRead lr = it.next();
            if (stillLeading && lr.term() == term) continue;
            it.remove();
            if (lr.local() != null) {
                retry.accept(lr.local());
            } else {
                replies.reply(lr.follower(), lr.requestId(), Forwarder.outcomeFor(node.leaderId()), node.leaderId(), 0);
            }
        }
    }

    void failAll(String why) {
        for (LeaderRead lr : confirming.values()) {
            if (lr.local() != null) lr.local().fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        }
        confirming.clear();
    }
}
