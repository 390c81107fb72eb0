package dev.ballot.raft;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader's side of log replication (paper §5.3, §5.4.2): one {@link Progress} per voter
 * (Figure 2's nextIndex and matchIndex, plus etcd's probe/replicate flow control), sending
 * AppendEntries and heartbeats, handling their answers, moving commitIndex, and check-quorum.
 *
 * <p>Part of one {@link RaftNode}. Its state means something only while that node leads in its
 * current term: {@link #becomeLeader()} starts it afresh, {@link #reset()} drops it. Heartbeats also
 * carry the ReadIndex rounds (thesis §6.4), so the answers to them confirm reads here.
 */
final class LeaderReplication {

    private final RaftNode node;
    private final RaftLog log;
    private final Quorum quorum;
    private final ReadIndexQueue reads;
    /** The node's confirmed reads, waiting for the next Ready. */
    private final List<ReadState> readStates;
    /** One Progress per voter, this node's own included (it counts towards commit). Sorted: sends are deterministic. */
    private final Map<Long, Progress> progress = new TreeMap<>();
    /** Proposals or a new commit index wait here until the next ready(), so one turn sends one batch. */
    private boolean broadcastPending;

    LeaderReplication(RaftNode node, ReadIndexQueue reads, List<ReadState> readStates) {
        this.node = node;
        this.log = node.log;
        this.quorum = node.quorum;
        this.reads = reads;
        this.readStates = readStates;
    }

    /** Leadership lost: nothing of it survives. */
    void reset() {
        progress.clear();
        reads.reset();
        broadcastPending = false;
    }

    /** Leadership gained: fresh bookkeeping for every voter; reads of an earlier reign are gone. */
    void becomeLeader() {
        progress.clear();
        reads.reset();
        for (long voter : node.config.voters()) {
            // Paper: nextIndex initialized to leader's last log index + 1, matchIndex to 0.
            progress.put(voter, new Progress(voter, log.lastIndex() + 1, node.config.maxInflightMessages()));
        }
        Progress self = progress.get(node.id);
        self.maybeUpdate(log.stableIndex());
        self.becomeReplicate();
        self.setRecentActive(true);
    }

    /** New entries or a new commit index: send them with the next Ready, one batch per turn. */
    void scheduleBroadcast() {
        broadcastPending = true;
    }

    /** True if the next Ready has AppendEntries or read-round heartbeats to send. */
    boolean hasPending() {
        return broadcastPending || reads.roundOpen();
    }

    /** Called by ready(): sends what was scheduled, and a heartbeat round for reads asked for since the last. */
    void sendPending() {
        if (broadcastPending) broadcastAppend();
        broadcastPending = false;
        if (reads.roundOpen()) {
            broadcastHeartbeat(); // confirms leadership for the reads asked for since the last round
        }
    }

    /** The leader's own log is durable up to {@code stableIndex}; only now does its copy count (thesis §10.2.1). */
    void ownCopyPersisted(long stableIndex) {
        progress.get(node.id).maybeUpdate(stableIndex);
        if (maybeCommit()) committed();
    }

    // ---------------------------------------------------------------------------------------------
    // Answers from followers
    // ---------------------------------------------------------------------------------------------

    /**
     * Rule (§5.3): a success moves matchIndex (and nextIndex) up and may commit; a probed follower
     * whose success shows where the logs agree goes back to REPLICATE, also when it only confirms
     * matchIndex (probe recovery, {@link Progress#probeMatchedAt}). A rejection moves nextIndex back
     * as the follower's hint says (fast backtracking) and probes from there.
     */
    void handleAppendEntriesResponse(Message.AppendEntriesResponse r) {
        Progress pr = progress.get(r.from());
        pr.setRecentActive(true);
        if (!r.success()) {
            if (pr.maybeDecrTo(r.rejectedIndex(), nextIndexFromHint(r))) {
                replicateTo(r.from());
            }
            return;
        }
        if (r.matchIndex() > log.lastIndex()) {
            node.dropMessage(); // acknowledges entries we never had: not from a correct follower
            return;
        }
        boolean advanced = pr.maybeUpdate(r.matchIndex());
        if (pr.state() == Progress.State.SNAPSHOT) {
            // Rule (§7): the follower installed a snapshot, or holds enough of the log, if our log
            // continues right after what it acknowledged: replicate from there.
            if (pr.matchIndex() + 1 >= log.firstIndex()) pr.becomeReplicate();
            if (advanced && maybeCommit()) committed();
        } else if (advanced || pr.probeMatchedAt(r.matchIndex())) {
            if (pr.state() == Progress.State.PROBE) {
                pr.becomeReplicate();
            } else {
                pr.acknowledged(r.matchIndex());
            }
            if (advanced && maybeCommit()) committed();
        }
        replicateTo(r.from());
    }

    /**
     * Rule (§7): the runtime's transfer of a snapshot to {@code peer} ended. If it arrived, probe
     * right after it (the follower's answer, if it came first, already resumed replication);
     * otherwise probe from matchIndex + 1 at the next heartbeat answer, which asks for a snapshot
     * again: a failed transfer is always retried, never left hanging.
     */
    void snapshotReported(long peer, boolean delivered) {
        Progress pr = progress.get(peer);
        if (pr == null || pr.state() != Progress.State.SNAPSHOT) return; // stale: the follower moved on
        if (delivered) {
            pr.becomeProbe();
            sendAppend(peer, true);
        } else {
            pr.snapshotFailed();
        }
    }

    /**
     * Where to continue after a rejection: past our last entry of the follower's conflicting term,
     * if we have that term, else at the first index the follower holds for it.
     */
    private long nextIndexFromHint(Message.AppendEntriesResponse r) {
        if (r.conflictTerm() == 0) return r.conflictIndex();
        long i = Math.min(r.rejectedIndex(), log.lastIndex());
        while (i >= log.firstIndex() && log.term(i) > r.conflictTerm()) i--;
        if (log.hasTerm(i) && log.term(i) == r.conflictTerm()) return i + 1;
        return r.conflictIndex();
    }

    void handleHeartbeatResponse(Message.HeartbeatResponse r) {
        if (r.context() > reads.round()) {
            node.dropMessage(); // confirms a read round we never started: not from a correct follower
            return;
        }
        Progress pr = progress.get(r.from());
        pr.heartbeatAnswered();
        // Rule (thesis §6.4, step 3): an answer in our term to a heartbeat of round c shows the
        // peer still followed us after every read of rounds <= c was asked for.
        reads.confirm(r.from(), r.context());
        reads.release(readStates);
        if (pr.matchIndex() < log.lastIndex()) {
            // Something may have been lost in flight: send (possibly empty) to find out.
            sendAppend(r.from(), true);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Commitment and check-quorum
    // ---------------------------------------------------------------------------------------------

    /** The leader's commit index moved: tell the followers; the first commit of the term frees waiting reads. */
    private void committed() {
        broadcastPending = true;
        if (reads.hasAwaitingCommit() && node.committedInCurrentTerm()) {
            reads.commitReached(log.commitIndex());
            reads.release(readStates);
        }
    }

    /**
     * Rule (Figure 8, §5.4.2): commitIndex moves to the highest index stored on a majority, but
     * only if that entry is from the current term; earlier entries are committed indirectly.
     */
    private boolean maybeCommit() {
        long majorityMatch = quorum.committedIndex(voter -> progress.get(voter).matchIndex());
        if (majorityMatch > log.commitIndex() && log.term(majorityMatch) == node.currentTerm) {
            log.commitTo(majorityMatch);
            return true;
        }
        return false;
    }

    /** Rule (check-quorum): a leader that did not hear from a majority in the last window steps down. */
    boolean checkQuorum() {
        Set<Long> active = new HashSet<>();
        for (Map.Entry<Long, Progress> e : progress.entrySet()) {
            if (e.getValue().recentActive() || e.getKey() == node.id) active.add(e.getKey());
            e.getValue().setRecentActive(false); // the next window starts now
        }
        progress.get(node.id).setRecentActive(true);
        return quorum.isQuorum(active);
    }

    // ---------------------------------------------------------------------------------------------
    // Sending: AppendEntries under flow control, heartbeats
    // ---------------------------------------------------------------------------------------------

    private void broadcastAppend() {
        for (long peer : progress.keySet()) {
            if (peer != node.id) replicateTo(peer);
        }
    }

    /** Sends as much as flow control allows; if there is nothing new, at least a newer commit index. */
    private void replicateTo(long peer) {
        Progress pr = progress.get(peer);
        boolean sent = false;
        while (!pr.isPaused() && pr.nextIndex() <= log.lastIndex()) {
            if (!sendAppend(peer, false)) break;
            sent = true;
        }
        if (!sent && pr.sentCommit() < log.commitIndex()) {
            sendAppend(peer, true);
        }
    }

    /**
     * Sends one AppendEntries with the entries from nextIndex on (at most maxBytesPerMessage, at
     * least one). Returns false if nothing was sent.
     */
    private boolean sendAppend(long peer, boolean sendIfEmpty) {
        Progress pr = progress.get(peer);
        if (pr.isPaused()) return false;
        long prevLogIndex = pr.nextIndex() - 1;
        if (!log.hasTerm(prevLogIndex)) return sendSnapshot(peer, pr);
        List<Entry> entries = pr.nextIndex() <= log.lastIndex()
                ? log.entries(pr.nextIndex(), log.lastIndex() + 1, node.config.maxBytesPerMessage())
                : List.of();
        if (entries.isEmpty() && !sendIfEmpty) return false;
        node.send(new Message.AppendEntries(node.id, peer, node.currentTerm, prevLogIndex, log.term(prevLogIndex),
                entries, log.commitIndex()));
        pr.sent(entries.isEmpty() ? prevLogIndex : entries.getLast().index(), !entries.isEmpty(), log.commitIndex());
        return true;
    }

    /**
     * Rule (§7): the entries {@code peer} needs were compacted away, so it needs a snapshot. Asks
     * the runtime to send our newest one (it covers at least up to our first index - 1), and waits.
     */
    private boolean sendSnapshot(long peer, Progress pr) {
        long covered = log.firstIndex() - 1;
        node.send(new Message.InstallSnapshot(node.id, peer, node.currentTerm, covered, log.term(covered)));
        pr.becomeSnapshot(covered);
        return true;
    }

    /** Sends a heartbeat to every peer; it carries the latest read round, which it closes. */
    void broadcastHeartbeat() {
        long context = reads.closeRound();
        for (Map.Entry<Long, Progress> e : progress.entrySet()) {
            if (e.getKey() == node.id) continue;
            // Cap at matchIndex: the follower may not hold our later entries yet.
            long commit = Math.min(e.getValue().matchIndex(), log.commitIndex());
            node.send(new Message.Heartbeat(node.id, e.getKey(), node.currentTerm, commit, context));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /** The view of {@code peer}'s progress, or null if not leading or the peer is unknown. */
    ProgressView view(long peer) {
        Progress pr = progress.get(peer);
        return pr == null ? null : pr.view();
    }

    /** Every voter's progress, by id; empty unless leading. */
    List<ProgressView> views() {
        return progress.values().stream().map(Progress::view).toList();
    }
}
