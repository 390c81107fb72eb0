package dev.ballot.testkit.sim.runtime;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Persist before send (Raft paper, Figure 2: "update stable storage before responding to RPCs"),
 * checked on every message a production node hands its transport, against what its disk holds
 * for sure ({@link DurableState}):
 * <ul>
 *   <li>no message but a pre-vote carries a term beyond the durable one;</li>
 *   <li>a candidate's RequestVote and a granted vote have the vote durable;</li>
 *   <li>a successful AppendEntries response acknowledges only entries on disk, of the terms the
 *       leader sent;</li>
 *   <li>entries sent are durable, except a leader's own new entries (thesis §10.2.1: it sends them
 *       before its fsync and counts its own copy only once durable; entries of older terms it holds
 *       were synced before it could campaign, since writes complete in order).</li>
 * </ul>
 * A message of an older term than the durable one is stale (the node moved on before the Ready was
 * carried out) and promises nothing any more. Violations go to {@code report}: the check runs inside
 * the node's turn, where throwing would only stop that node.
 */
final class PersistBeforeSend {

    private final Consumer<RuntimeViolation> report;
    /** Per term, the term of each log entry its leader sent or matched on (index → term). */
    private final Map<Long, Map<Long, Long>> leaderLogs = new HashMap<>();

    PersistBeforeSend(Consumer<RuntimeViolation> report) {
        this.report = report;
    }

    void check(long node, Message m, DurableState d) {
        HardState hs = d.hardState();
        boolean preVote = (m instanceof Message.RequestVote v && v.preVote())
                || (m instanceof Message.RequestVoteResponse r && r.preVote());
        if (!preVote && m.term() > hs.currentTerm()) {
            fail(node, m, "its term is not durable (" + d + ")");
            return;
        }
        if (m instanceof Message.AppendEntries a) checkEntries(node, a, d);
        if (m.term() != hs.currentTerm()) return;
        switch (m) {
            case Message.RequestVote v when !v.preVote() && hs.votedFor() != node ->
                    fail(node, m, "its vote for itself is not durable (" + d + ")");
            case Message.RequestVoteResponse r when r.voteGranted() && !r.preVote() && hs.votedFor() != r.to() ->
                    fail(node, m, "the vote it grants is not durable (" + d + ")");
            case Message.AppendEntriesResponse r when r.success() -> checkAcknowledged(node, r, d);
            default -> { }
        }
    }

    private void checkEntries(long node, Message.AppendEntries a, DurableState d) {
        Map<Long, Long> leaderLog = leaderLogs.computeIfAbsent(a.term(), t -> new HashMap<>());
        if (a.prevLogIndex() > 0) leaderLog.put(a.prevLogIndex(), a.prevLogTerm());
        for (Entry e : a.entries()) {
            leaderLog.put(e.index(), e.term());
            if (d.termAt(e.index()) != e.term() && e.term() != a.term()) {
                fail(node, a, "entry " + e.index() + "@" + e.term() + " is neither durable nor the leader's own ("
                        + d + ")");
                return;
            }
        }
    }

    private void checkAcknowledged(long node, Message.AppendEntriesResponse r, DurableState d) {
        long match = r.matchIndex();
        if (match > d.lastIndex()) {
            fail(node, r, "its durable log ends at " + d.lastIndex());
            return;
        }
        Long sent = leaderLogs.getOrDefault(r.term(), Map.of()).get(match);
        // Below the durable log's first index a snapshot holds it: committed entries, held for good.
        if (sent != null && match >= d.firstIndex() && d.termAt(match) != sent) {
            fail(node, r, "its durable entry " + match + " has term " + d.termAt(match) + ", the leader's has term "
                    + sent + " (" + d + ")");
        }
    }

    private void fail(long node, Message m, String why) {
        report.accept(new RuntimeViolation("persist before send", "node " + node + " sent " + m + " but " + why));
    }
}
