package dev.ballot.testkit.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * N real {@code ballot server} processes on 127.0.0.1 (the binary users run, one JVM each), every
 * peer link going through a {@link FaultProxy} so the network can be broken without root. Nodes
 * keep their ports across restarts; each appends its output to {@link #logFile}.
 */
public final class ChaosCluster implements AutoCloseable {

    /** {@code GET /v1/digest} of one node: a hash of its whole state at its applied index. */
    public record Digest(long appliedIndex, String sha256) {}

    /** The fields of {@code GET /v1/status} the chaos run looks at. */
    public record Status(long id, String role, long term, long leaderId, long commitIndex, long appliedIndex) {}

    /**
     * Prepares (does not start) a cluster of {@code size} nodes, ids 1..size, under {@code baseDir}.
     *
     * @param serverArgs extra {@code ballot server} flags for every node (e.g. {@code --tick-ms 10},
     *                   or the test-only {@code --unsafe-local-reads})
     */
    public static ChaosCluster create(Path baseDir, int size, List<String> serverArgs) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Starts every node (and the proxies) and waits until each answers on HTTP. */
    public void start() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public List<Long> ids() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public int redisPort(long id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public int httpPort(long id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public Path logFile(long id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** SIGKILL; the data directory stays. No-op if the node is not running. */
    public void kill(long id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Starts a killed node again on its data directory (same ports). No-op if it is running. */
    public void restart(long id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** SIGSTOP. */
    public void pause(long id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** SIGCONT. */
    public void resume(long id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public boolean isRunning(long id) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The proxies in front of every peer link. */
    public FaultProxy network() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Status of a node, or empty if it does not answer within {@code timeout}. */
    public Optional<Status> status(long id, Duration timeout) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The leader that the answering nodes agree on in the highest term, if any. */
    public Optional<Long> leader() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Digests of the nodes that answer (paused or killed nodes are left out). */
    public Map<Long, Digest> digests() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Resumes paused nodes, restarts killed ones and heals the network. */
    public void healAll() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Kills every node and closes the proxies. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
