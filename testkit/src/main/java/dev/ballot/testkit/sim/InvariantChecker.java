package dev.ballot.testkit.sim;

import dev.ballot.raft.Entry;
import dev.ballot.raft.EntryType;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;
import dev.ballot.raft.ReadState;
import dev.ballot.raft.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.function.Supplier;

/**
 * Checks the safety properties of Raft (paper, Figure 3) and the persistence contract after every
 * event, over all nodes and all time. Each check costs O(1) per event or O(1) per new log entry:
 *
 * <ul>
 *   <li><b>Election Safety</b>: at most one leader per term, ever (the leader of every term is remembered).</li>
 *   <li><b>Leader Append-Only</b>: while a node leads a term its log only grows, its last entry never
 *       changes, it never truncates its durable log and it only creates entries of its own term.</li>
 *   <li><b>Log Matching</b>: two logs holding an entry with the same index and term are identical up to
 *       it. Every durable log keeps a rolling prefix hash; the first hash seen for (index, term) is
 *       remembered and every later one must equal it.</li>
 *   <li><b>Leader Completeness</b>: an entry committed in term t is in the log of every leader of a
 *       term &gt; t (checked when a leader is first seen, and for the current leaders whenever the
 *       committed frontier grows).</li>
 *   <li><b>State Machine Safety</b>: no two nodes commit or apply different entries at one index
 *       (a global index → entry map), and no command is applied more often than it was proposed.</li>
 *   <li>Monotonicity: a node's term never decreases (across restarts, against the durable term), its
 *       commit index never decreases while up nor below the durable one at restart.</li>
 *   <li>Applying: entries are applied exactly in order 1..k with k &lt;= commitIndex, only once durable,
 *       and the engine's applied index matches.</li>
 *   <li>Persist before send: no message claims a term, vote or log entry that is not yet durable.</li>
 *   <li><b>Linearizable reads</b> (ReadIndex): a read released by a node is one that node accepted
 *       in its current incarnation, released once, at an index at least as high as every index
 *       committed anywhere in the cluster when the read was asked for, and not beyond the node's
 *       own commit index.</li>
 * </ul>
 */
public final class InvariantChecker {

    private record IndexTerm(long index, long term) {}

    /** A read accepted by {@code node} when {@code committed} was the highest index committed anywhere. */
    private record PendingRead(long node, long term, long committed) {}

    private static final class Watch {
        long term;
        long commit;
        long leaderTerm;
        long leaderLast;
        long leaderLastTerm;
    }

    private final List<? extends NodeView> nodes;
    private final Map<Long, Watch> watches = new HashMap<>();
    private final Map<Long, Long> leaderOfTerm = new HashMap<>();
    /** Term of the committed entry at index i (position i-1). */
    private final LongList committedEntryTerm = new LongList();
    /** Term of the node that first reported index i committed (position i-1): it was committed by then. */
    private final LongList committedInTerm = new LongList();
    private final List<Entry> appliedLog = new ArrayList<>();
    private final Map<String, Integer> proposedCount = new HashMap<>();
    private final Map<String, Integer> appliedCount = new HashMap<>();
    private final Map<IndexTerm, Long> prefixHashes = new HashMap<>();
    private final Map<Long, PendingRead> pendingReads = new HashMap<>();
    private final Set<Long> releasedReads = new HashSet<>();
    private long maxTerm;

    /** @param nodes every node of the cluster (up or down), consulted for Leader Completeness */
    public InvariantChecker(List<? extends NodeView> nodes) {
        this.nodes = List.copyOf(nodes);
        for (NodeView n : nodes) watches.put(n.id(), new Watch());
    }

    // ---------------------------------------------------------------- after every event on a node

