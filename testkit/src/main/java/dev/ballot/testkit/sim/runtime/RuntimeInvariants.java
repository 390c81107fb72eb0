package dev.ballot.testkit.sim.runtime;

import dev.ballot.node.LogEntryView;
import dev.ballot.node.NodeStatus;
import dev.ballot.raft.Role;


import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Raft's safety properties, checked after every event of a full-runtime run from what the
 * production server shows of itself ({@link dev.ballot.node.RaftServer#status} and its log):
 * <ul>
 *   <li>Election Safety: at most one leader per term, ever;</li>
 *   <li>a node's term never decreases while it runs, and it recovers at least the highest term it
 *       put in a message (sending one promises the term is durable);</li>
 *   <li>within one incarnation the commit index never decreases; applied never passes commit;</li>
 *   <li>State Machine Safety: every entry any node reports committed at an index is the same
 *       entry (term and bytes) as every other node's at that index;</li>
 *   <li>Leader Completeness: when a node is first seen leading a term, its log holds every entry
 *       known committed in an earlier term, anywhere;</li>
 *   <li>applying ({@link ApplyChecks}): each incarnation's state machine gets every committed
 *       command, in log order, once, no further than the commit index, each the entry committed at
 *       its index and already on the node's disk;</li>
 *   <li>exactly once: no client command is committed at two indices (clients send each once;
 *       also {@link ApplyChecks}).</li>
 * </ul>
 * Persist before send and ReadIndex's bound are checked inside the turns, where they happen
 * ({@link PersistBeforeSend}, {@link ReadIndexCheck}).
 */
final class RuntimeInvariants {

    private static final class Watch {
        long term;
        long boot;
        long commit;
        long checkedUpTo;
    }

    private final List<RuntimeNode> nodes;
    private final SimNet net;
    private final NodeEvents events;
    private final Map<Long, Watch> watches = new HashMap<>();
    private final Map<Long, Long> leaderOfTerm = new HashMap<>();
    private final Map<Long, CommittedEntry> committed = new HashMap<>();
    private final ApplyChecks applied = new ApplyChecks(committed::get);
    private long highestCommitted;

    RuntimeInvariants(List<RuntimeNode> nodes, SimNet net, NodeEvents events) {
        this.nodes = nodes;
        this.net = net;
        this.events = events;
    }

    /** Every entry seen committed so far, by index (compaction cannot take them from here). */
    java.util.SortedMap<Long, CommittedEntry> committedEntries() {
        return java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(committed));
    }

    long snapshotRestores() {
        return applied.restores();
    }

    long elections() {
        return leaderOfTerm.size();
    }

    long highestCommitted() {
        return highestCommitted;
    }

    /** Checks every node that is up; throws {@link RuntimeViolation} on the first property broken. */
    void check() {
        for (RuntimeNode n : nodes) {
            if (n.isUp()) check(n);
        }
    }

    private void check(RuntimeNode n) {
        NodeStatus s = n.status();
        Watch w = watches.computeIfAbsent(n.id(), k -> new Watch());
        if (w.boot != n.boots()) { // a new incarnation: it starts again from what it recovered
            w.boot = n.boots();
            w.commit = 0;
            w.checkedUpTo = 0;
            applied.newIncarnation(n.id());
            w.term = 0;
            if (s.term() < net.highestTermSent(n.id())) {
                throw new RuntimeViolation("durable term", "node " + n.id() + " recovered term " + s.term()
                        + " but had sent messages of term " + net.highestTermSent(n.id()));
            }
        }
        if (s.term() < w.term) {
            throw new RuntimeViolation("term went back", "node " + n.id() + " is in term " + s.term()
                    + " after term " + w.term);
        }
        w.term = s.term();
        if (s.role() == Role.LEADER) {
            Long other = leaderOfTerm.putIfAbsent(s.term(), n.id());
            if (other != null && other != n.id()) {
                throw new RuntimeViolation("election safety", "nodes " + other + " and " + n.id()
                        + " both led term " + s.term());
            }
            if (other == null) {
                events.add(n.id(), "leads term " + s.term() + " (log up to " + s.lastLogIndex() + ", commit "
                        + s.commitIndex() + ")");
                checkLeaderCompleteness(n, s.term());
            }
        }
        if (s.commitIndex() < w.commit) {
            throw new RuntimeViolation("commit went back", "node " + n.id() + " commit index " + s.commitIndex()
                    + " after " + w.commit);
        }
        w.commit = s.commitIndex();
        if (s.appliedIndex() > s.commitIndex()) {
            throw new RuntimeViolation("applied past commit", "node " + n.id() + " applied " + s.appliedIndex()
                    + " with commit index " + s.commitIndex());
        }
        if (s.commitIndex() > w.checkedUpTo) checkCommitted(n, w, s.commitIndex());
        applied.check(n.id(), n.drainApplied(), s.commitIndex(), s.appliedIndex());
    }

    private void checkCommitted(RuntimeNode n, Watch w, long commit) {
        long from = Math.max(w.checkedUpTo + 1, n.status().firstLogIndex());
        List<LogEntryView> entries = readLog(n, from, (int) Math.min(commit - from + 1, 4096));
        for (LogEntryView e : entries) {
            if (e.index() > commit) break;
            CommittedEntry c = committed.putIfAbsent(e.index(), new CommittedEntry(e.term(), e.type(), e.data(),
                    n.status().term()));
            if (c == null) applied.newlyCommitted(e.index(), committed.get(e.index()));
            if (c != null && (c.term() != e.term() || !Arrays.equals(c.data(), e.data()))) {
                throw new RuntimeViolation("state machine safety", "node " + n.id() + " has committed entry "
                        + e.index() + " of term " + e.term() + ", another node committed one of term " + c.term()
                        + (c.term() == e.term() ? " with other bytes" : ""));
            }
            w.checkedUpTo = e.index();
            highestCommitted = Math.max(highestCommitted, e.index());
        }
    }

    /** A new leader's log holds every entry committed so far, anywhere (Leader Completeness). */
    private void checkLeaderCompleteness(RuntimeNode n, long term) {
        // Only what was committed in an earlier term binds it: a leader of an old term can still be
        // elected late (its votes were cast long ago) after a later term committed entries.
        long required = 0;
        for (Map.Entry<Long, CommittedEntry> e : committed.entrySet()) {
            if (e.getValue().committedInTerm() < term) required = Math.max(required, e.getKey());
        }
        // What the leader compacted is in its snapshot, a committed prefix it applied (checked apart).
        long from = Math.max(1, n.status().firstLogIndex());
        while (from <= required) {
            List<LogEntryView> entries = readLog(n, from, (int) Math.min(required - from + 1, 4096));
            if (entries.isEmpty() || entries.getFirst().index() != from) {
                throw new RuntimeViolation("leader completeness", "node " + n.id() + " leads term " + term
                        + " but its log lacks entry " + from + ", committed in an earlier term");
            }
            for (LogEntryView e : entries) {
                if (e.index() > required) break;
                CommittedEntry c = committed.get(e.index());
                if (c != null && (c.term() != e.term() || !Arrays.equals(c.data(), e.data()))) {
                    throw new RuntimeViolation("leader completeness", "node " + n.id() + " leads term " + term
                            + " with entry " + e.index() + " of term " + e.term() + " where term " + c.term()
                            + " was committed (known committed in term " + c.committedInTerm() + ")");
                }
                from = e.index() + 1;
            }
        }
    }

    private static List<LogEntryView> readLog(RuntimeNode n, long from, int limit) {
        @SuppressWarnings("unchecked") List<LogEntryView>[] out = new List[1];
        n.loop().inspect(() -> out[0] = n.server().log(from, limit));
        return out[0];
    }
}
