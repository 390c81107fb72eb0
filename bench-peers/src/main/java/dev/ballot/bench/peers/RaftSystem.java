package dev.ballot.bench.peers;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One Raft library under test: a 3-node cluster in this JVM on loopback TCP, every node applying
 * the same {@link Counter}, every node keeping its files under {@code dir/node-<n>/} (the fsync
 * check attributes fsyncs to nodes by that path).
 */
public interface RaftSystem extends AutoCloseable {

    /** Short name used on the command line and in file names, e.g. {@code ratis}. */
    String name();

    /** The library and its version as resolved on the class path, e.g. {@code Apache Ratis 3.3.0}. */
    String label();

    /** The settings that differ from the library's defaults, and anything a reader must know. */
    String settings();

    /** Starts the three nodes with their data under {@code dir} and returns once a leader can take writes. */
    void start(Path dir) throws Exception;

    /**
     * Submits one command on the leader. The future completes with the counter's new value
     * ({@link Counter#encode}) once the command is committed (fsynced on a majority) and applied.
     */
    CompletableFuture<byte[]> propose(byte[] command);

    /**
     * The highest term any of the three nodes is in. The benchmark reads it at both ends of each
     * measured window: a change means an election (maybe a leader change) disturbed the window.
     */
    long term();

    /** Stops the three nodes and releases their ports and files. */
    @Override
    void close();
}
