package dev.ballot.testkit.sim;

import dev.ballot.raft.Role;

/**
 * What the {@link InvariantChecker} reads of one node: the engine's volatile state (valid only
 * while {@link #isUp()}), its in-memory state machine and its {@link DurableStore}. An interface so
 * the checker can be tested against hand-made states.
 */
public interface NodeView {

    long id();

    boolean isUp();

    Role role();

    long currentTerm();

    long commitIndex();

    /** The engine's own applied index. */
    long appliedIndex();

    long lastIndex();

    /** Term of the engine's log entry at {@code index} (0 for index 0). */
    long term(long index);

    /** Index of the last entry the simulated state machine applied since this node booted. */
    long stateMachineIndex();

    DurableStore store();
}
