package dev.ballot.testkit.chaos;

/**
 * The peer connection that node {@code from} dials to node {@code to}. Ballot nodes send only on
 * connections they dialled, so this link carries every message from {@code from} to {@code to}.
 */
public record DirectedLink(long from, long to) {

    public DirectedLink {
        if (from == to) throw new IllegalArgumentException("a link joins two different nodes, got " + from + "->" + to);
    }

    @Override
    public String toString() {
        return from + "->" + to;
    }
}
