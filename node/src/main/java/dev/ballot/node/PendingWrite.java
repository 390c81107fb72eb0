package dev.ballot.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One write on its way through the cluster, and the one fact that decides what a failure may
 * promise: whether the command has been handed to Raft (proposed here, or forwarded to a leader).
 * A command is proposed at most once: whoever moves it out of {@code WAITING} first wins, so a
 * timeout can never report "not proposed" for a command that is being proposed at that moment.
 */
final class PendingWrite {

    private static final int WAITING = 0;
    private static final int PROPOSED = 1;
    private static final int ABANDONED = 2;

    final byte[] command;
    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    /** The connection whose order this write keeps, or null (a write of its own). */
    final ClientSession session;
    /** Its place in {@link #session}. */
    final long seq;
    private final AtomicInteger state = new AtomicInteger(WAITING);

    PendingWrite(byte[] command, ClientSession session) {
        this.command = command;
        this.session = session;
        this.seq = session == null ? 0 : session.nextSeq();
    }

    /** Records that this write was proposed here or forwarded (loop only). */
    void dispatched() {
        if (session != null) session.dispatched(seq);
    }

    /** True if it may be sent again after a refusal without overtaking a later write of its session. */
    boolean mayRetry() {
        return session == null || session.mayRetry(seq);
    }

    /** Claims the right to propose or forward; false if it timed out or was shut down meanwhile. */
    boolean claim() {
        return state.compareAndSet(WAITING, PROPOSED);
    }

    /** The leader we forwarded to answered that it did not propose it: it may be tried again. */
    void unclaim() {
        state.compareAndSet(PROPOSED, WAITING);
    }

    void complete(byte[] result) {
        future.complete(result);
    }

    /** Ends the request without a result; what it may promise depends on whether it was proposed. */
    void fail(RequestFailure.Kind ifNotProposed, long leaderHint, String why) {
        if (state.compareAndSet(WAITING, ABANDONED)) {
            future.completeExceptionally(new RequestFailure(ifNotProposed, leaderHint, why));
        } else {
            future.completeExceptionally(new RequestFailure(RequestFailure.Kind.UNKNOWN_OUTCOME, leaderHint,
                    "the write was handed to Raft but its outcome is unknown (it may or may not be applied): " + why));
        }
    }

    /** The entry this command was proposed as was replaced by another leader's: it will never be applied. */
    void lost(long leaderHint) {
        future.completeExceptionally(new RequestFailure(RequestFailure.Kind.NOT_LEADER, leaderHint,
                "leadership changed before the write was committed; it was not applied and may be retried"));
    }

    boolean isDone() {
        return future.isDone();
    }
}
