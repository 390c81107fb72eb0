package dev.ballot.storage;

/** Whether writes are fsynced before they are acknowledged. */
public enum Durability {
    /** Every acknowledged write is on disk (fsync). The default, and the only safe setting. */
    FSYNC,
    /**
     * UNSAFE: nothing is fsynced. A power loss or kernel crash can lose acknowledged writes and
     * votes, which can break Raft's guarantees (two leaders in a term, lost committed entries).
     * For tests and demos only.
     */
    NONE
}
