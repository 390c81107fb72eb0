package dev.ballot.raft;

import java.util.List;

/**
 * Rejects messages that no correct node could have sent (negative indices, terms from the future,
 * entries out of order), so a garbled or forged message is dropped before it can touch state.
 * Messages from unknown ids or for another node are filtered by {@link RaftNode#step} itself.
 */
final class MessageValidator {

    private MessageValidator() {}

    /** Returns null if {@code m} is well-formed, else why not. */
    static String problem(Message m) {
        if (m.term() < 1) return "term " + m.term() + " < 1";
        return switch (m) {
            case Message.RequestVote rv -> rv.lastLogIndex() < 0 || rv.lastLogTerm() < 0 || rv.lastLogTerm() > rv.term()
                    ? "bad last log position " + rv.lastLogIndex() + "@" + rv.lastLogTerm() : null;
            case Message.RequestVoteResponse r -> null;
            case Message.AppendEntries ae -> appendEntriesProblem(ae);
            case Message.AppendEntriesResponse r -> r.success()
                    ? (r.matchIndex() < 0 ? "negative matchIndex" : null)
                    : (r.rejectedIndex() < 0 || r.conflictTerm() < 0 || r.conflictIndex() < 0
                            || r.conflictTerm() > r.term() ? "bad rejection hint" : null);
            case Message.Heartbeat hb -> hb.commit() < 0 ? "negative commit"
                    : hb.context() < 0 ? "negative context" : null;
            case Message.HeartbeatResponse r -> r.context() < 0 ? "negative context" : null;
            case Message.InstallSnapshot is -> is.lastIncludedIndex() < 1 || is.lastIncludedTerm() < 1
                    || is.lastIncludedTerm() > is.term()
                    ? "bad snapshot position " + is.lastIncludedIndex() + "@" + is.lastIncludedTerm() : null;
        };
    }

    private static String appendEntriesProblem(Message.AppendEntries ae) {
        if (ae.prevLogIndex() < 0 || ae.prevLogTerm() < 0 || ae.prevLogTerm() > ae.term()) {
            return "bad prevLog position " + ae.prevLogIndex() + "@" + ae.prevLogTerm();
        }
        if (ae.leaderCommit() < 0) return "negative leaderCommit";
        List<Entry> entries = ae.entries();
        long expectedIndex = ae.prevLogIndex() + 1;
        long minTerm = ae.prevLogTerm();
        for (Entry e : entries) {
            if (e.index() != expectedIndex) return "entry index " + e.index() + ", expected " + expectedIndex;
            // Terms in a log never decrease, and no entry is newer than the leader's term.
            if (e.term() < minTerm || e.term() > ae.term()) return "entry term " + e.term() + " out of order";
            expectedIndex++;
            minTerm = e.term();
        }
        return null;
    }
}
