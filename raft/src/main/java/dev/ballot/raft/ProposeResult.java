package dev.ballot.raft;

/** The engine's answer to {@link RaftNode#propose(byte[])} and {@link RaftNode#readIndex(long)}. */
public sealed interface ProposeResult {

    /**
     * Appended to the leader's log at {@code index} in {@code term}. Not yet committed: the entry
     * is committed (and applied) only if a {@link Ready#committedEntries()} later carries an entry
     * with this exact index <em>and</em> term. If a different term shows up at that index, the
     * proposal was lost in a change of leader.
     *
     * <p>For {@link RaftNode#readIndex(long)}: the read is pending on the leader of {@code term};
     * {@code index} is 0, the read index comes with the read's {@link ReadState}.
     */
    record Accepted(long index, long term) implements ProposeResult {}

    /**
     * Not appended: this node is not the leader. {@code leaderId} is the leader this node knows
     * of, or {@link RaftNode#NONE}; a client may retry there. Nothing was proposed, so a retry is
     * always safe (for a read too).
     */
    record NotLeader(long leaderId) implements ProposeResult {}
}
