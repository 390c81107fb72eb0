package dev.ballot.node;

import dev.ballot.raft.Role;

import java.util.List;

/**
 * A snapshot of one node's Raft state, for status pages, INFO and readiness checks.
 *
 * @param firstLogIndex the first index the log holds; entries before it were compacted into a snapshot
 * @param members       the ids of the cluster's voters, ascending
 * @param snapshot      the newest snapshot this node holds (own or installed from a leader)
 */
public record NodeStatus(long id, Role role, long term, long leaderId, long commitIndex, long appliedIndex,
                         long firstLogIndex, long lastLogIndex, List<Long> members, Snapshot snapshot) {

    public NodeStatus {
        members = List.copyOf(members);
        java.util.Objects.requireNonNull(snapshot, "snapshot");
    }

    /**
     * A node's newest snapshot.
     *
     * @param index         the last index it covers; 0 if the node has none
     * @param term          the term of that entry; 0 if none
     * @param sizeBytes     the snapshot file's size
     * @param takenAtMillis when this node wrote or installed it (epoch ms); 0 if it found it at start-up
     */
    public record Snapshot(long index, long term, long sizeBytes, long takenAtMillis) {
        public static final Snapshot NONE = new Snapshot(0, 0, 0, 0);
    }
}
