package dev.ballot.testkit.lin;

/**
 * A sequential specification the checker linearizes against: {@link #register()} (read / write /
 * cas) or {@link #keyValue()} (get / put / append). See {@link Event} for the operations.
 */
public interface Model {

    static Model register() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static Model keyValue() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
