package dev.ballot.node;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;
import dev.ballot.raft.ProposeResult;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.ReadState;
import dev.ballot.raft.Ready;
import dev.ballot.raft.Role;
import dev.ballot.storage.GroupCommitLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The raft loop (DESIGN.md §4): the one thread that owns the engine. Everything else talks to it
 * through {@link #queue}: peer messages, client requests, the storage thread's "persisted" and
 * clock ticks. Each turn it runs what is queued, then turns the engine's {@link Ready} into work
 * for the storage thread, the transport and the apply thread. It never waits for any of them:
 * while one Ready is being persisted, new requests pile up and go out together in the next one
 * (group commit falls out of this).
 */
final class RaftLoop {

    private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);
    private static final byte[] EMPTY = new byte[0];
    /** Events run per turn before the loop checks the clock and the engine again. */
    private static final int MAX_EVENTS_PER_TURN = 4096;
    /**
     * Readies handed to the storage thread at once (two measured best,
     * docs/benchmarks.md). More than one lets the leader send new entries
     * and hand out commits while an fsync runs; the storage thread writes them in order (several
     * share one fsync) and they are finished in order.
     */
    private static final int MAX_READIES_IN_FLIGHT = 2;

    /** Something for the raft loop to do; {@link #reject} fails it if the loop has stopped. */
    interface Event {
        void run();

        default void reject() {}
    }

    /** A read this node (as leader) is confirming, for a local client or for a follower. */
    /** A write sent to the leader of {@code term}, waiting for its reply. */
    private record Forwarded(PendingWrite write, long term) {}

    private record LeaderRead(long term, PendingRead<?> local, long follower, long requestId) {}

    private final long id;
    private final RaftNode node;
    private final Transport transport;
    private final GroupCommitLog storage;
    private final LockedLogStorage logView;
    private final ApplyLoop apply;
    private final long tickNanos;
    private final Consumer<Throwable> onFatal;
    private final Inbox<Event> queue = new Inbox<>();
    private final Thread thread;
    private volatile boolean stopped;

    // Everything below is touched by the loop thread only.
    private final ArrayDeque<Flight> flights = new ArrayDeque<>();
    private HardState submittedHardState;
    private final ArrayDeque<PendingWrite> writesWaiting = new ArrayDeque<>();
    /** Proposed this turn; registered with the apply thread before any Ready can commit them. */
    private final List<ApplyLoop.Proposal> proposed = new ArrayList<>();
    private final ArrayDeque<PendingRead<?>> readsWaiting = new ArrayDeque<>();
    private final List<PendingWrite> writesToRetry = new ArrayList<>();
    private final List<PendingRead<?>> readsToRetry = new ArrayList<>();
    private final Map<Long, Forwarded> forwardedWrites = new HashMap<>();
    private final Map<Long, PendingRead<?>> forwardedReads = new HashMap<>();
    private final Map<Long, LeaderRead> leaderReads = new HashMap<>();
    private long nextRequestId;
    private long nextReadContext;
    private volatile LoopStatus status;

    /** What the loop last published about the engine, for readers on other threads. */
    record LoopStatus(Role role, long term, long leaderId, long commitIndex, long firstIndex, long lastIndex) {}

    /** Called on the loop thread when the leader accepts a write forwarded by a follower. */
    interface RemoteWriteAdmission {
        /** Returns null if admitted (and arranges timeout and release), else the outcome to reply. */
        Forward.Outcome admit(PendingWrite write);
    }

    private final RemoteWriteAdmission admission;

    RaftLoop(RaftNode node, HardState recovered, LockedLogStorage logView, Transport transport,
             GroupCommitLog storage, ApplyLoop apply, long tickNanos, RemoteWriteAdmission admission,
             Consumer<Throwable> onFatal) {
        this.logView = logView;
        this.submittedHardState = recovered;
        this.id = node.id();
        this.node = node;
        this.transport = transport;
        this.storage = storage;
        this.apply = apply;
        this.tickNanos = tickNanos;
        this.admission = admission;
        this.onFatal = onFatal;
        this.thread = Thread.ofPlatform().name("ballot-raft-" + id).daemon(true).unstarted(this::run);
        publishStatus();
    }

    void start() {
        thread.start();
    }

    LoopStatus status() {
        return status;
    }

    // ------------------------------------------------------------------ entry points (any thread)

    /** Queues an event; if the loop has stopped, the event is rejected instead. */
    void enqueue(Event e) {
        queue.add(e);
        if (stopped) rejectQueued();
    }

    void submitWrite(PendingWrite w) {
        enqueue(new Event() {
            @Override public void run() {
                writesWaiting.add(w);
            }

            @Override public void reject() {
                w.fail(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down");
            }
        });
    }

    void submitRead(PendingRead<?> r) {
        enqueue(new Event() {
            @Override public void run() {
                readsWaiting.add(r);
            }

            @Override public void reject() {
                r.fail(RequestFailure.Kind.SHUTDOWN, 0, "the node is shutting down");
            }
        });
    }

    void onMessage(Message m) {
        enqueue(() -> node.step(m));
    }

    void onForward(long from, Forward f) {
        enqueue(() -> handleForward(from, f));
    }

    /** Runs {@code query} on the loop thread (it may read the engine) and returns its value. */
    <T> CompletableFuture<T> call(Supplier<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        enqueue(new Event() {
            @Override public void run() {
                result.complete(query.get());
            }

            @Override public void reject() {
                result.completeExceptionally(new RequestFailure(RequestFailure.Kind.SHUTDOWN, 0, "node stopped"));
            }
        });
        return result;
    }

    /** Up to {@code limit} entries from {@code from}, read on the loop thread. */
    CompletableFuture<List<LogEntryView>> log(long from, int limit) {
        return call(() -> {
            long start = Math.max(from, node.firstIndex());
            long end = Math.min(node.lastIndex() + 1, start + limit);
            if (start >= end) return List.of();
            long commit = node.commitIndex();
            List<LogEntryView> out = new ArrayList<>();
            for (var e : node.entries(start, end)) {
                out.add(new LogEntryView(e.index(), e.term(), e.type(), e.data(), e.index() <= commit));
            }
            return out;
        });
    }

    /** Stops the loop after the events queued so far and fails what is still waiting. */
    void stop() throws InterruptedException {
        enqueue(() -> stopped = true);
        thread.join();
    }

    // ------------------------------------------------------------------ the loop

    private void run() {
        long nextTick = System.nanoTime() + tickNanos;
        try {
            while (!stopped) {
                long wait = nextTick - System.nanoTime();
                Event e = wait > 0 ? queue.poll(wait) : queue.poll();
                for (int n = 0; e != null; n++) {
                    e.run();
                    if (stopped || n >= MAX_EVENTS_PER_TURN) break;
                    e = queue.poll();
                }
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    node.tick();
                    onTick();
                    // After a long pause (GC, SIGSTOP) tick once, not once per missed interval.
                    nextTick = Math.max(nextTick + tickNanos, now);
                }
                if (!stopped) afterEvents();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("raft loop of node {} interrupted; stopping", id);
        } catch (RuntimeException | Error e) {
            log.error("raft loop of node {} failed; stopping the node", id, e);
            onFatal.accept(e);
        } finally {
            stopped = true;
            failEverything();
            rejectQueued();
        }
    }

    private void afterEvents() {
        dispatchWaiting();
        abortReadsIfDeposed();
        maybeReady();
        publishStatus();
    }

    private void onTick() {
        // Requests a leader refused go back in line once per tick, not in a tight loop.
        writesWaiting.addAll(writesToRetry);
        writesToRetry.clear();
        readsWaiting.addAll(readsToRetry);
        readsToRetry.clear();
        // Requests that timed out are already answered; forget them.
        writesWaiting.removeIf(PendingWrite::isDone);
        readsWaiting.removeIf(PendingRead::isDone);
        forwardedWrites.values().removeIf(f -> f.write().isDone());
        giveUpOnForwardsToAFormerLeader();
        forwardedReads.values().removeIf(PendingRead::isDone);
    }

    // ------------------------------------------------------------------ requests

    /** Hands waiting requests to the leader: propose / read here, or forward. */
    private void dispatchWaiting() {
        long leader = node.leaderId();
        if (leader == RaftNode.NONE) return;
        boolean leading = node.role() == Role.LEADER;
        PendingWrite w;
        while ((w = writesWaiting.poll()) != null) {
            if (!w.claim()) continue; // timed out while waiting
            if (leading) {
                proposeHere(w);
            } else {
                long requestId = ++nextRequestId;
                forwardedWrites.put(requestId, new Forwarded(w, node.currentTerm()));
                if (!transport.send(leader, new Forward.Propose(requestId, w.command))) {
                    // It never left this node, so it was certainly not proposed: try again later.
                    forwardedWrites.remove(requestId);
                    w.unclaim();
                    writesToRetry.add(w);
                }
            }
        }
        PendingRead<?> r;
        while ((r = readsWaiting.poll()) != null) {
            if (r.isDone()) continue;
            if (leading) {
                readHere(r, 0, 0);
            } else {
                long requestId = ++nextRequestId;
                forwardedReads.put(requestId, r);
                if (!transport.send(leader, new Forward.ReadIndex(requestId))) {
                    forwardedReads.remove(requestId);
                    readsToRetry.add(r);
                }
            }
        }
    }

    private void proposeHere(PendingWrite w) {
        switch (node.propose(w.command)) {
            case ProposeResult.Accepted a -> proposed.add(new ApplyLoop.Proposal(a.index(), a.term(), w));
            case ProposeResult.NotLeader n -> {
                w.unclaim();
                writesToRetry.add(w);
            }
        }
    }

    /** Starts ReadIndex for a local read ({@code r != null}) or for a follower's request. */
    private void readHere(PendingRead<?> r, long follower, long requestId) {
        long context = ++nextReadContext;
        switch (node.readIndex(context)) {
            case ProposeResult.Accepted a ->
                    leaderReads.put(context, new LeaderRead(node.currentTerm(), r, follower, requestId));
            case ProposeResult.NotLeader n -> {
                if (r != null) {
                    readsToRetry.add(r);
                } else {
                    reply(follower, requestId, outcomeFor(n.leaderId()), n.leaderId(), 0, EMPTY);
                }
            }
        }
    }

    /**
     * A write forwarded to a leader of an earlier term will most likely never be answered (that
     * leader died or was deposed). Its outcome is unknown, and saying so now beats making the
     * client wait for the full request timeout. It is never re-sent: it may have been proposed.
     */
    private void giveUpOnForwardsToAFormerLeader() {
        long term = node.currentTerm();
        var it = forwardedWrites.values().iterator();
        while (it.hasNext()) {
            Forwarded f = it.next();
            if (f.term() >= term) continue;
            it.remove();
            f.write().fail(RequestFailure.Kind.UNKNOWN_OUTCOME, node.leaderId(),
                    "the leader it was sent to lost its leadership (term " + f.term() + " ended) before answering");
        }
    }

    /** Reads confirmed by a leader that has since lost its leadership must be confirmed again. */
    private void abortReadsIfDeposed() {
        if (leaderReads.isEmpty()) return;
        boolean stillLeading = node.role() == Role.LEADER;
        long term = node.currentTerm();
        var it = leaderReads.values().iterator();
        while (it.hasNext()) {
            LeaderRead lr = it.next();
            if (stillLeading && lr.term() == term) continue;
            it.remove();
            if (lr.local() != null) {
                readsToRetry.add(lr.local());
            } else {
                reply(lr.follower(), lr.requestId(), outcomeFor(node.leaderId()), node.leaderId(), 0, EMPTY);
            }
        }
    }

    private void handleForward(long from, Forward f) {
        switch (f) {
            case Forward.Propose p -> {
                if (node.role() != Role.LEADER) {
                    reply(from, p.requestId(), outcomeFor(node.leaderId()), node.leaderId(), 0, EMPTY);
                    return;
                }
                PendingWrite w = new PendingWrite(p.command());
                Forward.Outcome refused = admission.admit(w);
                if (refused != null) {
                    reply(from, p.requestId(), refused, id, 0, EMPTY);
                    return;
                }
                w.future.whenComplete((result, err) -> {
                    if (err == null) {
                        reply(from, p.requestId(), Forward.Outcome.OK, id, 0, result == null ? EMPTY : result);
                    } else {
                        RequestFailure rf = RaftServer.unwrap(err);
                        reply(from, p.requestId(), Forward.Outcome.valueOf(rf.kind().name()), rf.leaderHint(), 0,
                                EMPTY);
                    }
                });
                w.claim();
                proposeHere(w);
            }
            case Forward.ReadIndex r -> {
                if (node.role() != Role.LEADER) {
                    reply(from, r.requestId(), outcomeFor(node.leaderId()), node.leaderId(), 0, EMPTY);
                } else {
                    readHere(null, from, r.requestId());
                }
            }
            case Forward.Reply r -> onReply(r);
        }
    }

    private void onReply(Forward.Reply r) {
        Forwarded forwarded = forwardedWrites.remove(r.requestId());
        if (forwarded != null) {
            PendingWrite w = forwarded.write();
            switch (r.outcome()) {
                case OK -> w.complete(r.result());
                // The leader did not propose it: safe to send again once a leader is known.
                case NOT_LEADER, NO_LEADER, SHUTDOWN -> {
                    w.unclaim();
                    writesToRetry.add(w);
                }
                case BUSY -> {
                    w.unclaim();
                    w.fail(RequestFailure.Kind.BUSY, r.leaderHint(), "the leader has too many pending requests");
                }
                case TIMEOUT, UNKNOWN_OUTCOME -> w.fail(RequestFailure.Kind.UNKNOWN_OUTCOME, r.leaderHint(),
                        "the leader could not tell whether the write was applied");
            }
            return;
        }
        PendingRead<?> read = forwardedReads.remove(r.requestId());
        if (read == null) return; // answered too late: the request already timed out
        switch (r.outcome()) {
            case OK -> apply.readAt(r.readIndex(), read);
            case NOT_LEADER, NO_LEADER, SHUTDOWN -> readsToRetry.add(read);
            case BUSY -> read.fail(RequestFailure.Kind.BUSY, r.leaderHint(), "the leader has too many pending requests");
            case TIMEOUT, UNKNOWN_OUTCOME -> read.fail(RequestFailure.Kind.TIMEOUT, r.leaderHint(),
                    "the leader could not confirm the read in time");
        }
    }

    private void reply(long to, long requestId, Forward.Outcome outcome, long leaderHint, long readIndex, byte[] result) {
        transport.send(to, new Forward.Reply(requestId, outcome, leaderHint, readIndex, result));
    }

    private static Forward.Outcome outcomeFor(long leaderHint) {
        return leaderHint == RaftNode.NONE ? Forward.Outcome.NO_LEADER : Forward.Outcome.NOT_LEADER;
    }

    // ------------------------------------------------------------------ Ready

    /** A Ready handed to the storage thread; finished (sent, advanced) in order once durable. */
    private static final class Flight {
        final Ready ready;
        final boolean leaderMessagesSent;
        boolean durable;

        Flight(Ready ready, boolean leaderMessagesSent) {
            this.ready = ready;
            this.leaderMessagesSent = leaderMessagesSent;
        }
    }

    private void maybeReady() {
        if (!proposed.isEmpty()) {
            apply.register(proposed);
            proposed.clear();
        }
        while (flights.size() < MAX_READIES_IN_FLIGHT && node.hasReady()) {
            Ready rd = node.ready();
            applyNow(rd);
            // Thesis §10.2.1: the leader may send AppendEntries while its own disk write runs (it
            // counts its own copy only after advance). Votes and acknowledgements wait for the disk.
            boolean sentEarly = rd.role() == Role.LEADER;
            if (sentEarly) {
                for (Message m : rd.messages()) {
                    if (isLeaderTraffic(m)) transport.send(m);
                }
            }
            Flight flight = new Flight(rd, sentEarly);
            flights.add(flight);
            HardState toPersist = mustPersist(rd.hardState()) ? rd.hardState() : null;
            if (rd.entries().isEmpty() && toPersist == null) {
                flight.durable = true; // nothing to write; still finished in order behind earlier Readies
                continue;
            }
            if (toPersist != null) submittedHardState = toPersist;
            storage.persist(rd.entries(), toPersist).whenComplete((ok, err) -> enqueue(() -> {
                if (err != null) throw new IllegalStateException("could not persist the log; stopping the node", err);
                flight.durable = true;
                finishDurable();
            }));
        }
        finishDurable();
    }

    /**
     * Term and vote must be durable before anything is sent (a node must never vote twice in a
     * term). The commit index need not be: it is only a hint that lets a restarted node apply
     * sooner, and a stale one is safe, because it is always at most the real commit index and
     * the log it points into is written first. So a change of the commit index alone is not worth
     * two fsyncs; it is written the next time term or vote change.
     */
    private boolean mustPersist(HardState hs) {
        return hs != null && (hs.currentTerm() != submittedHardState.currentTerm()
                || hs.votedFor() != submittedHardState.votedFor());
    }

    private static boolean isLeaderTraffic(Message m) {
        return m instanceof Message.AppendEntries || m instanceof Message.Heartbeat;
    }

    /** Sends and advances the durable Readies at the head of the line, strictly in order. */
    private void finishDurable() {
        while (!flights.isEmpty() && flights.peek().durable) {
            Flight f = flights.poll();
            for (Message m : f.ready.messages()) {
                if (!(f.leaderMessagesSent && isLeaderTraffic(m))) transport.send(m);
            }
            logView.persisted(f.ready.entries());
            node.advance(f.ready);
        }
    }

    /**
     * Hands committed entries and confirmed reads to the apply thread as soon as the Ready is
     * produced: committed entries were made durable by an earlier Ready, so applying them need
     * not wait for this Ready's disk write, which would add an fsync to every reply.
     */
    private void applyNow(Ready rd) {
        if (!rd.committedEntries().isEmpty()) apply.apply(rd.committedEntries(), rd.leaderId());
        for (ReadState rs : rd.readStates()) {
            LeaderRead lr = leaderReads.remove(rs.context());
            if (lr == null) continue;
            if (lr.local() != null) {
                apply.readAt(rs.index(), lr.local());
            } else {
                reply(lr.follower(), lr.requestId(), Forward.Outcome.OK, id, rs.index(), EMPTY);
            }
        }
    }

    // ------------------------------------------------------------------ status and shutdown

    private void publishStatus() {
        LoopStatus s = status;
        Role role = node.role();
        long term = node.currentTerm();
        long leader = node.leaderId();
        long commit = node.commitIndex();
        long last = node.lastIndex();
        if (s == null || s.role() != role || s.term() != term || s.leaderId() != leader
                || s.commitIndex() != commit || s.lastIndex() != last) {
            status = new LoopStatus(role, term, leader, commit, node.firstIndex(), last);
        }
    }

    private void failEverything() {
        String why = "the node is shutting down";
        for (ApplyLoop.Proposal p : proposed) p.write().fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        proposed.clear();
        for (PendingWrite w : writesWaiting) w.fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (PendingWrite w : writesToRetry) w.fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (Forwarded f : forwardedWrites.values()) f.write().fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (PendingRead<?> r : readsWaiting) r.fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (PendingRead<?> r : readsToRetry) r.fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (PendingRead<?> r : forwardedReads.values()) r.fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        for (LeaderRead lr : leaderReads.values()) {
            if (lr.local() != null) lr.local().fail(RequestFailure.Kind.SHUTDOWN, 0, why);
        }
        writesWaiting.clear();
        writesToRetry.clear();
        forwardedWrites.clear();
        readsWaiting.clear();
        readsToRetry.clear();
        forwardedReads.clear();
        leaderReads.clear();
    }

    private void rejectQueued() {
        Event e;
        while ((e = queue.poll()) != null) e.reject();
    }
}
