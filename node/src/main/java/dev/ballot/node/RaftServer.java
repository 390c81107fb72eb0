package dev.ballot.node;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.Config;
import dev.ballot.raft.Message;
import dev.ballot.raft.RaftNode;
import dev.ballot.storage.GroupCommitLog;
import dev.ballot.storage.LogWriter;
import dev.ballot.storage.NodeStorage;
import dev.ballot.storage.RestartPoint;
import dev.ballot.storage.SnapshotMeta;
import dev.ballot.node.transport.SnapshotFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs one Raft node (docs/runtime.md): one {@link NodeLoop} thread owns the engine, the
 * connections and, by default, the {@link StateMachine}; only the durable write runs on a storage
 * thread ({@link GroupCommitLog}). Any node accepts {@link #propose} and {@link #read}; a follower
 * forwards them to the leader. All it takes from the world comes from a {@link NodeHost} and the
 * {@link Transport}, so the simulator runs this very class in virtual time.
 *
 * <p>Every returned future either completes with a value or fails with a {@link RequestFailure}
 * whose kind says what the failure promises: only {@code UNKNOWN_OUTCOME} means a write may have
 * been applied. Requests are never retried internally unless they are known not to have been
 * proposed. Futures complete on the node loop (reads on the apply thread when the state machine has
 * one of its own): a caller must not block in a callback.
 */
public final class RaftServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftServer.class);

    private final RaftServerConfig config;
    private final NodeHost host;
    private final Loop loop;
    /** The loop this server started for itself and closes, or null. */
    private final NodeLoop ownLoop;
    private final NodeStorage nodeStorage;
    private final LogWriter storage;
    private final Transport transport;
    private final Applier applier;
    private final RaftLoop raft;
    private final NodeHost.Background background;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicReference<Throwable> fatalCause = new AtomicReference<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final List<Long> members;
    private volatile Loop.Repeating ticker;

    private RaftServer(RaftServerConfig config, StateMachine stateMachine, Transport transport, NodeHost host,
                       NodeLoop ownLoop) {
        this.config = config;
        this.transport = transport;
        this.host = host;
        this.loop = host.loop();
        this.ownLoop = ownLoop;
        this.members = List.copyOf(new TreeSet<>(config.members()));
        this.nodeStorage = NodeStorage.open(host.disk(), config.dataDir(), config.storage());
        SnapshotMeta restartFrom;
        try {
            restartFrom = restoreStateMachine(config.id(), nodeStorage, stateMachine);
        } catch (RuntimeException e) {
            closeQuietly(nodeStorage, e);
            throw e;
        }
        this.storage = host.openLogWriter(nodeStorage, config.storage(), "ballot-storage-" + config.id());
        LockedLogStorage logView = new LockedLogStorage(storage);
        Config engineConfig = Config.of(config.id(), new HashSet<>(config.members()))
                .withElectionTicks(config.electionTicks())
                .withHeartbeatTicks(config.heartbeatTicks());
        RandomGenerator random = host.random();
        long applied = restartFrom == null ? logView.firstIndex() - 1 : restartFrom.lastIndex();
        RaftNode node = new RaftNode(engineConfig, logView, nodeStorage.initialHardState(), applied,
                new SplittableRandom(random.nextLong()));
        Proposals proposals = new Proposals();
        this.applier = config.applyOnOwnThread()
                ? new ExecutorApplier(stateMachine, proposals, applied, loop, "ballot-apply-" + config.id(), this::fatal)
                : new InlineApplier(stateMachine, proposals, applied);
        Deadlines deadlines = new Deadlines(config.requestTimeout().toNanos(), loop::nanoTime);
        this.background = host.openBackground("ballot-snapshot-" + config.id());
        SplittableRandom transferIds = new SplittableRandom(random.nextLong());
        long electionNanos = config.tickInterval().toNanos() * config.electionTicks();
        this.raft = new RaftLoop(node, nodeStorage.initialHardState(), logView, loop, transport, storage, proposals,
                applier, deadlines, config.maxPendingRequests(),
                new SplittableRandom(random.nextLong()), host.sabotage(), raftLoop -> {
                    LocalSnapshots local = new LocalSnapshots(config.id(), config.snapshots(), nodeStorage.snapshots(),
                            restartFrom, node, applier, storage, logView, loop, background, members(config),
                            host::wallMillis, new SplittableRandom(transferIds.nextLong()), this::fatal);
                    // Resend after two election timeouts of silence; a follower verifying a big file may take a minute.
                    SnapshotSender sender = new SnapshotSender(config.id(), node, local, transport, loop,
                            config.snapshots(), transferIds, 2 * electionNanos, 60_000_000_000L);
                    SnapshotReceiver receiver = new SnapshotReceiver(config.id(), node, nodeStorage.snapshots(),
                            transport, loop, background, 20 * electionNanos, raftLoop::onMessage);
                    return new RaftLoop.SnapshotParts(local, sender, receiver);
                }, this::fatal);
    }

    private static java.util.Set<Long> members(RaftServerConfig config) {
        return new HashSet<>(config.members());
    }

    /**
     * Where this node resumes (docs/snapshots.md): the newest valid snapshot and the log after
     * it ({@link RestartPoint}); the state machine is restored from that snapshot. Null if there is
     * none (the log is replayed from index 1).
     */
    private static SnapshotMeta restoreStateMachine(long id, NodeStorage storage, StateMachine stateMachine) {
        RestartPoint point = RestartPoint.choose(storage.snapshots(), storage.log());
        if (point.snapshot().isEmpty()) return null;
        SnapshotMeta meta = point.snapshot().get();
        long started = System.nanoTime();
        Applier.restoreFrom(stateMachine, meta.lastIndex(), () -> storage.snapshots().openData(meta));
        log.info("node {}: state machine restored from the snapshot up to index {} (term {}) in {} ms; the log "
                + "follows from index {}", id, meta.lastIndex(), meta.lastTerm(), (System.nanoTime() - started) / 1_000_000,
                storage.log().firstIndex());
        return meta;
    }

    private static void closeQuietly(NodeStorage storage, RuntimeException failure) {
        try {
            storage.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Opens the data directory, recovers term, vote and log, and starts a node loop of its own and
     * the transport. The server owns {@code transport} from now on and closes it in {@link #close()}.
     * Committed entries found in the log are applied again from the start (there are no snapshots
     * yet), so {@code stateMachine} must be empty.
     */
    public static RaftServer start(RaftServerConfig config, StateMachine stateMachine, Transport transport) {
        NodeLoop loop = NodeLoop.start(String.valueOf(config.id()));
        try {
            return start(config, stateMachine, transport, NodeHost.production(loop), loop);
        } catch (RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    /**
     * As {@link #start(RaftServerConfig, StateMachine, Transport)}, on {@code loop}, which the caller
     * owns and closes after this server (so client servers on the same loop can share it).
     */
    public static RaftServer start(RaftServerConfig config, StateMachine stateMachine, Transport transport,
                                   NodeLoop loop) {
        return start(config, stateMachine, transport, NodeHost.production(loop), null);
    }

    /**
     * As {@link #start(RaftServerConfig, StateMachine, Transport)}, in the world {@code host}
     * provides (the simulator's: virtual time, a disk that can lose power). Call it on
     * {@code host}'s loop unless that loop runs on a thread of its own: start-up waits for the loop.
     */
    public static RaftServer start(RaftServerConfig config, StateMachine stateMachine, Transport transport,
                                   NodeHost host) {
        return start(config, stateMachine, transport, host, null);
    }

    private static RaftServer start(RaftServerConfig config, StateMachine stateMachine, Transport transport,
                                    NodeHost host, NodeLoop ownLoop) {
        RaftServer server = new RaftServer(config, stateMachine, transport, host, ownLoop);
        server.startOnLoop();
        log.info("node {} started (members {}, data {}, apply {})", config.id(), server.members, config.dataDir(),
                config.applyOnOwnThread() ? "on its own thread" : "on the node loop");
        return server;
    }

    private void startOnLoop() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                loop.atEndOfTurn(raft::endOfTurn);
                ticker = loop.every(config.tickInterval().toNanos(), raft::onTick);
                started.complete(null);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        });
        started.join();
        transport.start(new Transport.Inbound() {
            @Override public void onMessage(Message message) {
                loop.execute(() -> raft.onMessage(message));
            }

            @Override public void onForward(long from, Forward frame) {
                loop.execute(() -> raft.onForward(from, frame));
            }

            @Override public void onSnapshot(long from, SnapshotFrame frame) {
                loop.execute(() -> raft.onSnapshot(from, frame));
            }
        }, loop);
    }

    public long id() {
        return config.id();
    }

    /** The loop this node runs on: client servers of the same node put their connections on it. */
    public Loop loop() {
        return loop;
    }

    /** A session for one client connection, whose writes keep their order ({@link ClientSession}). */
    public ClientSession openSession() {
        return new ClientSession();
    }

    /**
     * Replicates {@code command}; completes with the state machine's result once the command is
     * applied, or fails with {@link RequestFailure}. No order is promised between calls; use
     * {@link #propose(byte[], ClientSession)} for writes whose effects must keep their order.
     */
    public CompletableFuture<byte[]> propose(byte[] command) {
        return propose(command, null);
    }

    /**
     * Replicates {@code command} as the next write of {@code session}: the writes of one session
     * take effect in the order proposed (a write that would break that order fails as not applied).
     * Call it on the node loop for a session (client handlers on the loop do).
     */
    public CompletableFuture<byte[]> propose(byte[] command, ClientSession session) {
        byte[] copy = command.clone();
        if (session != null && !loop.inLoop()) {
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            f.completeExceptionally(new IllegalStateException("a session's writes must be proposed on the node loop"));
            return f;
        }
        PendingWrite w = new PendingWrite(copy, session);
        if (closing.get() || !loop.execute(() -> raft.submitWrite(w))) {
            w.fail(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down");
        }
        return w.future;
    }

    /**
     * A linearizable read without writing to the log (ReadIndex, Raft thesis §6.4): once the
     * leader has confirmed its leadership with a heartbeat round and this node has applied up to
     * the read index, runs {@code query} against the state machine and completes with its value.
     */
    public <T> CompletableFuture<T> read(Supplier<T> query) {
        PendingRead<T> r = new PendingRead<>(query);
        if (closing.get() || !loop.execute(() -> raft.submitRead(r))) {
            r.fail(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down");
        }
        return r.future;
    }

    /**
     * Runs {@code query} against this node's state as it is now, without asking the leader:
     * <b>not</b> linearizable (a follower may lag). For comparing replicas and for debugging.
     */
    public <T> CompletableFuture<T> readLocal(Supplier<T> query) {
        PendingRead<T> r = new PendingRead<>(query);
        if (closing.get() || !loop.execute(() -> raft.readLocal(r))) {
            r.fail(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down");
        }
        return r.future;
    }

    /** This node's Raft state; safe to call from any thread. */
    public NodeStatus status() {
        RaftLoop.LoopStatus s = raft.status();
        LocalSnapshots.Info snap = raft.snapshotInfo();
        return new NodeStatus(config.id(), s.role(), s.term(), s.leaderId(), s.commitIndex(), applier.appliedIndex(),
                s.firstIndex(), s.lastIndex(), members,
                new NodeStatus.Snapshot(snap.index(), snap.term(), snap.sizeBytes(), snap.takenAtMillis()));
    }

    /**
     * Takes a snapshot of this node's state machine now and compacts the log behind it (as the
     * threshold would); completes once the snapshot is durable, with what status then reports.
     */
    public CompletableFuture<NodeStatus.Snapshot> takeSnapshot() {
        CompletableFuture<NodeStatus.Snapshot> result = new CompletableFuture<>();
        boolean queued = !closing.get() && loop.execute(() -> raft.takeSnapshot().whenComplete((info, err) -> {
            if (err != null) result.completeExceptionally(err);
            else result.complete(new NodeStatus.Snapshot(info.index(), info.term(), info.sizeBytes(), info.takenAtMillis()));
        }));
        if (!queued) result.completeExceptionally(new RequestFailure(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down"));
        return result;
    }

    /** Up to {@code limit} entries of this node's log from index {@code from} (clamped to what exists). */
    public List<LogEntryView> log(long from, int limit) {
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        if (loop.inLoop()) return raft.log(from, limit);
        CompletableFuture<List<LogEntryView>> result = new CompletableFuture<>();
        if (!loop.execute(() -> result.complete(raft.log(from, limit)))) {
            throw new RequestFailure(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down");
        }
        try {
            return result.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailure(RequestFailure.Kind.SHUTDOWN, 0, "interrupted while reading the log");
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (TimeoutException e) {
            throw new RequestFailure(RequestFailure.Kind.TIMEOUT, 0, "the node loop did not answer in time");
        }
    }

    /** True when a leader is known and this node has applied everything it knows to be committed. */
    public boolean isReady() {
        NodeStatus s = status();
        return s.leaderId() != RaftNode.NONE && s.appliedIndex() >= s.commitIndex();
    }

    /** Completes when the server has stopped, exceptionally if it stopped because of a failure. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Stops accepting requests, fails pending ones, stops the threads and closes the files. Must
     * not be called on the node loop (it waits for the loop).
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            terminated.exceptionally(e -> null).join();
            return;
        }
        if (loop.inLoop()) throw new IllegalStateException("RaftServer.close() must not run on the node loop");
        Throwable failure = null;
        try {
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            boolean queued = loop.execute(() -> {
                Loop.Repeating t = ticker;
                if (t != null) t.cancel();
                raft.stop();
                stopped.complete(null);
            });
            if (queued) stopped.get(10, TimeUnit.SECONDS);
            transport.close();
            background.close();
            storage.close();
            applier.stop();
            nodeStorage.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
            failure = e;
            log.error("node {}: error while closing", config.id(), e);
        } finally {
            if (ownLoop != null) ownLoop.close();
        }
        log.info("node {} stopped", config.id());
        // A node stopped by a failure reports that failure, not how cleanly it then closed.
        Throwable cause = fatalCause.get() != null ? fatalCause.get() : failure;
        if (cause == null) terminated.complete(null); else terminated.completeExceptionally(cause);
    }

    // ------------------------------------------------------------------ internals

    /** One tick now, on the node loop (for tests whose ticks are too slow to wait for). */
    void tick() {
        raft.onTick();
    }

    /** A failure of the loop, the storage or the state machine: stop rather than diverge. */
    private void fatal(Throwable cause) {
        if (fatalCause.compareAndSet(null, cause)) host.stopAfterFailure(config.id(), cause, this::close);
    }

    static RequestFailure unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof RequestFailure rf) return rf;
        return new RequestFailure(RequestFailure.Kind.UNKNOWN_OUTCOME, 0, "unexpected failure: " + c);
    }
}
