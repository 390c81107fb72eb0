package dev.ballot.node;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;
import dev.ballot.raft.ProposeResult;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.Ready;
import dev.ballot.raft.Role;
import dev.ballot.raft.SnapshotMetadata;
import dev.ballot.node.transport.SnapshotFrame;
import dev.ballot.storage.SnapshotMeta;
import dev.ballot.storage.LogWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Raft half of the node loop (docs/runtime.md): owns the engine and everything that waits on
 * it — client requests waiting for a leader, writes proposed here, reads being confirmed,
 * requests forwarded to the leader — and, at the end of every turn of the loop, hands what the
 * engine wants done to the {@link ReadyPipeline}. Every method runs on the node loop.
 *
 * <p>Requests wait in arrival order. When a leader refuses one that may be retried, it goes back
 * in line ahead of everything that came after it, and nothing more is dispatched until the next
 * tick: so writes keep their order, and a refusing node is not asked again in a tight loop.
 */
final class RaftLoop {

    private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);
    private static final byte[] EMPTY = new byte[0];
    /**
     * Readies handed to the storage thread at once. More than one lets the leader send new entries
     * and hand out commits while an fsync runs; two measured best (docs/benchmarks.md).
     */
    static final int MAX_READIES_IN_FLIGHT = 2;

    private final long id;
    private final RaftNode node;
    private final Loop loop;
    private final Transport transport;
    private final LogWriter storage;
    private final LockedLogStorage logView;
    private final Proposals proposals;
    private final Applier applier;
    private final Forwarder forwarder;
    private final LeaderReads leaderReads;
    private final Deadlines deadlines;
    private final ReadyPipeline pipeline;
    private final int maxPending;
    private final Consumer<Throwable> onFatal;
    private final LocalSnapshots snapshots;
    private final SnapshotSender snapshotSender;
    private final SnapshotReceiver snapshotReceiver;

    private final ArrayDeque<PendingWrite> writesWaiting = new ArrayDeque<>();
    private final ArrayDeque<PendingWrite> writesToRetry = new ArrayDeque<>();
    private final ArrayDeque<PendingRead<?>> readsWaiting = new ArrayDeque<>();
    private final ArrayDeque<PendingRead<?>> readsToRetry = new ArrayDeque<>();
    /** Only with {@link RuntimeSabotage#RETRY_OUT_OF_ORDER}: refused writes, sent again at the next tick. */
    private final ArrayDeque<PendingWrite> unsafeRetryAtTick = new ArrayDeque<>();
    private final boolean unsafeRetry;
    /** A leader refused a request this tick: dispatch nothing until the next tick. */
    private boolean holdUntilTick;
    private int pending;
    private long termSeen;
    private boolean stopped;
    private volatile LoopStatus status;

    /** What the loop last published about the engine, for readers on other threads. */
    record LoopStatus(Role role, long term, long leaderId, long commitIndex, long firstIndex, long lastIndex) {}

    /** The node's snapshot parts, built by the server around the same engine and log. */
    record SnapshotParts(LocalSnapshots local, SnapshotSender sender, SnapshotReceiver receiver) {}

    RaftLoop(RaftNode node, HardState recovered, LockedLogStorage logView, Loop loop, Transport transport,
             LogWriter storage, Proposals proposals, Applier applier, Deadlines deadlines, int maxPending,
             java.util.random.RandomGenerator random, java.util.Set<RuntimeSabotage> sabotage,
             java.util.function.Function<RaftLoop, SnapshotParts> snapshotParts, Consumer<Throwable> onFatal) {
        this.id = node.id();
        this.node = node;
        this.loop = loop;
        this.transport = transport;
        this.storage = storage;
        this.logView = logView;
        this.proposals = proposals;
        this.applier = applier;
        this.deadlines = deadlines;
        this.maxPending = maxPending;
        this.onFatal = onFatal;
        this.forwarder = new Forwarder(transport, random, sabotage);
        this.unsafeRetry = sabotage.contains(RuntimeSabotage.RETRY_OUT_OF_ORDER);
        this.leaderReads = new LeaderReads(node, (to, requestId, outcome, hint, readIndex) ->
                reply(to, requestId, outcome, hint, readIndex, EMPTY));
        this.pipeline = new ReadyPipeline(node, recovered, MAX_READIES_IN_FLIGHT, new PipelineActions());
        this.termSeen = node.currentTerm();
        SnapshotParts parts = snapshotParts.apply(this);
        this.snapshots = parts.local();
        this.snapshotSender = parts.sender();
        this.snapshotReceiver = parts.receiver();
        publishStatus();
    }

    LoopStatus status() {
        return status;
    }

    // ------------------------------------------------------------------ inputs (loop only)

    void submitWrite(PendingWrite w) {
        if (!admit(w.future, () -> w.fail(RequestFailure.Kind.NO_LEADER, 0,
                "no leader could take the write within the request timeout"), w::fail)) {
            return;
        }
        writesWaiting.add(w);
        loop.endTurnSoon();
    }

    void submitRead(PendingRead<?> r) {
        if (!admit(r.future, () -> r.fail(RequestFailure.Kind.TIMEOUT, 0,
                "the read was not confirmed within the request timeout"), r::fail)) {
            return;
        }
        readsWaiting.add(r);
        loop.endTurnSoon();
    }

    /** Serves {@code r} from this node's state as it is now, without asking the leader. */
    void readLocal(PendingRead<?> r) {
        if (stopped) {
            r.fail(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down");
        } else {
            applier.readNow(r);
        }
    }

    private interface Refusal {
        void fail(RequestFailure.Kind kind, long leaderHint, String why);
    }

    /** Counts a request against the pending limit and arms its deadline; false if refused. */
    private boolean admit(java.util.concurrent.CompletableFuture<?> future, Runnable onTimeout, Refusal refuse) {
        if (stopped) {
            refuse.fail(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down");
            return false;
        }
        if (pending >= maxPending) {
            refuse.fail(RequestFailure.Kind.BUSY, 0, "too many pending requests (" + maxPending + ")");
            return false;
        }
        pending++;
        deadlines.watch(future, onTimeout);
        future.whenComplete((v, e) -> release());
        return true;
    }

    /** A request's future completed, maybe on another thread (a read on the apply executor). */
    private void release() {
        if (loop.inLoop()) pending--; else loop.execute(() -> pending--);
    }

    void onMessage(Message m) {
        if (stopped) return;
        try {
            node.step(m);
        } catch (RuntimeException | Error e) {
            failed(e);
            return;
        }
        loop.endTurnSoon();
    }

    /** A snapshot chunk (we follow) or its acknowledgement (we lead). */
    void onSnapshot(long from, SnapshotFrame frame) {
        if (stopped) return;
        try {
            switch (frame) {
                case SnapshotFrame.Chunk c -> snapshotReceiver.onFrame(from, c);
                case SnapshotFrame.Ack a -> snapshotSender.onFrame(from, a);
            }
        } catch (RuntimeException | Error e) {
            failed(e);
            return;
        }
        loop.endTurnSoon();
    }

    /** Takes a snapshot now; completes once it is durable. */
    java.util.concurrent.CompletableFuture<LocalSnapshots.Info> takeSnapshot() {
        if (stopped) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new RequestFailure(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down"));
        }
        // Completed on the loop once written and compacted: publish first, so status shows it.
        return snapshots.takeNow().thenApply(info -> {
            publishStatus();
            return info;
        });
    }

    LocalSnapshots.Info snapshotInfo() {
        return snapshots.info();
    }

    void onForward(long from, Forward f) {
        if (stopped) return;
        switch (f) {
            case Forward.Propose p -> proposeForFollower(from, p);
            case Forward.ReadIndex r -> {
                if (node.role() != Role.LEADER) {
                    reply(from, r.requestId(), Forwarder.outcomeFor(node.leaderId()), node.leaderId(), 0, EMPTY);
                } else {
                    leaderReads.start(null, from, r.requestId(), this::retryRead);
                }
            }
            case Forward.Reply r -> {
                switch (forwarder.onReply(from, r, applier)) {
                    case RETRY -> {
                        PendingWrite w = forwarder.takeRetryWrite();
                        if (w != null) retryWrite(w);
                        PendingRead<?> read = forwarder.takeRetryRead();
                        if (read != null) retryRead(read);
                    }
                    case IGNORED -> log.debug("node {}: ignored a forwarding reply {} from node {}", id, r.requestId(),
                            from);
                    case DONE -> { }
                }
            }
        }
        loop.endTurnSoon();
    }

    void onTick() {
        if (stopped) return;
        try {
            node.tick();
            snapshotSender.onTick();
            snapshotReceiver.onTick();
        } catch (RuntimeException | Error e) {
            failed(e);
            return;
        }
        holdUntilTick = false;
        writesToRetry.addAll(unsafeRetryAtTick); // sabotaged: later writes have gone ahead meanwhile
        unsafeRetryAtTick.clear();
        deadlines.sweep();
        // Requests that timed out are already answered; forget them.
        writesWaiting.removeIf(PendingWrite::isDone);
        writesToRetry.removeIf(PendingWrite::isDone);
        readsWaiting.removeIf(PendingRead::isDone);
        readsToRetry.removeIf(PendingRead::isDone);
        forwarder.forgetAnswered();
        loop.endTurnSoon();
    }

    /** The end of a turn: dispatch what waits, then one Ready. */
    void endOfTurn() {
        if (stopped) return;
        try {
            dispatchWaiting();
            leaderReads.abortIfDeposed(this::retryRead);
            long term = node.currentTerm();
            if (term != termSeen) {
                termSeen = term;
                forwarder.giveUpOnFormerLeaders(term, node.leaderId());
            }
            pipeline.drain();
            snapshots.maybeTake();
            publishStatus();
        } catch (RuntimeException | Error e) {
            failed(e);
        }
    }

    /** The engine, the state machine or this loop failed: stop the node rather than let replicas diverge. */
    private void failed(Throwable e) {
        log.error("the node loop of node {} failed; stopping the node", id, e);
        stopped = true;
        onFatal.accept(e);
    }

    // ------------------------------------------------------------------ requests

    private void retryWrite(PendingWrite w) {
        if (unsafeRetry) { // the old defect: the retry waits for the tick, later writes of its connection do not
            unsafeRetryAtTick.add(w);
            return;
        }
        writesToRetry.add(w);
        holdUntilTick = true;
    }

    private void retryRead(PendingRead<?> r) {
        readsToRetry.add(r);
        holdUntilTick = true;
    }

    /** Hands waiting requests to the leader (proposes or reads here, or forwards), oldest first. */
    private void dispatchWaiting() {
        if (holdUntilTick) return;
        long leader = node.leaderId();
        if (leader == RaftNode.NONE) return;
        if (!dispatchWrites(writesToRetry, leader) || !dispatchWrites(writesWaiting, leader)) return;
        dispatchReads(readsToRetry, leader);
        dispatchReads(readsWaiting, leader);
    }

    /** False if it had to stop (a write went back in line). */
    private boolean dispatchWrites(ArrayDeque<PendingWrite> queue, long leader) {
        boolean leading = node.role() == Role.LEADER;
        PendingWrite w;
        while ((w = queue.peek()) != null) {
            if (!w.claim()) { // timed out while waiting
                queue.poll();
                continue;
            }
            boolean sent = leading ? proposeHere(w) : forwarder.forward(w, leader, node.currentTerm());
            if (!sent) {
                // Certainly not proposed: it stays first in line, and everything after it waits.
                w.unclaim();
                holdUntilTick = true;
                return false;
            }
            queue.poll();
            w.dispatched();
        }
        return true;
    }

    private void dispatchReads(ArrayDeque<PendingRead<?>> queue, long leader) {
        boolean leading = node.role() == Role.LEADER;
        PendingRead<?> r;
        while (!holdUntilTick && (r = queue.poll()) != null) {
            if (r.isDone()) continue;
            if (leading) {
                leaderReads.start(r, 0, 0, this::retryRead);
            } else if (!forwarder.forward(r, leader)) {
                retryRead(r);
            }
        }
    }

    /** Proposes {@code w} to the engine; false if this node is not the leader (nothing was proposed). */
    private boolean proposeHere(PendingWrite w) {
        return switch (node.propose(w.command)) {
            case ProposeResult.Accepted a -> {
                proposals.register(a.index(), a.term(), w, id);
                yield true;
            }
            case ProposeResult.NotLeader n -> false;
        };
    }

    /** A follower's forwarded write: proposed at once, in the order the follower sent them. */
    private void proposeForFollower(long from, Forward.Propose p) {
        if (node.role() != Role.LEADER) {
            reply(from, p.requestId(), Forwarder.outcomeFor(node.leaderId()), node.leaderId(), 0, EMPTY);
            return;
        }
        PendingWrite w = new PendingWrite(p.command(), null);
        Forward.Outcome[] refused = new Forward.Outcome[1];
        if (!admit(w.future, () -> w.fail(RequestFailure.Kind.NO_LEADER, 0, "timed out on the leader"),
                (kind, hint, why) -> refused[0] = Forward.Outcome.valueOf(kind.name()))) {
            reply(from, p.requestId(), refused[0], id, 0, EMPTY);
            return;
        }
        w.future.whenComplete((result, err) -> {
            if (err == null) {
                reply(from, p.requestId(), Forward.Outcome.OK, id, 0, result == null ? EMPTY : result);
            } else {
                RequestFailure rf = RaftServer.unwrap(err);
                reply(from, p.requestId(), Forward.Outcome.valueOf(rf.kind().name()), rf.leaderHint(), 0, EMPTY);
            }
        });
        w.claim();
        if (!proposeHere(w)) {
            w.unclaim();
            w.fail(RequestFailure.Kind.NOT_LEADER, node.leaderId(), "not the leader");
        }
    }

    private void reply(long to, long requestId, Forward.Outcome outcome, long leaderHint, long readIndex,
                       byte[] result) {
        if (loop.inLoop()) {
            transport.send(to, new Forward.Reply(requestId, outcome, leaderHint, readIndex, result));
        } else { // a forwarded write answered on another thread
            loop.execute(() -> reply(to, requestId, outcome, leaderHint, readIndex, result));
        }
    }

    // ------------------------------------------------------------------ Ready

    /** How this runtime carries out what the pipeline asks. */
    private final class PipelineActions implements ReadyPipeline.Actions {
        @Override
        public void persist(Ready ready, List<Entry> entries, HardState hardState, Runnable durable) {
            if (ready.snapshot() != null) {
                // Queued ahead of the entries: the log restarts after the snapshot, durably, before they follow.
                storage.restore(ready.snapshot().lastIncludedIndex(), ready.snapshot().lastIncludedTerm());
            }
            proposals.logWritten(entries, ready.leaderId());
            storage.persist(entries, hardState).whenComplete((ok, err) -> loop.execute(() -> {
                if (stopped) return;
                if (err != null) {
                    failed(new IllegalStateException("node " + id + " could not persist its log", err));
                    return;
                }
                try {
                    durable.run();
                } catch (RuntimeException | Error e) {
                    failed(e);
                    return;
                }
                // The leader's own write can advance its commit index here, and entries be applied at
                // once: publish now, so status() never shows an applied index past the commit index.
                publishStatus();
                loop.endTurnSoon();
            }));
        }

        @Override
        public void send(List<Message> messages) {
            for (Message m : messages) {
                if (m instanceof Message.InstallSnapshot is) {
                    snapshotSender.request(is);
                } else {
                    transport.send(m);
                }
            }
        }

        @Override
        public void apply(Ready ready) {
            if (ready.snapshot() != null) install(ready.snapshot());
            if (!ready.committedEntries().isEmpty()) {
                applier.apply(ready.committedEntries(), ready.leaderId());
                snapshots.applied(ready.committedEntries());
            }
            leaderReads.released(ready.readStates(), applier);
        }

        @Override
        public void durable(Ready ready) {
            if (ready.snapshot() != null) logView.restored(ready.snapshot().lastIncludedIndex());
            logView.persisted(ready.entries());
        }
    }

    // ------------------------------------------------------------------ status and shutdown

    /** Up to {@code limit} entries from {@code from}. */
    List<LogEntryView> log(long from, int limit) {
        long start = Math.max(from, node.firstIndex());
        long end = Math.min(node.lastIndex() + 1, start + limit);
        if (start >= end) return List.of();
        long commit = node.commitIndex();
        List<LogEntryView> out = new ArrayList<>();
        for (var e : node.entries(start, end)) {
            out.add(new LogEntryView(e.index(), e.term(), e.type(), e.data(), e.index() <= commit));
        }
        return out;
    }

    /**
     * The engine installs the leader's snapshot (paper §7, Ready.snapshot): the state machine is
     * replaced by the snapshot received whole, after every entry applied before it; the writes
     * proposed here at indexes it covers will never be answered by their entry.
     */
    private void install(SnapshotMetadata snapshot) {
        SnapshotMeta meta = snapshotReceiver.receivedFor(snapshot.lastIncludedIndex(), snapshot.lastIncludedTerm());
        if (meta == null) {
            throw new IllegalStateException("node " + id + " was asked to install snapshot " + snapshot
                    + " but received no such snapshot");
        }
        log.info("node {}: installing the leader's snapshot up to index {} (term {})", id, meta.lastIndex(),
                meta.lastTerm());
        applier.restore(meta.lastIndex(), () -> snapshots.store().openData(meta));
        proposals.coveredBySnapshot(meta.lastIndex());
        snapshots.installed(meta);
    }

    private void publishStatus() {
        LoopStatus s = status;
        Role role = node.role();
        long term = node.currentTerm();
        long leader = node.leaderId();
        long commit = node.commitIndex();
        long first = node.firstIndex();
        long last = node.lastIndex();
        if (s == null || s.role() != role || s.term() != term || s.leaderId() != leader
                || s.commitIndex() != commit || s.firstIndex() != first || s.lastIndex() != last) {
            status = new LoopStatus(role, term, leader, commit, first, last);
        }
    }

    boolean stopped() {
        return stopped;
    }

    /** Stops taking work and fails everything still waiting. */
    void stop() {
        stopped = true;
        String why = "the node is shutting down";
        for (PendingWrite w : writesWaiting) w.fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (PendingWrite w : writesToRetry) w.fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (PendingWrite w : unsafeRetryAtTick) w.fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (PendingRead<?> r : readsWaiting) r.fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (PendingRead<?> r : readsToRetry) r.fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        writesWaiting.clear();
        writesToRetry.clear();
        unsafeRetryAtTick.clear();
        readsWaiting.clear();
        readsToRetry.clear();
        forwarder.failAll(why);
        leaderReads.failAll(why);
        snapshotSender.stop();
        snapshotReceiver.stop();
        snapshots.stop();
        proposals.failAll("the node stopped before the write was applied");
    }
}
