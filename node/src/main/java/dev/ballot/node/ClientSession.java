package dev.ballot.node;

/**
 * The writes of one client connection, whose effects must happen in the order they were sent
 * (what Redis promises for the commands of a connection). Open one per connection with
 * {@link RaftServer#openSession()} and pass it to {@link RaftServer#propose(byte[], ClientSession)}.
 *
 * <p>Why the runtime needs to know: a write that a leader refused ("not proposed") may be sent again
 * only if no later write of the same session has been sent since, because that later write may
 * already be in the log, and the retry would land after it. Such a write fails with a retryable
 * {@code NOT_LEADER} instead: it had no effect, and the writes that did take effect kept their order.
 *
 * <p>Touched only on the node loop.
 */
public final class ClientSession {

    private long nextSeq;
    private long lastDispatched = -1;

    ClientSession() {}

    /** The position of a new write in this session. */
    long nextSeq() {
        return nextSeq++;
    }

    /** A write of this session was proposed or forwarded. */
    void dispatched(long seq) {
        lastDispatched = Math.max(lastDispatched, seq);
    }

    /** True if the write at {@code seq} may be sent again: nothing later of this session has been sent. */
    boolean mayRetry(long seq) {
        return lastDispatched <= seq;
    }
}