    /** Checks one node after an event that touched it. */
    public void afterEvent(NodeView n) {
        if (!n.isUp()) return;
        Watch w = watch(n);
        long term = n.currentTerm();
        if (term < w.term) violate("Term monotonicity", () -> node(n) + " went from term " + w.term + " to " + term);
        w.term = term;
        maxTerm = Math.max(maxTerm, term);
        long commit = n.commitIndex();
        if (commit < w.commit) {
            violate("Commit monotonicity", () -> node(n) + " moved its commit index back from " + w.commit + " to " + commit);
        }
        long last = n.lastIndex();
        if (commit > last) violate("Commit beyond log", () -> node(n) + " has commit " + commit + " but last index " + last);
        if (commit > w.commit) {
            commitAdvanced(n, commit, term);
            w.commit = commit;
        }
        long applied = n.appliedIndex();
        if (applied > commit) violate("Applied beyond commit", () -> node(n) + " applied " + applied + " > commit " + commit);
        if (n.role() == Role.LEADER) {
            checkLeader(n, w, term);
        } else {
            w.leaderTerm = 0;
        }
    }

    private void commitAdvanced(NodeView n, long to, long term) {
        int global = committedEntryTerm.size();
        long overlap = Math.min(to, global);
        if (overlap > 0) {
            long t = n.term(overlap);
            long expected = committedEntryTerm.get((int) overlap - 1);
            if (t != expected) {
                violate("State Machine Safety", () -> node(n) + " has committed index " + overlap + " with term " + t
                        + " but that index was committed with term " + expected);
            }
        }
        for (long i = global + 1; i <= to; i++) {
            long t = n.term(i);
            committedEntryTerm.add(t);
            committedInTerm.add(term);
            checkCurrentLeadersHold(i, t, term);
        }
    }

    /** Leader Completeness for leaders already in office when index i (term t) became known committed in commitTerm. */
    private void checkCurrentLeadersHold(long i, long t, long commitTerm) {
        for (NodeView l : nodes) {
            if (!l.isUp() || l.role() != Role.LEADER) continue;
            long lt = l.currentTerm();
            if (lt <= commitTerm) continue;
            if (l.lastIndex() < i || l.term(i) != t) {
                violate("Leader Completeness", () -> node(l) + " leads term " + lt + " but lacks entry " + i + "@" + t
                        + " committed in term " + commitTerm + " (its log has " + describeAt(l, i) + ")");
            }
        }
    }

    private void checkLeader(NodeView n, Watch w, long term) {
        if (w.leaderTerm != term) {
            Long previous = leaderOfTerm.putIfAbsent(term, n.id());
            if (previous != null && previous != n.id()) {
                violate("Election Safety", () -> "nodes " + previous + " and " + n.id() + " were both leader of term " + term);
            }
            // Every entry committed in a term before this one must be in the new leader's log. By Log
            // Matching it suffices to look at the highest such index.
            int j = committedInTerm.size();
            while (j >= 1 && committedInTerm.get(j - 1) >= term) j--;
            if (j >= 1) {
                long i = j;
                long t = committedEntryTerm.get(j - 1);
                if (n.lastIndex() < i || n.term(i) != t) {
                    violate("Leader Completeness", () -> node(n) + " became leader of term " + term + " without committed entry "
                            + i + "@" + t + " (its log has " + describeAt(n, i) + ")");
                }
            }
            w.leaderTerm = term;
        } else {
            long prevLast = w.leaderLast;
            long prevTerm = w.leaderLastTerm;
            if (n.lastIndex() < prevLast || n.term(prevLast) != prevTerm) {
                violate("Leader Append-Only", () -> node(n) + " is leader of term " + term + " and had entry " + prevLast + "@"
                        + prevTerm + ", now its log has " + describeAt(n, prevLast));
            }
        }
        w.leaderLast = n.lastIndex();
        w.leaderLastTerm = n.term(w.leaderLast);
    }

    // ---------------------------------------------------------------- Ready processing

