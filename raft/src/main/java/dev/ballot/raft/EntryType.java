package dev.ballot.raft;

/** What a log entry carries. */
public enum EntryType {
    /** A client command, handed to the state machine when committed. */
    COMMAND,
    /**
     * The empty entry a new leader appends at once in its own term (Raft paper §5.4.2 and §8):
     * committing it commits everything before it, and it carries nothing to apply.
     */
    NOOP
}
