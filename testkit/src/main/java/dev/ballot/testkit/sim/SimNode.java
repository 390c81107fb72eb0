package dev.ballot.testkit.sim;

import dev.ballot.node.ReadyPipeline;
import dev.ballot.raft.HardState;

import dev.ballot.raft.Config;
import dev.ballot.raft.Entry;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.Ready;
import dev.ballot.raft.Role;
import dev.ballot.raft.SnapshotMetadata;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One simulated server: a {@link DurableStore} that survives crashes, and while up an engine and an
 * in-memory state machine (the list of applied entries) that do not. Every boot builds a new
 * {@link RaftNode} from the durable store, so everything that was never persisted is gone.
 */
public final class SimNode implements NodeView {

    private final long id;
    private final Config config;
    private final DurableStore store;
    private RaftNode engine;
    private int incarnation;
    private int boots;
    private boolean readyScheduled;
    /** Asynchronous mode: Readies taken and not yet carried out, oldest first (persisted in this order). */
    private final ArrayDeque<Taken> inFlight = new ArrayDeque<>();
    /** Asynchronous mode: a write of the oldest in-flight Readies is scheduled. */
    private boolean persistScheduled;
    private ReadyPipeline pipeline;
    private final List<Entry> applied = new ArrayList<>();
    /** Snapshots leaders streamed to this incarnation (the runtime's received files), by what they cover. */
    private final Map<SnapshotMetadata, DurableStore.Snapshot> received = new HashMap<>();
    /** The newest of them. */
    private DurableStore.Snapshot newestReceived;

    SimNode(Config config) {
        this.id = config.id();
        this.config = config;
        this.store = new DurableStore(id);
    }

    @Override
    public long id() {
        return id;
    }

    public Config config() {
        return config;
    }

    @Override
    public DurableStore store() {
        return store;
    }

    @Override
    public boolean isUp() {
        return engine != null;
    }

    /** The running engine. */
    public RaftNode engine() {
        if (engine == null) throw new IllegalStateException("node " + id + " is down");
        return engine;
    }

    /** Changes at every boot and crash; events of an older incarnation are void. */
    public int incarnation() {
        return incarnation;
    }

    /** How many times this node has booted (1 after the initial start). */
    public int boots() {
        return boots;
    }

    /** Entries applied to the state machine since the last boot, in index order (index i at position i-1). */
    public List<Entry> applied() {
        return Collections.unmodifiableList(applied);
    }

    void boot(RandomGenerator random) {
        if (engine != null) throw new IllegalStateException("node " + id + " is already up");
        store.reopenDisk();
        engine = new RaftNode(config, store.engineLog(), store.hardState(), store.snapshotIndex(), random);
        incarnation++;
        boots++;
        readyScheduled = false;
        inFlight.clear();
        persistScheduled = false;
        applied.clear();
        received.clear();
        newestReceived = null;
        // The state machine starts from the newest snapshot, as a restarting server's does.
        if (store.snapshot() != null) applied.addAll(store.snapshot().entries());
    }

    void crash() {
        if (engine == null) throw new IllegalStateException("node " + id + " is already down");
        engine = null;
        pipeline = null;
        incarnation++;
        readyScheduled = false;
        inFlight.clear();
        persistScheduled = false;
        applied.clear();
        received.clear();
        newestReceived = null;
    }

    void apply(Entry e) {
        applied.add(e);
    }

    /** A leader's snapshot arrived whole (the runtime's temporary file). */
    void received(DurableStore.Snapshot s) {
        received.put(s.meta(), s);
        if (newestReceived == null || s.meta().lastIncludedIndex() > newestReceived.meta().lastIncludedIndex()) {
            newestReceived = s;
        }
    }

    /** The snapshot the engine refers to in {@code Ready.snapshot}; it must be the one received. */
    DurableStore.Snapshot receivedSnapshot(SnapshotMetadata meta) {
        DurableStore.Snapshot s = received.get(meta);
        if (s == null) {
            throw new IllegalStateException("node " + id + " is asked to install " + meta + " but received only "
                    + received.keySet());
        }
        return s;
    }

    /** Installing a snapshot: the state machine becomes the snapshot's. */
    void restoreStateMachine(DurableStore.Snapshot s) {
        applied.clear();
        applied.addAll(s.entries());
    }

    /** The committed entry at {@code index}: from the engine's log, or from the snapshot below it. */
    public Entry entry(long index) {
        RaftNode e = engine();
        if (index >= e.firstIndex()) return e.entries(index, index + 1).getFirst();
        return compacted(index);
    }

    /**
     * An entry below the engine's log: the state machine applied it (a snapshot covers only applied
     * entries), unless it belongs to a snapshot accepted but not yet installed, which was received.
     */
    private Entry compacted(long index) {
        return index <= applied.size() ? applied.get((int) index - 1) : newestReceived.entries().get((int) index - 1);
    }

    boolean readyScheduled() {
        return readyScheduled;
    }

    void setReadyScheduled(boolean scheduled) {
        readyScheduled = scheduled;
    }

    /**
     * A write the Ready pipeline asked for and the simulated disk has not finished: taken in
     * {@code term} by a node in {@code role}; {@code durable} tells the pipeline it is done.
     */
    record Taken(Ready ready, List<Entry> entries, HardState hardState, Runnable durable, Role role, long term) {}

    /** Asynchronous mode: a write to finish after those asked for before it. */
    void addInFlight(Taken write) {
        inFlight.addLast(write);
    }

    /** The oldest write not yet done, removed; null if none. */
    Taken pollInFlight() {
        return inFlight.pollFirst();
    }

    /** The Ready policy of the production runtime, this incarnation's (set at boot). */
    ReadyPipeline pipeline() {
        return pipeline;
    }

    void setPipeline(ReadyPipeline pipeline) {
        this.pipeline = pipeline;
    }

    int inFlightCount() {
        return inFlight.size();
    }

    boolean persistScheduled() {
        return persistScheduled;
    }

    void setPersistScheduled(boolean scheduled) {
        persistScheduled = scheduled;
    }

    @Override
    public Role role() {
        return engine().role();
    }

    @Override
    public long currentTerm() {
        return engine().currentTerm();
    }

    @Override
    public long commitIndex() {
        return engine().commitIndex();
    }

    @Override
    public long appliedIndex() {
        return engine().appliedIndex();
    }

    @Override
    public long lastIndex() {
        return engine().lastIndex();
    }

    @Override
    public long term(long index) {
        if (index == 0) return 0;
        RaftNode e = engine();
        // Below the log's start the entries are in the snapshot (compacted, hence committed).
        return index >= e.firstIndex() - 1 ? e.term(index) : compacted(index).term();
    }

    @Override
    public long stateMachineIndex() {
        return applied.size();
    }

    /** One line of state for failure messages and verbose output. */
    public String describe() {
        if (engine == null) return "n" + id + " DOWN | " + store;
        RaftNode e = engine;
        return "n" + id + " " + e.role() + " term " + e.currentTerm() + " vote " + e.votedFor() + " leader "
                + e.leaderId() + " commit " + e.commitIndex() + " applied " + e.appliedIndex() + " last "
                + e.lastIndex() + "@" + e.lastTerm() + " | " + store;
    }
}
