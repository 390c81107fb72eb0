package dev.ballot.node;

import dev.ballot.raft.Role;

import java.util.List;

/**
 * A snapshot of one node's Raft state, for status pages, INFO and readiness checks.
 *
 * @param members the ids of the cluster's voters, ascending
 */
public record NodeStatus(long id, Role role, long term, long leaderId, long commitIndex, long appliedIndex,
                         long firstLogIndex, long lastLogIndex, List<Long> members) {

    public NodeStatus {
        members = List.copyOf(members);
    }
}
