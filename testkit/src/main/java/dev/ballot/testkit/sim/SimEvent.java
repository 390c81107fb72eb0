package dev.ballot.testkit.sim;

import dev.ballot.raft.Message;

/**
 * What the event loop can do at one instant of virtual time. Events aimed at a node carry the
 * node's incarnation at scheduling time: after a crash the incarnation changes, so every tick,
 * pending Ready and in-flight message of the old incarnation is dropped when it comes due.
 */
sealed interface SimEvent {

    /** The node's logical clock advances by one tick. */
    record Tick(long node, int incarnation) implements SimEvent {}

    /** A message arrives at {@code message.to()}. */
    record Deliver(Message message, int incarnation) implements SimEvent {}

    /** The node takes its Ready (and, unless asynchronous, carries it out: persist, send, apply, advance). */
    record ProcessReady(long node, int incarnation) implements SimEvent {}

    /** A leader's snapshot, streamed whole, arrives; {@code message} names it (the runtime's InstallSnapshot step). */
    record DeliverSnapshot(Message.InstallSnapshot message, DurableStore.Snapshot snapshot, int incarnation)
            implements SimEvent {}

    /** Asynchronous mode: the node carries out the Ready it took earlier. */
    record CompleteReady(long node, int incarnation) implements SimEvent {}

    /** Anything else: a client request, a fault, a restart, a test's own action. */
    record Action(String label, long node, Runnable action) implements SimEvent {}
}
