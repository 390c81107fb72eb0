package dev.ballot.testkit.sim;

/**
 * Deliberate runtime bugs, to prove that the {@link InvariantChecker} notices when the persistence
 * contract is broken. Never on outside the checker's own tests.
 */
public enum Sabotage {
    /** An honest runtime. */
    NONE,
    /** A restarting node has lost its disk: empty log, initial hard state. */
    AMNESIA,
    /** A restarting node has lost its vote: votedFor is reset to NONE in its durable hard state. */
    FORGET_VOTE,
    /** Messages go out before the Ready's entries and hard state are durable. */
    SEND_BEFORE_PERSIST
}
