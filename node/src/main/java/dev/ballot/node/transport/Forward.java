package dev.ballot.node.transport;

/**
 * Frames with which a follower forwards a client request to the leader and gets the answer back
 * (DESIGN.md §4: "if not leader: forward to the leader"). Not part of the Raft protocol: the
 * engine never sees them.
 *
 * <p>{@code requestId} is chosen by the sender and echoed in the {@link Reply}; it is only unique
 * per sending node.
 */
public sealed interface Forward {

    long requestId();

    /** "Please propose this command and tell me its result once applied." */
    record Propose(long requestId, byte[] command) implements Forward {}

    /** "Please confirm a read index for me" (Raft thesis §6.4: a follower asks the leader). */
    record ReadIndex(long requestId) implements Forward {}

    /**
     * The leader's answer.
     *
     * @param outcome    what happened
     * @param leaderHint the leader the replier knows of (for {@link Outcome#NOT_LEADER}), else 0
     * @param readIndex  for an answered {@link ReadIndex}: the confirmed read index, else 0
     * @param result     for an applied {@link Propose}: the state machine's result, else empty
     */
    record Reply(long requestId, Outcome outcome, long leaderHint, long readIndex, byte[] result)
            implements Forward {}

    /** Outcomes a {@link Reply} can carry; they map one to one to {@code RequestFailure.Kind}. */
    enum Outcome { OK, NOT_LEADER, NO_LEADER, BUSY, TIMEOUT, UNKNOWN_OUTCOME, SHUTDOWN }
}