    /**
     * After {@code entries} of a Ready produced in {@code role} and {@code term} were written to the
     * node's durable store, which held entries up to {@code previousLast} before.
     */
    public void onPersisted(NodeView n, List<Entry> entries, long previousLast, Role role, long term) {
        if (entries.isEmpty()) return;
        long first = entries.get(0).index();
        if (role == Role.LEADER) {
            if (first != previousLast + 1) {
                violate("Leader Append-Only", () -> node(n) + " as leader of term " + term + " rewrote its durable log from index "
                        + first + " (it held up to " + previousLast + ")");
            }
            for (Entry e : entries) {
                if (e.term() != term) {
                    violate("Leader Append-Only", () -> node(n) + " as leader of term " + term + " appended " + e);
                }
            }
        }
        DurableStore store = n.store();
        for (Entry e : entries) {
            long h = store.prefixHash(e.index());
            Long seen = prefixHashes.putIfAbsent(new IndexTerm(e.index(), e.term()), h);
            if (seen != null && seen != h) {
                violate("Log Matching", () -> node(n) + " holds entry " + e.index() + "@" + e.term()
                        + " like an earlier log, but the logs differ at or before index " + e.index());
            }
        }
    }

    /** Before a message of a Ready is sent: everything it promises must already be durable. */
    public void onSend(NodeView n, Message m) {
        if (m.from() != n.id()) violate("Message sender", () -> node(n) + " sent a message from " + m.from() + ": " + m);
        HardState hs = n.store().hardState();
        boolean preVote = (m instanceof Message.RequestVote v && v.preVote())
                || (m instanceof Message.RequestVoteResponse r && r.preVote());
        if (!preVote && m.term() > hs.currentTerm()) {
            violate("Persist before send", () -> node(n) + " sent " + m + " but its durable term is " + hs.currentTerm());
        }
        // A message of an older term than the durable one is stale (the node moved on before the
        // Ready was carried out); the durable term alone keeps it from acting in that term again.
        if (m.term() != hs.currentTerm()) return;
        switch (m) {
            case Message.RequestVote v when !v.preVote() && hs.votedFor() != n.id() ->
                    violate("Persist before send", () -> node(n) + " campaigns with " + v + " but its durable state is " + hs);
            case Message.RequestVoteResponse r when r.voteGranted() && !r.preVote() && hs.votedFor() != r.to() ->
                    violate("Persist before send", () -> node(n) + " grants " + r + " but its durable state is " + hs);
            case Message.AppendEntriesResponse r when r.success() && r.matchIndex() > n.store().lastIndex() ->
                    violate("Persist before send", () -> node(n) + " acknowledges " + r + " but its durable log ends at "
                            + n.store().lastIndex());
            // Entries sent must be durable, with one exception: a leader may send entries its own disk
            // does not hold yet (thesis §10.2.1; the Ready policy sends AppendEntries before the leader's
            // fsync), because it counts its own copy only once durable. It must hold them in its log.
            case Message.AppendEntries a when !a.entries().isEmpty() -> {
                Entry last = a.entries().get(a.entries().size() - 1);
                boolean durable = n.store().termAt(last.index()) == last.term();
                boolean leaderOwnLog = n.role() == Role.LEADER && n.lastIndex() >= last.index()
                        && n.term(last.index()) == last.term();
                if (!durable && !leaderOwnLog) {
                    violate("Persist before send", () -> node(n) + " (" + n.role() + ") sends entries up to " + last
                            + " that are neither durable nor, as leader, in its log (" + n.store() + ")");
                }
            }
            default -> { }
        }
    }

    /** Before the node's state machine applies {@code e}. */
    public void onApplied(NodeView n, Entry e) {
        long expected = n.stateMachineIndex() + 1;
        if (e.index() != expected) {
            violate("Applied is a prefix of committed", () -> node(n) + " applied " + e + " but expected index " + expected);
        }
        if (e.index() > n.commitIndex()) {
            violate("Applied beyond commit", () -> node(n) + " applied " + e + " with commit index " + n.commitIndex());
        }
        if (n.store().termAt(e.index()) != e.term()) {
            violate("Apply before persist", () -> node(n) + " applied " + e + " which is not durable (" + n.store() + ")");
        }
        int i = (int) e.index();
        if (i <= committedEntryTerm.size() && committedEntryTerm.get(i - 1) != e.term()) {
            violate("State Machine Safety", () -> node(n) + " applied " + e + " but index " + i + " was committed with term "
                    + committedEntryTerm.get(i - 1));
        }
        if (i <= appliedLog.size()) {
            Entry other = appliedLog.get(i - 1);
            if (!other.equals(e)) {
                violate("State Machine Safety", () -> node(n) + " applied " + e + " at index " + i + " where another node applied "
                        + other);
            }
            return;
        }
        appliedLog.add(e);
        if (e.type() == EntryType.COMMAND) {
            String command = command(e.data());
            int applied = appliedCount.merge(command, 1, Integer::sum);
            int proposed = proposedCount.getOrDefault(command, 0);
            if (applied > proposed) {
                violate("State Machine Safety (exactly once)", () -> "command '" + command + "' is applied at index " + i
                        + "; it was proposed " + proposed + " time(s) and is now applied " + applied + " time(s)");
            }
        }
    }

