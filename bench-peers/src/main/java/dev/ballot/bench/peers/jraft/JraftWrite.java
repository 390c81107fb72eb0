package dev.ballot.bench.peers.jraft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;

import java.util.concurrent.CompletableFuture;

/**
 * The closure of one write: the state machine stores the counter's value in it before SOFAJRaft
 * runs it with OK; any other status fails the future.
 */
final class JraftWrite implements Closure {

    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    private byte[] result;

    void result(byte[] value) {
        this.result = value;
    }

    @Override
    public void run(Status status) {
        if (status.isOk()) {
            future.complete(result);
        } else {
            future.completeExceptionally(new IllegalStateException("SOFAJRaft write failed: " + status));
        }
    }
}
