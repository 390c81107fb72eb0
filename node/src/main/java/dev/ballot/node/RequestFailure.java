package dev.ballot.node;

/**
 * Why a request to a {@link RaftServer} failed, and what the failure promises (DESIGN.md §4).
 * Futures returned by the server fail with this exception and no other for these cases.
 */
public final class RequestFailure extends RuntimeException {

    /** What went wrong; {@link #proposed()} tells whether a write may have taken effect. */
    public enum Kind {
        /** This node is not the leader and could not forward; not proposed. Retry at {@code leaderHint}. */
        NOT_LEADER(false),
        /** No leader is known (an election is running); not proposed. Retry later. */
        NO_LEADER(false),
        /** Too many requests are pending; not proposed. Retry later. */
        BUSY(false),
        /** A read did not complete in time; reads have no effect, so it is safe to retry. */
        TIMEOUT(false),
        /** A write was handed to Raft but its result is not known: it may or may not be applied. */
        UNKNOWN_OUTCOME(true),
        /** The server is shutting down; a write that was already proposed reports UNKNOWN_OUTCOME instead. */
        SHUTDOWN(false);

        private final boolean mayHaveTakenEffect;

        Kind(boolean mayHaveTakenEffect) {
            this.mayHaveTakenEffect = mayHaveTakenEffect;
        }

        /** True if the request may have been applied despite the failure. */
        public boolean mayHaveTakenEffect() {
            return mayHaveTakenEffect;
        }
    }

    private final Kind kind;
    private final long leaderHint;

    public RequestFailure(Kind kind, long leaderHint, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.leaderHint = leaderHint;
    }

    public Kind kind() {
        return kind;
    }

    /** The leader this node knows of, or 0 if none. */
    public long leaderHint() {
        return leaderHint;
    }

    /** True if the same request may simply be retried (it certainly had no effect). */
    public boolean retryable() {
        return !kind.mayHaveTakenEffect();
    }
}
