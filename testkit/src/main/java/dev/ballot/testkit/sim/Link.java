package dev.ballot.testkit.sim;

/** A directed network link: messages from {@code from} to {@code to}. */
public record Link(long from, long to) {

    @Override
    public String toString() {
        return from + "->" + to;
    }
}
