package dev.ballot.testkit.lin;

/**
 * A sequential specification the checker linearizes against: {@link #register()} (read / write /
 * cas) or {@link #keyValue()} (get / put / append). See {@link Event} for the operations.
 *
 * <p>The state of one key is a string (null allowed: an absent register). The checker memoizes
 * states, so a model must be a pure function of (state, operation).
 */
public interface Model {

    /** A single register per key: read, write, cas; the register starts absent (null). */
    static Model register() {
        return new RegisterModel();
    }

    /** A string per key: get, put, append; an absent key reads as "". */
    static Model keyValue() {
        return new KeyValueModel();
    }

    /** The model's name, for messages. */
    String name();

    /** The state of a key before any operation. */
    String initialState();

    /**
     * Whether {@code f} names an operation of this model, and whether it reads (reads are dropped
     * when their result is unknown, since they cannot have changed anything).
     *
     * @throws IllegalArgumentException when {@code f} is not an operation of this model
     */
    boolean isRead(String f);

    /**
     * Whether {@code op}, taking effect in {@code state}, could have produced its recorded outcome
     * (a read returned what the state holds, a successful cas found its expected value, ...).
     */
    boolean allows(String state, Operation op);

    /** The state after {@code op} took effect in {@code state}; only called when {@link #allows} said yes. */
    String apply(String state, Operation op);

    /** How a state is shown in an explanation. */
    default String describe(String state) {
        return state == null ? "absent" : Operation.quote(state);
    }
}
