package dev.ballot.testkit.sim.runtime;

import dev.ballot.raft.EntryType;

/** The entry committed at some index, as the first node that reported it committed holds it. */
record CommittedEntry(long term, EntryType type, byte[] data) {}
