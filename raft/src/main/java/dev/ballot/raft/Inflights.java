package dev.ballot.raft;

/**
 * The AppendEntries sent to one follower and not yet acknowledged, remembered by the last index
 * each carried: a bounded ring buffer. When it is full the leader stops sending to that follower
 * (flow control) until acknowledgements free slots.
 */
final class Inflights {

    private final long[] lastIndices;
    private int start;
    private int count;

    Inflights(int capacity) {
        this.lastIndices = new long[capacity];
    }

    boolean full() {
        return count == lastIndices.length;
    }

    int count() {
        return count;
    }

    void add(long lastIndex) {
        if (full()) throw new IllegalStateException("inflights full");
        lastIndices[(start + count) % lastIndices.length] = lastIndex;
        count++;
    }

    /** Frees every message whose last index is at or below {@code index} (they were acknowledged). */
    void freeUpTo(long index) {
        while (count > 0 && lastIndices[start] <= index) {
            start = (start + 1) % lastIndices.length;
            count--;
        }
    }

    /** Frees the oldest slot: a heartbeat answer shows the follower is alive, so let one more through. */
    void freeFirst() {
        if (count > 0) {
            start = (start + 1) % lastIndices.length;
            count--;
        }
    }

    void reset() {
        start = 0;
        count = 0;
    }
}