    /**
     * Before node {@code n} replaces its state machine with a snapshot of {@code entries} (index i
     * at position i-1): a snapshot holds exactly what was committed and applied at those indices,
     * and only moves a state machine forward.
     */
    public void onSnapshotInstalled(NodeView n, List<Entry> entries) {
        long index = entries.size();
        if (index <= n.stateMachineIndex()) {
            violate("Snapshot", () -> node(n) + " installs a snapshot up to " + index + " over a state machine at "
                    + n.stateMachineIndex());
        }
        if (index > committedEntryTerm.size()) {
            violate("Snapshot", () -> node(n) + " installs a snapshot up to " + index + " but only "
                    + committedEntryTerm.size() + " entries were ever committed");
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            int at = i + 1;
            if (e.index() != at || (i < appliedLog.size() && !appliedLog.get(i).equals(e))
                    || committedEntryTerm.get(i) != e.term()) {
                violate("State Machine Safety (snapshot)", () -> node(n) + " installs a snapshot holding " + e
                        + " at position " + at + ", where " + (at <= appliedLog.size() ? appliedLog.get(at - 1)
                        : "term " + committedEntryTerm.get(at - 1)) + " was committed");
            }
        }
    }

    /**
     * After {@code advance}: the engine's bookkeeping matches what the runtime did. With
     * {@code synchronous} (nothing happened between ready and advance) its log must also end where
     * the durable log ends.
     */
    public void afterAdvance(NodeView n, boolean synchronous) {
        afterAdvance(n, synchronous, true);
    }

    /**
     * After a Ready was advanced. The runtime applies a Ready's committed entries as soon as it takes
     * the Ready (they were made durable by earlier ones), so with Readies still in flight the state
     * machine may be ahead of the engine's applied index, never behind; with none in flight the two
     * agree.
     */
    public void afterAdvance(NodeView n, boolean synchronous, boolean noneInFlight) {
        if (noneInFlight ? n.appliedIndex() != n.stateMachineIndex() : n.appliedIndex() > n.stateMachineIndex()) {
            violate("Applied index", () -> node(n) + " reports applied index " + n.appliedIndex() + " after advance, but "
                    + n.stateMachineIndex() + " entries were applied");
        }
        if (!synchronous) return;
        DurableStore s = n.store();
        long sl = s.lastIndex();
        if (n.lastIndex() < sl || n.term(sl) != s.termAt(sl)) {
            violate("Ready contract", () -> node(n) + " after advance has log up to " + n.lastIndex() + " but its durable log is "
                    + s);
        }
    }

    /** A leader accepted a proposal of {@code data}. */
    public void onProposed(byte[] data) {
        proposedCount.merge(command(data), 1, Integer::sum);
    }

    public void onCrash(NodeView n) {
        watch(n).leaderTerm = 0;
        // A crash loses the reads the node had accepted; they are never released.
        pendingReads.values().removeIf(r -> r.node() == n.id());
    }

    // ---------------------------------------------------------------- reads

