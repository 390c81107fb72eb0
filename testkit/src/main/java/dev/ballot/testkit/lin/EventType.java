package dev.ballot.testkit.lin;

/** The kind of a history event, as Jepsen names them. */
public enum EventType {
    /** A client started an operation. */
    INVOKE,
    /** The operation took effect (and, for a read, returned the event's value). */
    OK,
    /** The operation certainly did not take effect. */
    FAIL,
    /** Indeterminate: the operation may have taken effect at any time after its invocation, or never. */
    INFO
}
