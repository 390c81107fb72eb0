package dev.ballot.testkit.sim;

import dev.ballot.raft.Message;

/**
 * Counts of the messages engines handed to the network, by kind, plus what the network did with
 * them. Used by the message-count scenarios and the run summaries.
 */
public final class MessageStats {

    /** The kinds of message, in a fixed order. */
    public enum Kind {
        PRE_VOTE, PRE_VOTE_RESPONSE, REQUEST_VOTE, REQUEST_VOTE_RESPONSE, APPEND_ENTRIES,
        APPEND_ENTRIES_RESPONSE, APPEND_ENTRIES_REJECTED, HEARTBEAT, HEARTBEAT_RESPONSE, INSTALL_SNAPSHOT
    }

    private final long[] sent = new long[Kind.values().length];
    private long total;
    private long delivered;
    private long lost;
    private long duplicated;
    private long blocked;
    private long toDownNode;

    /** The kind of a message; a rejected AppendEntriesResponse counts as APPEND_ENTRIES_REJECTED. */
    public static Kind kindOf(Message m) {
        return switch (m) {
            case Message.RequestVote v -> v.preVote() ? Kind.PRE_VOTE : Kind.REQUEST_VOTE;
            case Message.RequestVoteResponse v -> v.preVote() ? Kind.PRE_VOTE_RESPONSE : Kind.REQUEST_VOTE_RESPONSE;
            case Message.AppendEntries a -> Kind.APPEND_ENTRIES;
            case Message.AppendEntriesResponse r -> r.success() ? Kind.APPEND_ENTRIES_RESPONSE
                    : Kind.APPEND_ENTRIES_REJECTED;
            case Message.Heartbeat b -> Kind.HEARTBEAT;
            case Message.HeartbeatResponse r -> Kind.HEARTBEAT_RESPONSE;
            case Message.InstallSnapshot s -> Kind.INSTALL_SNAPSHOT;
        };
    }

    void onSent(Message m) {
        sent[kindOf(m).ordinal()]++;
        total++;
    }

    void onDelivered() {
        delivered++;
    }

    void onLost() {
        lost++;
    }

    void onDuplicated() {
        duplicated++;
    }

    void onBlocked() {
        blocked++;
    }

    void onToDownNode() {
        toDownNode++;
    }

    /** Messages of one kind sent so far. */
    public long sent(Kind kind) {
        return sent[kind.ordinal()];
    }

    /** Messages of all kinds sent so far. */
    public long sentTotal() {
        return total;
    }

    /** Sent messages other than heartbeats and their responses. */
    public long sentExceptHeartbeats() {
        return total - sent(Kind.HEARTBEAT) - sent(Kind.HEARTBEAT_RESPONSE);
    }

    public long delivered() {
        return delivered;
    }

    public long lost() {
        return lost;
    }

    public long duplicated() {
        return duplicated;
    }

    /** Dropped by a partition, at send or at delivery time. */
    public long blocked() {
        return blocked;
    }

    /** Dropped because the receiver was down (or crashed while the message was in flight). */
    public long toDownNode() {
        return toDownNode;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("sent ").append(total).append(" {");
        for (Kind k : Kind.values()) {
            if (sent[k.ordinal()] > 0) sb.append(' ').append(k).append('=').append(sent[k.ordinal()]);
        }
        return sb.append(" }, delivered ").append(delivered).append(", lost ").append(lost)
                .append(", duplicated ").append(duplicated).append(", blocked ").append(blocked)
                .append(", to down node ").append(toDownNode).toString();
    }
}
