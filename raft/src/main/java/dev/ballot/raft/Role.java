package dev.ballot.raft;

/** The roles of a Raft node. {@link #PRE_CANDIDATE} is the pre-vote phase of the Raft thesis, §9.6. */
public enum Role {
    FOLLOWER,
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}
