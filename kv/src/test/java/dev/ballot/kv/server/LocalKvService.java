package dev.ballot.kv.server;

import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvLimits;
import dev.ballot.kv.sm.KvResult;
import dev.ballot.kv.sm.KvStateMachine;
import dev.ballot.node.LogEntryView;
import dev.ballot.node.NodeStatus;
import dev.ballot.node.RequestFailure;
import dev.ballot.raft.Role;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link KvService} for server tests: a {@link KvStateMachine} applied directly, in call order
 * (as the Raft log would), with switches to fail with any {@link RequestFailure} kind, to hold
 * completions and release them in any order, or to complete after random delays.
 */
final class LocalKvService implements KvService, AutoCloseable {

    enum Completion { IMMEDIATE, HELD, RANDOM_DELAY }

    private record Held(CompletableFuture<KvResult> future, KvResult result) {}

    private final KvStateMachine sm;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Random random = new Random(42);
    private final List<Held> held = new ArrayList<>();
    private final AtomicInteger executed = new AtomicInteger();
    private Completion completion = Completion.IMMEDIATE;
    private RequestFailure failure;
    private boolean wrapFailure;
    private boolean ready = true;
    private NodeStatus status = new NodeStatus(1, Role.LEADER, 3, 1, 10, 9, 1, 11, List.of(1L, 2L, 3L),
            new NodeStatus.Snapshot(5, 2, 1234, System.currentTimeMillis()));
    private List<LogEntryView> log = List.of();

    LocalKvService() {
        this(KvLimits.DEFAULTS);
    }

    LocalKvService(KvLimits limits) {
        this.sm = new KvStateMachine(limits);
    }

    @Override
    public synchronized CompletableFuture<KvResult> execute(KvCommand command) {
        executed.incrementAndGet();
        if (failure != null) {
            return CompletableFuture.failedFuture(wrapFailure ? new CompletionException(failure) : failure);
        }
        KvResult result = command.readOnly() ? sm.query(command) : sm.apply(command);
        return switch (completion) {
            case IMMEDIATE -> CompletableFuture.completedFuture(result);
            case HELD -> {
                CompletableFuture<KvResult> f = new CompletableFuture<>();
                held.add(new Held(f, result));
                yield f;
            }
            case RANDOM_DELAY -> {
                CompletableFuture<KvResult> f = new CompletableFuture<>();
                timer.schedule(() -> f.complete(result), random.nextInt(3000), TimeUnit.MICROSECONDS);
                yield f;
            }
        };
    }

    /** How many commands reached {@link #execute} (refused or not). */
    int executed() {
        return executed.get();
    }

    synchronized int heldCount() {
        return held.size();
    }

    synchronized void complete(Completion c) {
        this.completion = c;
    }

    /** Every later execute fails with {@code kind}; null to stop failing. */
    synchronized void failWith(RequestFailure.Kind kind, long leaderHint, boolean wrapInCompletionException) {
        this.failure = kind == null ? null : new RequestFailure(kind, leaderHint, "test failure " + kind);
        this.wrapFailure = wrapInCompletionException;
    }

    /** Completes the held futures, last first. */
    void releaseReversed() {
        List<Held> toRelease;
        synchronized (this) {
            toRelease = new ArrayList<>(held);
            held.clear();
        }
        Collections.reverse(toRelease);
        toRelease.forEach(h -> h.future().complete(h.result()));
    }

    synchronized KvResult peek(KvCommand readOnly) {
        return sm.query(readOnly);
    }

    synchronized int size() {
        return sm.size();
    }

    synchronized void ready(boolean r) {
        this.ready = r;
    }

    synchronized void status(NodeStatus s) {
        this.status = s;
    }

    synchronized void log(List<LogEntryView> entries) {
        this.log = List.copyOf(entries);
    }

    @Override
    public synchronized CompletableFuture<Digest> digest() {
        return CompletableFuture.completedFuture(new Digest(executed.get(), sm.digest()));
    }

    @Override
    public synchronized CompletableFuture<NodeStatus.Snapshot> takeSnapshot() {
        return CompletableFuture.completedFuture(status.snapshot());
    }

    @Override
    public synchronized NodeStatus status() {
        return status;
    }

    @Override
    public synchronized List<LogEntryView> log(long from, int limit) {
        return log.stream().filter(e -> e.index() >= from).limit(limit).toList();
    }

    @Override
    public synchronized boolean ready() {
        return ready;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