    /**
     * Node {@code n} (up) accepted a read with {@code context} (unique in the run): remembers what
     * was committed anywhere at this moment, which the read must see.
     */
    public void onReadRequested(NodeView n, long context) {
        if (pendingReads.containsKey(context) || releasedReads.contains(context)) {
            throw new IllegalArgumentException("read context " + context + " was used before");
        }
        pendingReads.put(context, new PendingRead(n.id(), n.currentTerm(), committedIndex()));
    }

    /** Node {@code n} hands out {@code read} to be served once its state machine reaches the read's index. */
    public void onReadReleased(NodeView n, ReadState read) {
        PendingRead p = pendingReads.remove(read.context());
        if (p == null) {
            violate("Linearizable read", () -> node(n) + " released " + read + (releasedReads.contains(read.context())
                    ? ", which was released before" : ", which it never accepted (or accepted before a crash)"));
        } else if (p.node() != n.id()) {
            violate("Linearizable read", () -> node(n) + " released " + read + ", which node " + p.node() + " accepted");
        } else if (read.index() < p.committed()) {
            violate("Linearizable read", () -> node(n) + " released " + read + " (accepted as leader of term " + p.term()
                    + ") but index " + p.committed() + " was already committed when the read was asked for: the read"
                    + " would miss a completed write");
        } else if (read.index() > n.commitIndex()) {
            violate("Linearizable read", () -> node(n) + " released " + read + " beyond its commit index "
                    + n.commitIndex());
        }
        releasedReads.add(read.context());
    }

    /** True once the read with {@code context} was released (by the node that accepted it). */
    public boolean readReleased(long context) {
        return releasedReads.contains(context);
    }

    /** Reads released so far. */
    public long readsReleased() {
        return releasedReads.size();
    }

    /** After a node booted from its durable store. */
    public void onBoot(NodeView n) {
        Watch w = watch(n);
        HardState hs = n.store().hardState();
        if (n.currentTerm() < hs.currentTerm()) {
            violate("Term monotonicity", () -> node(n) + " booted in term " + n.currentTerm() + " but its durable term is "
                    + hs.currentTerm());
        }
        if (n.commitIndex() < hs.commitIndex()) {
            violate("Commit monotonicity", () -> node(n) + " booted with commit " + n.commitIndex() + " below its durable "
                    + hs.commitIndex());
        }
        if (n.appliedIndex() != n.stateMachineIndex()) {
            violate("Applied index", () -> node(n) + " booted with applied index " + n.appliedIndex()
                    + " but its state machine was restored to " + n.stateMachineIndex());
        }
        if (n.commitIndex() > committedEntryTerm.size()) {
            violate("Commit monotonicity", () -> node(n) + " booted with commit " + n.commitIndex()
                    + " but no node ever committed beyond " + committedEntryTerm.size());
        }
        w.term = n.currentTerm();
        w.commit = 0;
        w.leaderTerm = 0;
        afterEvent(n);
    }

    // ---------------------------------------------------------------- queries

    /** Distinct terms that had a leader. */
    public int elections() {
        return leaderOfTerm.size();
    }

    /** The leader of {@code term}, or 0 if none was seen. */
    public long leaderOfTerm(long term) {
        return leaderOfTerm.getOrDefault(term, 0L);
    }

    public long maxTerm() {
        return maxTerm;
    }

    /** Highest index known committed by any node, ever. */
    public long committedIndex() {
        return committedEntryTerm.size();
    }

    /** Every entry applied by any node, by index (index i at position i-1). */
    public List<Entry> appliedLog() {
        return Collections.unmodifiableList(appliedLog);
    }

    // ---------------------------------------------------------------- helpers

    private Watch watch(NodeView n) {
        Watch w = watches.get(n.id());
        if (w == null) throw new IllegalArgumentException("unknown node " + n.id());
        return w;
    }

    private static String node(NodeView n) {
        return "node " + n.id();
    }

    private static String describeAt(NodeView n, long i) {
        return n.lastIndex() < i ? "last index " + n.lastIndex() : "term " + n.term(i) + " at " + i;
    }

    private static String command(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1);
    }

    private static void violate(String invariant, Supplier<String> detail) {
        throw new InvariantViolation(invariant, detail.get());
    }
}
