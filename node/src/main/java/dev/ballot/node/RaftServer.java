package dev.ballot.node;

import dev.ballot.node.transport.Transport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs one Raft node: drives the engine, persists, talks to peers and applies committed commands
 * to a {@link StateMachine} (DESIGN.md §4). API FIXED, IMPLEMENTATION IN PROGRESS.
 */
public final class RaftServer implements AutoCloseable {

    private RaftServer() {}

    /**
     * Opens the data directory, recovers term, vote and log, and starts the threads.
     * Any node of the cluster accepts {@link #propose} and {@link #read}; followers forward them.
     */
    public static RaftServer start(RaftServerConfig config, StateMachine stateMachine, Transport transport) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Replicates {@code command}; completes with the state machine's result once the command is
     * applied on this node, or fails with {@link RequestFailure}.
     */
    public CompletableFuture<byte[]> propose(byte[] command) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * A linearizable read without writing to the log (ReadIndex): once the leader has confirmed
     * its leadership and this node has applied up to the read index, runs {@code query} on the
     * apply thread (so it sees a consistent state machine) and completes with its value.
     */
    public <T> CompletableFuture<T> read(Supplier<T> query) {
        throw new UnsupportedOperationException("not yet");
    }

    /** This node's Raft state; safe to call from any thread. */
    public NodeStatus status() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Up to {@code limit} entries of this node's log from index {@code from} (clamped to what exists). */
    public List<LogEntryView> log(long from, int limit) {
        throw new UnsupportedOperationException("not yet");
    }

    /** True when a leader is known and this node has applied everything it knows to be committed. */
    public boolean isReady() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Stops accepting requests, fails pending ones, stops the threads and closes the files. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet");
    }
}
