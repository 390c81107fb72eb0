package dev.ballot.testkit.sim;

/**
 * Deliberate runtime bugs, to prove that the {@link InvariantChecker} notices when the persistence
 * contract (or the read protocol) is broken. Never on outside the checker's own tests.
 */
public enum Sabotage {
    /** An honest runtime. */
    NONE,
    /** A restarting node has lost its disk: empty log, initial hard state. */
    AMNESIA,
    /** A restarting node has lost its vote: votedFor is reset to NONE in its durable hard state. */
    FORGET_VOTE,
    /** Messages go out before the Ready's entries and hard state are durable. */
    SEND_BEFORE_PERSIST,
    /**
     * Reads skip ReadIndex: a node that believes it is leader serves a read at once at its local
     * commit index, with no current-term commit and no heartbeat round.
     */
    LOCAL_READ
}
