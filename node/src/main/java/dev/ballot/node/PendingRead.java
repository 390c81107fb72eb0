package dev.ballot.node;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A linearizable read waiting for its read index (from this node's engine when it leads, or from
 * the leader), and then for this node to apply up to it. Reads have no effect, so they can be
 * retried freely, e.g. after a change of leader.
 */
final class PendingRead<T> {

    final Supplier<T> query;
    final CompletableFuture<T> future = new CompletableFuture<>();

    PendingRead(Supplier<T> query) {
        this.query = query;
    }

    /** Runs the query; called on the apply thread once applied >= the read index. */
    void serve() {
        try {
            future.complete(query.get());
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    void fail(RequestFailure.Kind kind, long leaderHint, String why) {
        future.completeExceptionally(new RequestFailure(kind, leaderHint, why));
    }

    boolean isDone() {
        return future.isDone();
    }
}
