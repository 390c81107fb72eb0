package dev.ballot.raft;

import java.util.List;

/** A snapshot of one engine's state, for status pages, logs and tests. */
public record Status(long id, Role role, long currentTerm, long votedFor, long leaderId, long commitIndex,
                     long appliedIndex, long firstIndex, long lastIndex, List<ProgressView> progress) {}
