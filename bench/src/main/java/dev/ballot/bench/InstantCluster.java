package dev.ballot.bench;

import dev.ballot.raft.Config;
import dev.ballot.raft.Entry;
import dev.ballot.raft.EntryType;
import dev.ballot.raft.HardState;
import dev.ballot.raft.LogStorage;
import dev.ballot.raft.MemoryLogStorage;
import dev.ballot.raft.ProgressView;
import dev.ballot.raft.Message;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.Ready;
import dev.ballot.raft.Role;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * A cluster of {@link RaftNode}s over in-memory logs ({@link MemoryLogStorage}, or
 * {@link CompactingLogStorage} when asked to compact) and an instant, lossless, in-order network, driven by the calling thread alone. No I/O, no clock, no threads: what it measures is
 * the engine plus the cheapest possible runtime around it.
 *
 * <p>Node ids are {@code 1..n}; node {@code i} lives at array slot {@code i - 1}. The runtime
 * follows the {@link Ready} contract: append entries, keep the hard state, queue the messages,
 * apply committed entries, advance. "Applying" counts commands and their bytes, which is what
 * {@link #appliedCommands(long)} reports and the benchmark verifies.
 *
 * <p>Not thread-safe; one instance per benchmark thread.
 */
public final class InstantCluster {

    private final RaftNode[] nodes;
    private final LogStorage[] stores;
    private final boolean compacting;
    private long compactedTo;
    private final HardState[] hardStates;
    private final long[] appliedCommands;
    private final long[] appliedBytes;
    private final ArrayDeque<Message> network = new ArrayDeque<>();
    private long readiesHandled;
    private long messagesDelivered;

    /**
     * A fresh cluster of nodes {@code 1..size}, each configured by {@code config} applied to
     * {@link Config#of}. With {@code compacting}, every node's log is a {@link CompactingLogStorage}
     * that {@link #compactIfAbove(long)} trims; otherwise a plain {@link MemoryLogStorage}.
     */
    public InstantCluster(int size, long seed, UnaryOperator<Config> config, boolean compacting) {
        this.compacting = compacting;
        Set<Long> voters = new HashSet<>();
        for (long id = 1; id <= size; id++) voters.add(id);
        nodes = new RaftNode[size];
        stores = new LogStorage[size];
        hardStates = new HardState[size];
        appliedCommands = new long[size];
        appliedBytes = new long[size];
        for (int i = 0; i < size; i++) {
            long id = i + 1;
            stores[i] = compacting ? new CompactingLogStorage() : new MemoryLogStorage();
            hardStates[i] = HardState.INITIAL;
            nodes[i] = new RaftNode(config.apply(Config.of(id, voters)), stores[i], HardState.INITIAL,
                    new SplittableRandom(seed * 31 + id));
        }
    }

    /**
     * Ticks every node until one is leader and every node knows it, then drains all traffic.
     * Returns the leader.
     *
     * @throws IllegalStateException if no leader emerges within {@code maxTicks}
     */
    public RaftNode electLeader(int maxTicks) {
        for (int t = 0; t < maxTicks; t++) {
            for (RaftNode n : nodes) n.tick();
            quiesce();
            RaftNode leader = leader();
            if (leader != null && allFollow(leader)) return leader;
        }
        throw new IllegalStateException("no leader after " + maxTicks + " ticks");
    }

    /** The single leader of the highest term, or null. */
    public RaftNode leader() {
        RaftNode best = null;
        for (RaftNode n : nodes) {
            if (n.role() == Role.LEADER && (best == null || n.currentTerm() > best.currentTerm())) best = n;
        }
        return best;
    }

    private boolean allFollow(RaftNode leader) {
        for (RaftNode n : nodes) {
            if (n.leaderId() != leader.id() || n.currentTerm() != leader.currentTerm()) return false;
        }
        return true;
    }

    /**
     * Drives readies and message delivery until {@code node} has applied {@code index}. Traffic
     * still in flight at that moment (acknowledgements, commit notices to followers) stays queued
     * and is handled by the next call, as in a pipelined runtime.
     *
     * @throws IllegalStateException if the cluster goes quiet before that
     */
    public void driveUntilApplied(RaftNode node, long index) {
        while (node.appliedIndex() < index) {
            boolean progressed = false;
            for (int i = 0; i < nodes.length; i++) {
                RaftNode n = nodes[i];
                while (n.hasReady()) {
                    handleReady(i, n);
                    progressed = true;
                    if (n == node && node.appliedIndex() >= index) return;
                }
            }
            Message m;
            while ((m = network.poll()) != null) {
                nodes[(int) m.to() - 1].step(m);
                messagesDelivered++;
                progressed = true;
            }
            if (!progressed) {
                throw new IllegalStateException("cluster went quiet with node " + node.id() + " applied at "
                        + node.appliedIndex() + ", waiting for " + index);
            }
        }
    }

    /** Drives readies and message delivery until no node has anything left to do. */
    public void quiesce() {
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (int i = 0; i < nodes.length; i++) {
                RaftNode n = nodes[i];
                while (n.hasReady()) {
                    handleReady(i, n);
                    progressed = true;
                }
            }
            Message m;
            while ((m = network.poll()) != null) {
                nodes[(int) m.to() - 1].step(m);
                messagesDelivered++;
                progressed = true;
            }
        }
    }

    /**
     * With compacting storage, drops the log prefix once more than {@code retained} entries are
     * held beyond the last compaction: everything every node has applied and the leader knows
     * every follower holds (so no follower can need it again). A no-op over MemoryLogStorage.
     */
    public void compactIfAbove(long retained) {
        if (!compacting) return;
        RaftNode leader = leader();
        if (leader == null || leader.appliedIndex() - compactedTo <= retained) return;
        long safe = Long.MAX_VALUE;
        for (RaftNode n : nodes) {
            safe = Math.min(safe, n.appliedIndex());
            if (n != leader) {
                ProgressView pr = leader.progress(n.id());
                safe = Math.min(safe, pr == null ? 0 : pr.matchIndex());
            }
        }
        for (int i = 0; i < stores.length; i++) {
            // Only persisted entries can be compacted; the engine may hold newer ones unstable.
            ((CompactingLogStorage) stores[i]).compactTo(Math.min(safe, stores[i].lastIndex()));
        }
        compactedTo = safe;
    }

    /** The Ready contract, in order: persist entries and hard state, send, apply, advance. */
    private void handleReady(int slot, RaftNode n) {
        Ready r = n.ready();
        stores[slot].append(r.entries());
        if (r.hardState() != null) hardStates[slot] = r.hardState();
        network.addAll(r.messages());
        List<Entry> committed = r.committedEntries();
        long commands = 0;
        long bytes = 0;
        for (int k = 0, size = committed.size(); k < size; k++) {
            Entry e = committed.get(k);
            if (e.type() == EntryType.COMMAND) {
                commands++;
                bytes += e.data().length;
            }
        }
        appliedCommands[slot] += commands;
        appliedBytes[slot] += bytes;
        n.advance(r);
        readiesHandled++;
    }

    public int size() {
        return nodes.length;
    }

    public RaftNode node(long id) {
        return nodes[(int) id - 1];
    }

    public LogStorage storage(long id) {
        return stores[(int) id - 1];
    }

    public HardState persistedHardState(long id) {
        return hardStates[(int) id - 1];
    }

    /** Commands node {@code id} has applied (no-ops excluded). */
    public long appliedCommands(long id) {
        return appliedCommands[(int) id - 1];
    }

    /** Payload bytes of the commands node {@code id} has applied. */
    public long appliedBytes(long id) {
        return appliedBytes[(int) id - 1];
    }

    public long readiesHandled() {
        return readiesHandled;
    }

    public long messagesDelivered() {
        return messagesDelivered;
    }

    public int messagesInFlight() {
        return network.size();
    }
}
