package dev.ballot.server;

/**
 * A write was sent but no answer came back: it may or may not have been applied. Never retried,
 * since retrying could apply it twice.
 */
public final class OutcomeUnknownException extends Exception {

    private static final long serialVersionUID = 1L;

    public OutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
