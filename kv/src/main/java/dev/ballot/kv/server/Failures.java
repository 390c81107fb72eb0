package dev.ballot.kv.server;

import dev.ballot.node.RequestFailure;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Unwraps the exception a {@link KvService} future failed with. */
final class Failures {

    private Failures() {}

    /** The cause behind {@link CompletionException}/{@link ExecutionException} wrappers. */
    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    /** The {@link RequestFailure} behind {@code t}, or null if it is something else (a bug). */
    static RequestFailure requestFailure(Throwable t) {
        return unwrap(t) instanceof RequestFailure f ? f : null;
    }
}
