package dev.ballot.raft;

import java.util.List;

/**
 * Everything one Raft node says to another. Every message carries the sender's {@code term}
 * (Raft paper §5.1); the receiver compares it with its own before anything else (see
 * {@code RaftNode.step}).
 *
 * <p>Heartbeats are their own message type rather than empty AppendEntries (as in etcd's raft):
 * a heartbeat carries no log position, so it can never fail a consistency check and knock a
 * pipelining follower back into probing.
 */
public sealed interface Message {

    long from();

    long to();

    long term();

    /**
     * RequestVote (paper §5.2, Figure 2), or a pre-vote (thesis §9.6) when {@code preVote} is set.
     * For a pre-vote, {@code term} is the term the sender would campaign in (its term + 1); the
     * receiver does not adopt it.
     */
    record RequestVote(long from, long to, long term, long lastLogIndex, long lastLogTerm, boolean preVote)
            implements Message {}

    /** The answer to a {@link RequestVote}; {@code preVote} echoes the request. */
    record RequestVoteResponse(long from, long to, long term, boolean voteGranted, boolean preVote)
            implements Message {}

    /**
     * AppendEntries (paper §5.3, Figure 2): the entries following {@code prevLogIndex}, which the
     * follower accepts only if its entry at {@code prevLogIndex} has term {@code prevLogTerm}.
     */
    record AppendEntries(long from, long to, long term, long prevLogIndex, long prevLogTerm,
                         List<Entry> entries, long leaderCommit) implements Message {
        public AppendEntries {
            entries = List.copyOf(entries);
        }
    }

    /**
     * The answer to an {@link AppendEntries}.
     *
     * <p>On success, {@code matchIndex} is the index of the last entry the follower now has that
     * matches the leader's log. On rejection, {@code rejectedIndex} is the {@code prevLogIndex}
     * that failed, and the hint lets the leader skip a whole term per round trip (paper §5.3,
     * "the follower can include the term of the conflicting entry and the first index it stores
     * for that term"): {@code conflictTerm} is the follower's term at {@code rejectedIndex} (0 if
     * it has no entry there) and {@code conflictIndex} the first index it stores with that term
     * (or its last index + 1 when it has no entry there).
     */
    record AppendEntriesResponse(long from, long to, long term, boolean success, long matchIndex,
                                 long rejectedIndex, long conflictTerm, long conflictIndex)
            implements Message {

        public static AppendEntriesResponse accepted(long from, long to, long term, long matchIndex) {
            return new AppendEntriesResponse(from, to, term, true, matchIndex, 0, 0, 0);
        }

        public static AppendEntriesResponse rejected(long from, long to, long term, long rejectedIndex,
                                                     long conflictTerm, long conflictIndex) {
            return new AppendEntriesResponse(from, to, term, false, 0, rejectedIndex, conflictTerm, conflictIndex);
        }
    }

    /**
     * InstallSnapshot (paper §7), metadata only: the snapshot's bytes travel beside the engine.
     * <ul>
     *   <li>From a leader's {@link Ready}, it asks the runtime to send {@code to} the leader's newest
     *       snapshot, which covers at least up to {@code lastIncludedIndex} (the entries {@code to}
     *       needs were compacted away). The runtime streams it and reports the outcome with
     *       {@link RaftNode#reportSnapshot}; it never delivers this message itself.</li>
     *   <li>Stepped into a follower's engine, it says a snapshot that covers up to
     *       {@code lastIncludedIndex} in {@code lastIncludedTerm} was received whole and checked, and
     *       is ready to install. The follower answers with an {@link AppendEntriesResponse}.</li>
     * </ul>
     */
    record InstallSnapshot(long from, long to, long term, long lastIncludedIndex, long lastIncludedTerm)
            implements Message {}

    /**
     * The leader's periodic "I am alive" (paper §5.2). {@code commit} is the leader's commit index
     * capped at what this follower is known to hold, so the follower can advance its commit index
     * without a log check. {@code context} is the leader's latest ReadIndex round (thesis §6.4), a
     * leader-local sequence number that only grows; 0 means no read was ever asked for.
     */
    record Heartbeat(long from, long to, long term, long commit, long context) implements Message {}

    /**
     * The answer to a {@link Heartbeat}; tells the leader the follower is alive. {@code context}
     * echoes the heartbeat's, so the leader knows which ReadIndex rounds this answer confirms.
     */
    record HeartbeatResponse(long from, long to, long term, long context) implements Message {}
}
