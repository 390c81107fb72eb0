package dev.ballot.raft;

/**
 * The state a node must keep on stable storage besides its log (Raft paper, Figure 2,
 * "Persistent state on all servers"), plus the commit index so a restarted node does not
 * need a new leader before it can re-apply what it knew was committed.
 *
 * @param currentTerm latest term this node has seen (0 on first boot)
 * @param votedFor    candidate that received this node's vote in {@code currentTerm}, or {@link RaftNode#NONE}
 * @param commitIndex highest log index known to be committed
 */
public record HardState(long currentTerm, long votedFor, long commitIndex) {

    public static final HardState INITIAL = new HardState(0, RaftNode.NONE, 0);

    public HardState {
        if (currentTerm < 0) throw new IllegalArgumentException("currentTerm must be >= 0, was " + currentTerm);
        if (votedFor < 0) throw new IllegalArgumentException("votedFor must be >= 0, was " + votedFor);
        if (commitIndex < 0) throw new IllegalArgumentException("commitIndex must be >= 0, was " + commitIndex);
    }
}
