package dev.ballot.testkit.lin;

/** What the checker concluded about a history. */
public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    /** The budget ran out before the search finished. */
    UNKNOWN
}
