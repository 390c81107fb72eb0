package dev.ballot.node;

import dev.ballot.raft.Entry;
import dev.ballot.raft.RaftNode;
import dev.ballot.storage.LogWriter;
import dev.ballot.storage.SegmentedLog;
import dev.ballot.storage.SnapshotMeta;
import dev.ballot.storage.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * This node's own snapshots (docs/snapshots.md): when the entries applied since the last snapshot
 * pass the {@link SnapshotPolicy}'s threshold (or an operator asks), takes a point-in-time snapshot
 * of the state machine on the apply thread, writes it to the {@link SnapshotStore} in the
 * background while commands go on, and once it is durable drops the log segments it covers,
 * keeping {@link SnapshotPolicy#catchUpEntries} behind it. Also knows the newest snapshot, own or
 * installed from a leader, for the leader's transfers and for status. Loop only.
 */
final class LocalSnapshots {

    private static final Logger log = LoggerFactory.getLogger(LocalSnapshots.class);

    /** What a node reports about its newest snapshot. */
    record Info(long index, long term, long sizeBytes, long takenAtMillis) {
        static final Info NONE = new Info(0, 0, 0, 0);
    }

    private final long id;
    private final SnapshotPolicy policy;
    private final SnapshotStore store;
    private final RaftNode node;
    private final Applier applier;
    private final LogWriter storage;
    private final LockedLogStorage logView;
    private final Loop loop;
    private final NodeHost.Background background;
    private final Set<Long> voters;
    private final Consumer<Throwable> onFatal;
    private final java.util.function.LongSupplier wallMillis;
    private final java.util.random.RandomGenerator random;
    /** This node's draw for the next threshold (see {@link SnapshotPolicy#due}). */
    private double stagger;

    private SnapshotMeta latest;
    private volatile Info info = Info.NONE;
    /** Bytes of the entries applied since the newest snapshot (approximately: counted at apply). */
    private long bytesSince;
    private boolean taking;
    /** After a failed write, wait for this index before trying again, so a broken disk is not hammered. */
    private long retryAfterIndex;
    private final List<CompletableFuture<Info>> asked = new ArrayList<>();

    LocalSnapshots(long id, SnapshotPolicy policy, SnapshotStore store, SnapshotMeta restoredFrom, RaftNode node,
                   Applier applier, LogWriter storage, LockedLogStorage logView, Loop loop,
                   NodeHost.Background background, Set<Long> voters, java.util.function.LongSupplier wallMillis,
                   java.util.random.RandomGenerator random, Consumer<Throwable> onFatal) {
        this.id = id;
        this.policy = policy;
        this.store = store;
        this.node = node;
        this.applier = applier;
        this.storage = storage;
        this.logView = logView;
        this.loop = loop;
        this.background = background;
        this.voters = Set.copyOf(voters);
        this.wallMillis = wallMillis;
        this.random = random;
        this.stagger = random.nextDouble();
        this.onFatal = onFatal;
        if (restoredFrom != null) {
            latest = restoredFrom;
            info = new Info(restoredFrom.lastIndex(), restoredFrom.lastTerm(), store.sizeOf(restoredFrom), 0);
        }
    }

    /** The newest durable snapshot, or null. */
    SnapshotMeta latest() {
        return latest;
    }

    /** For status pages; any thread. */
    Info info() {
        return info;
    }

    SnapshotStore store() {
        return store;
    }

    /** Entries handed to the state machine: counts them towards the threshold. */
    void applied(List<Entry> committed) {
        for (Entry e : committed) bytesSince += e.sizeBytes();
    }

    /** At the end of a turn: takes a snapshot if the threshold is passed and none is being taken. */
    void maybeTake() {
        if (taking) return;
        long applied = applier.appliedIndex();
        long since = applied - latestIndex();
        if (applied < retryAfterIndex || !policy.due(since, bytesSince, stagger)) return;
        take();
    }

    /**
     * Takes a snapshot now (an operator's {@code ballot admin snapshot}); completes with the newest
     * snapshot once it is durable (the one already there if nothing was applied since).
     */
    CompletableFuture<Info> takeNow() {
        CompletableFuture<Info> f = new CompletableFuture<>();
        asked.add(f);
        if (!taking) take();
        return f;
    }

    private long latestIndex() {
        return latest == null ? 0 : latest.lastIndex();
    }

    private void take() {
        taking = true;
        long bytesCounted = bytesSince;
        applier.takeSnapshot((index, snapshot) -> {
            if (snapshot == null || index <= latestIndex() || index < node.firstIndex() - 1) {
                // Nothing new (or the state machine cannot take one yet, or a leader's snapshot replaced it meanwhile).
                if (snapshot != null) snapshot.close();
                taking = false;
                answer(null);
                return;
            }
            SnapshotMeta meta = new SnapshotMeta(index, node.term(index), voters);
            long startedNanos = loop.nanoTime();
            background.execute(() -> {
                Throwable failure = null;
                long size = 0;
                try {
                    store.save(meta, snapshot::writeTo);
                    size = store.sizeOf(meta);
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    snapshot.close();
                }
                Throwable f = failure;
                long s = size;
                loop.execute(() -> written(meta, s, bytesCounted, loop.nanoTime() - startedNanos, f));
            });
        });
    }

    private void written(SnapshotMeta meta, long size, long bytesCounted, long nanos, Throwable failure) {
        taking = false;
        if (failure != null) {
            log.error("node {}: could not write the snapshot up to index {}; the log keeps growing until one can be "
                    + "written", id, meta.lastIndex(), failure);
            retryAfterIndex = applier.appliedIndex() + Math.max(1, policy.entries() / 10);
            answer(failure);
            return;
        }
        log.info("node {}: snapshot up to index {} (term {}) written, {} bytes in {} ms", id, meta.lastIndex(),
                meta.lastTerm(), size, nanos / 1_000_000);
        bytesSince = Math.max(0, bytesSince - bytesCounted);
        stagger = random.nextDouble();
        if (latest == null || meta.lastIndex() > latest.lastIndex()) {
            latest = meta;
            info = new Info(meta.lastIndex(), meta.lastTerm(), size, wallMillis.getAsLong());
            compact(meta.lastIndex() - policy.catchUpEntries());
        }
        loop.endTurnSoon(); // status shows the new snapshot and log start
        answer(null);
    }

    /** Drops the whole segments up to {@code upTo}; the engine stops reading below the new first index at once. */
    private void compact(long upTo) {
        if (upTo < 1) return;
        long first = storage.read((SegmentedLog l) -> l.firstIndexAfterDrop(upTo));
        if (first <= logView.firstIndex()) return;
        logView.compactedTo(first);
        storage.compact(upTo).whenComplete((ok, err) -> {
            if (err != null) loop.execute(() -> onFatal.accept(err));
        });
        log.debug("node {}: log compacted to start at index {}", id, first);
    }

    /** A leader's snapshot was installed here: it is now the newest. */
    void installed(SnapshotMeta meta) {
        latest = meta;
        bytesSince = 0;
        info = new Info(meta.lastIndex(), meta.lastTerm(), store.sizeOf(meta), wallMillis.getAsLong());
    }

    private void answer(Throwable failure) {
        if (asked.isEmpty()) return;
        List<CompletableFuture<Info>> waiting = List.copyOf(asked);
        asked.clear();
        for (CompletableFuture<Info> f : waiting) {
            if (failure == null) f.complete(info); else f.completeExceptionally(failure);
        }
    }

    /** The node stops: operators still waiting hear so. */
    void stop() {
        answer(new RequestFailure(RequestFailure.Kind.SHUTDOWN, 0, "the node stopped before the snapshot was written"));
    }
}
