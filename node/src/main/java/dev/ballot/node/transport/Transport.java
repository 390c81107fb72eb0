package dev.ballot.node.transport;

import dev.ballot.node.Loop;
import dev.ballot.node.NodeLoop;
import dev.ballot.raft.Message;

/**
 * Carries messages between the nodes of one cluster: Raft messages for the engine, and
 * {@link Forward} frames with which a follower hands client requests to the leader.
 *
 * <p>Sending never blocks and never throws for a network problem: a message that cannot be
 * delivered (peer down, connection broken, send queue full) is dropped and counted. Raft is built
 * to survive lost messages; the forwarding layer times out.
 *
 * <p>The runtime calls {@link #send} on its node loop; a transport may also accept sends from other
 * threads. A transport that can, does its I/O on the node loop it is started with, so that inbound
 * callbacks arrive there and outbound writes are flushed once per turn (see {@link NodeLoop}).
 * Otherwise inbound callbacks arrive on the transport's threads and the runtime hands them over.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts listening and connecting; inbound traffic goes to {@code inbound}. Call once.
     *
     * @param loop the node loop of the runtime, for transports that run their I/O on it
     */
    void start(Inbound inbound, Loop loop);

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

    /**
     * Sends a snapshot-transfer frame to node {@code to}.
     *
     * @return false if the frame was dropped here (no connection, queue full, link cut); true if
     *         it was queued, which does not promise delivery
     */
    boolean send(long to, SnapshotFrame frame);

    /** Messages dropped so far because they could not be delivered. */
    long droppedCount();

    /** Stops listening, closes every connection and releases threads. Idempotent. */
    @Override
    void close();

    /** Receives what peers send. */
    interface Inbound {
        void onMessage(Message message);

        void onForward(long from, Forward frame);

        void onSnapshot(long from, SnapshotFrame frame);
    }
}
