package dev.ballot.kv.server;

import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvResult;
import dev.ballot.node.ClientSession;
import dev.ballot.node.LogEntryView;
import dev.ballot.node.NodeStatus;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the client-facing servers (RESP, HTTP) need from a node. The real one replicates through
 * Raft ({@code RaftKvService}); tests may use a local one.
 */
public interface KvService {

    /**
     * Executes one command: writes through the Raft log, read-only commands as linearizable
     * reads. Fails with {@link dev.ballot.node.RequestFailure} when the cluster cannot answer.
     * An application error (wrong type, overflow...) is a {@link KvResult.Error}, not a failure.
     */
    CompletableFuture<KvResult> execute(KvCommand command);

    /**
     * As {@link #execute(KvCommand)}, as the next command of {@code session}: the writes of one
     * session take effect in the order executed (what Redis promises a connection).
     */
    default CompletableFuture<KvResult> execute(KvCommand command, ClientSession session) {
        return execute(command);
    }

    /** A session for one client connection, or null if this service needs none. */
    default ClientSession openSession() {
        return null;
    }

    /**
     * A digest (SHA-256) of this node's whole key-value state and the applied index it was taken
     * at, without asking the leader. Replicas at the same applied index must agree.
     */
    CompletableFuture<Digest> digest();

    /** A replica's state at one applied index. */
    record Digest(long appliedIndex, String sha256) {}

    /** This node's Raft state. */
    NodeStatus status();

    /** This node's log entries from {@code from}, at most {@code limit}. */
    List<LogEntryView> log(long from, int limit);

    /**
     * Takes a snapshot of this node's state now and compacts its log behind it; completes once
     * the snapshot is durable.
     */
    default CompletableFuture<NodeStatus.Snapshot> takeSnapshot() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this service takes no snapshots"));
    }

    /** True when a leader is known and this node has caught up. */
    boolean ready();
}
