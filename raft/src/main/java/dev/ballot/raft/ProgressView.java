package dev.ballot.raft;

/**
 * A leader's view of one follower's replication, for status pages and tests.
 *
 * @param peer         the follower's id
 * @param matchIndex   highest index known to be replicated on the follower (paper: matchIndex)
 * @param nextIndex    index of the next entry to send (paper: nextIndex)
 * @param state        PROBE (one message at a time, finding where logs agree) or REPLICATE
 *                     (pipelined, optimistic nextIndex)
 * @param inflight     AppendEntries messages sent and not yet acknowledged
 * @param recentActive whether the follower was heard from in the current check-quorum window
 */
public record ProgressView(long peer, long matchIndex, long nextIndex, Progress.State state, int inflight,
                           boolean recentActive) {}
