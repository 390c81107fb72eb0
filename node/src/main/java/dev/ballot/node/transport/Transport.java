package dev.ballot.node.transport;

import dev.ballot.raft.Message;

/**
 * Carries messages between the nodes of one cluster: Raft messages for the engine, and
 * {@link Forward} frames with which a follower hands client requests to the leader.
 *
 * <p>Sending never blocks and never throws for a network problem: a message that cannot be
 * delivered (peer down, connection broken, send queue full) is dropped and counted. Raft is built
 * to survive lost messages; the forwarding layer times out.
 *
 * <p>{@link #send} may be called from any thread. Inbound callbacks arrive on transport threads and
 * must return quickly (hand the work to a queue).
 */
public interface Transport extends AutoCloseable {

    /** Starts listening and connecting; inbound traffic goes to {@code inbound}. Call once. */
    void start(Inbound inbound);

    /** Sends a Raft message to {@code message.to()}. */
    void send(Message message);

    /**
     * Sends a forwarding frame to node {@code to}.
     *
     * @return false if the frame was dropped here and certainly never reached {@code to} (no
     *         connection, queue full, link cut); true if it was queued, which does not promise
     *         delivery. The runtime relies on false to retry a write it knows was not proposed.
     */
    boolean send(long to, Forward frame);

    /** Messages dropped so far because they could not be delivered. */
    long droppedCount();

    /** Stops listening, closes every connection and releases threads. Idempotent. */
    @Override
    void close();

    /** Receives what peers send. */
    interface Inbound {
        void onMessage(Message message);

        void onForward(long from, Forward frame);
    }
}
