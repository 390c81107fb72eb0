package dev.ballot.node;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.Message;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A transport for one {@link RaftServer} whose peers are played by the test: everything the node
 * sends is recorded, and the test delivers messages and forwarding replies as any peer it likes.
 * So a test can stage an exact interleaving (a leader change between two replies, a late reply)
 * without timing luck.
 */
final class ScriptedPeers implements Transport {

    /** A forwarding frame the node sent to {@code to}. */
    record Sent(long to, Forward frame) {}

    private final BlockingQueue<Sent> forwards = new LinkedBlockingQueue<>();
    private volatile Inbound inbound;
    private volatile NodeLoop loop;

    @Override
    public void start(Inbound inbound, Loop loop) {
        this.inbound = inbound;
        this.loop = (NodeLoop) loop;
    }

    @Override
    public void send(Message message) {
        // Raft traffic of the node is not needed by these tests.
    }

    @Override
    public boolean send(long to, Forward frame) {
        forwards.add(new Sent(to, frame));
        return true;
    }

    @Override
    public boolean send(long to, dev.ballot.node.transport.SnapshotFrame frame) {
        return false; // these tests do not compact, so nothing asks for a snapshot
    }

    @Override
    public long droppedCount() {
        return 0;
    }

    @Override
    public void close() {
    }

    /** The next forwarding frame the node sends; fails the test if none comes within 5 s. */
    Sent nextForward() throws InterruptedException {
        Sent s = forwards.poll(5, TimeUnit.SECONDS);
        if (s == null) throw new AssertionError("the node forwarded nothing within 5 s");
        return s;
    }

    /** The next forwarding frame if one comes within {@code wait}, else null. */
    Sent forwardWithin(Duration wait) throws InterruptedException {
        return forwards.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Delivers a Raft message as its sender would, and waits until the node has handled it. */
    void deliver(Message m) {
        inbound.onMessage(m);
        sync();
    }

    /** Delivers a forwarding reply from node {@code from}, and waits until the node has handled it. */
    void reply(long from, Forward.Reply reply) {
        inbound.onForward(from, reply);
        sync();
    }

    /**
     * Waits until the node loop has run everything queued before now, and the end of the turn
     * that work asked for (it is queued behind the first hop, so a second hop waits for it).
     */
    void sync() {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        loop.eventLoop().execute(() -> loop.eventLoop().execute(() -> done.complete(null)));
        done.join();
    }
}
