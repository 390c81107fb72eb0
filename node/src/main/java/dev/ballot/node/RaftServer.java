package dev.ballot.node;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.Config;
import dev.ballot.raft.RaftNode;
import dev.ballot.storage.GroupCommitLog;
import dev.ballot.storage.NodeStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs one Raft node (DESIGN.md §4): the raft loop owns the engine, the storage thread
 * group-commits the log, the apply thread feeds the {@link StateMachine}, and the
 * {@link Transport} talks to peers. Any node accepts {@link #propose} and {@link #read};
 * a follower forwards them to the leader.
 *
 * <p>Every returned future either completes with a value or fails with a {@link RequestFailure}
 * whose kind says what the failure promises: only {@code UNKNOWN_OUTCOME} means a write may have
 * been applied. Requests are never retried internally unless they are known not to have been
 * proposed.
 */
public final class RaftServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftServer.class);

    private final RaftServerConfig config;
    private final NodeStorage nodeStorage;
    private final GroupCommitLog storage;
    private final Transport transport;
    private final ApplyLoop apply;
    private final RaftLoop loop;
    private final Deadlines deadlines;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicReference<Throwable> fatalCause = new AtomicReference<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final List<Long> members;

    private RaftServer(RaftServerConfig config, StateMachine stateMachine, Transport transport) {
        this.config = config;
        this.transport = transport;
        this.members = List.copyOf(new java.util.TreeSet<>(config.members()));
        this.nodeStorage = NodeStorage.open(config.dataDir(), config.storage());
        this.storage = new GroupCommitLog(nodeStorage.log(), nodeStorage.hardStateFile(),
                config.storage().durability(), "ballot-storage-" + config.id());
        LockedLogStorage logView = new LockedLogStorage(storage);
        Config engineConfig = Config.of(config.id(), new HashSet<>(config.members()))
                .withElectionTicks(config.electionTicks())
                .withHeartbeatTicks(config.heartbeatTicks());
        RaftNode node = new RaftNode(engineConfig, logView, nodeStorage.initialHardState(), new SplittableRandom());
        this.apply = new ApplyLoop(stateMachine, logView.firstIndex() - 1, "ballot-apply-" + config.id(),
                this::fatal);
        this.deadlines = new Deadlines(config.requestTimeout(), "ballot-timer-" + config.id());
        this.loop = new RaftLoop(node, nodeStorage.initialHardState(), logView, transport, storage, apply,
                config.tickInterval().toNanos(),
                this::admitForwardedWrite, this::fatal);
    }

    /**
     * Opens the data directory, recovers term, vote and log, and starts the threads and the
     * transport. The server owns {@code transport} from now on and closes it in {@link #close()}.
     * Committed entries found in the log are applied again from the start (there are no snapshots
     * yet), so {@code stateMachine} must be empty.
     */
    public static RaftServer start(RaftServerConfig config, StateMachine stateMachine, Transport transport) {
        RaftServer server = new RaftServer(config, stateMachine, transport);
        server.deadlines.start();
        server.apply.start();
        server.loop.start();
        transport.start(new Transport.Inbound() {
            @Override public void onMessage(dev.ballot.raft.Message message) {
                server.loop.onMessage(message);
            }

            @Override public void onForward(long from, Forward frame) {
                server.loop.onForward(from, frame);
            }
        });
        log.info("node {} started (members {}, data {})", config.id(), server.members, config.dataDir());
        return server;
    }

    public long id() {
        return config.id();
    }

    /**
     * Replicates {@code command}; completes with the state machine's result once the command is
     * applied, or fails with {@link RequestFailure}.
     */
    public CompletableFuture<byte[]> propose(byte[] command) {
        PendingWrite w = new PendingWrite(command.clone());
        RequestFailure refused = admit();
        if (refused != null) {
            w.fail(refused.kind(), refused.leaderHint(), refused.getMessage());
            return w.future;
        }
        watch(w.future, () -> w.fail(RequestFailure.Kind.NO_LEADER, 0,
                "no leader could take the write within " + config.requestTimeout().toMillis() + " ms"));
        loop.submitWrite(w);
        return w.future;
    }

    /**
     * A linearizable read without writing to the log (ReadIndex, Raft thesis §6.4): once the
     * leader has confirmed its leadership with a heartbeat round and this node has applied up to
     * the read index, runs {@code query} on the apply thread (so it sees a consistent state
     * machine) and completes with its value.
     */
    public <T> CompletableFuture<T> read(Supplier<T> query) {
        PendingRead<T> r = new PendingRead<>(query);
        RequestFailure refused = admit();
        if (refused != null) {
            r.fail(refused.kind(), refused.leaderHint(), refused.getMessage());
            return r.future;
        }
        watch(r.future, () -> r.fail(RequestFailure.Kind.TIMEOUT, 0,
                "the read was not confirmed within " + config.requestTimeout().toMillis() + " ms"));
        loop.submitRead(r);
        return r.future;
    }

    /**
     * Runs {@code query} on the apply thread against this node's state as it is now, without
     * asking the leader: <b>not</b> linearizable (a follower may lag). For comparing replicas and
     * for debugging.
     */
    public <T> CompletableFuture<T> readLocal(Supplier<T> query) {
        PendingRead<T> r = new PendingRead<>(query);
        if (closing.get()) {
            r.fail(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down");
        } else {
            apply.readAt(0, r);
        }
        return r.future;
    }

    /** This node's Raft state; safe to call from any thread. */
    public NodeStatus status() {
        RaftLoop.LoopStatus s = loop.status();
        return new NodeStatus(config.id(), s.role(), s.term(), s.leaderId(), s.commitIndex(), apply.appliedIndex(),
                s.firstIndex(), s.lastIndex(), members);
    }

    /** Up to {@code limit} entries of this node's log from index {@code from} (clamped to what exists). */
    public List<LogEntryView> log(long from, int limit) {
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        try {
            return loop.log(from, limit).get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailure(RequestFailure.Kind.SHUTDOWN, 0, "interrupted while reading the log");
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (TimeoutException e) {
            throw new RequestFailure(RequestFailure.Kind.TIMEOUT, 0, "the raft loop did not answer in time");
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

    /** Stops accepting requests, fails pending ones, stops the threads and closes the files. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            terminated.exceptionally(e -> null).join();
            return;
        }
        Throwable failure = null;
        try {
            loop.stop();
            transport.close();
            storage.close();
            apply.stop();
            nodeStorage.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (IOException | RuntimeException e) {
            failure = e;
            log.error("node {}: error while closing", config.id(), e);
        } finally {
            deadlines.close();
        }
        log.info("node {} stopped", config.id());
        // A node stopped by a failure reports that failure, not how cleanly it then closed.
        Throwable cause = fatalCause.get() != null ? fatalCause.get() : failure;
        if (cause == null) terminated.complete(null); else terminated.completeExceptionally(cause);
    }

    // ------------------------------------------------------------------ internals

    /** A failure of the raft loop, the storage or the state machine: stop rather than diverge. */
    private void fatal(Throwable cause) {
        if (fatalCause.compareAndSet(null, cause)) {
            Thread.ofPlatform().name("ballot-stop-" + config.id()).start(this::close);
        }
    }

    private RequestFailure admit() {
        if (closing.get()) {
            return new RequestFailure(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down");
        }
        if (pending.incrementAndGet() > config.maxPendingRequests()) {
            pending.decrementAndGet();
            return new RequestFailure(RequestFailure.Kind.BUSY, 0,
                    "too many pending requests (" + config.maxPendingRequests() + ")");
        }
        return null;
    }

    /** Fails the request at its deadline unless answered before; releases its pending slot. */
    private void watch(CompletableFuture<?> future, Runnable onTimeout) {
        deadlines.watch(future, onTimeout);
        future.whenComplete((v, e) -> pending.decrementAndGet());
    }

    /** Called on the raft loop when this leader receives a write forwarded by a follower. */
    private Forward.Outcome admitForwardedWrite(PendingWrite w) {
        RequestFailure refused = admit();
        if (refused != null) return Forward.Outcome.valueOf(refused.kind().name());
        watch(w.future, () -> w.fail(RequestFailure.Kind.NO_LEADER, 0, "timed out on the leader"));
        return null;
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
