package dev.ballot.kv.server;

import dev.ballot.kv.ReadMode;
import dev.ballot.kv.sm.KvCodec;
import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvResult;
import dev.ballot.kv.sm.KvStateMachine;
import dev.ballot.node.ClientSession;
import dev.ballot.node.LogEntryView;
import dev.ballot.node.NodeStatus;
import dev.ballot.node.RaftServer;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The real {@link KvService}: writes go through the Raft log, read-only commands are ReadIndex
 * reads answered by this node's state machine (on the node loop, where it is applied).
 */
public final class RaftKvService implements KvService {

    private final RaftServer server;
    private final KvStateMachine stateMachine;
    private final ReadMode readMode;

    /** @param stateMachine the state machine {@code server} applies to */
    public RaftKvService(RaftServer server, KvStateMachine stateMachine) {
        this(server, stateMachine, ReadMode.LINEARIZABLE);
    }

    /** @param readMode {@link ReadMode#UNSAFE_LOCAL} only in tests that must see stale reads */
    public RaftKvService(RaftServer server, KvStateMachine stateMachine, ReadMode readMode) {
        this.server = server;
        this.stateMachine = stateMachine;
        this.readMode = readMode;
    }

    @Override
    public CompletableFuture<KvResult> execute(KvCommand command) {
        return execute(command, null);
    }

    @Override
    public ClientSession openSession() {
        return server.openSession();
    }

    @Override
    public CompletableFuture<KvResult> execute(KvCommand command, ClientSession session) {
        if (command.readOnly()) {
            return readMode == ReadMode.UNSAFE_LOCAL
                    ? server.readLocal(() -> stateMachine.query(command))
                    : server.read(() -> stateMachine.query(command));
        }
        return server.propose(KvCodec.encode(command), session).thenApply(KvCodec::decodeResult);
    }

    @Override
    public CompletableFuture<Digest> digest() {
        return server.readLocal(() -> new Digest(server.status().appliedIndex(), stateMachine.digest()));
    }

    @Override
    public CompletableFuture<NodeStatus.Snapshot> takeSnapshot() {
        return server.takeSnapshot();
    }

    @Override
    public NodeStatus status() {
        return server.status();
    }

    @Override
    public List<LogEntryView> log(long from, int limit) {
        return server.log(from, limit);
    }

    @Override
    public boolean ready() {
        return server.isReady();
    }
}
