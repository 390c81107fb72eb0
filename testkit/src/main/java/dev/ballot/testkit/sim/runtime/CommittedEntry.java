package dev.ballot.testkit.sim.runtime;

import dev.ballot.raft.EntryType;

/**
 * The entry committed at some index, as the first node that reported it committed holds it;
 * {@code committedInTerm} is that node's term then: the entry was committed in that term or before.
 */
record CommittedEntry(long term, EntryType type, byte[] data, long committedInTerm) {}
