package dev.ballot.node;

import dev.ballot.raft.EntryType;

/** One entry of a node's log as shown to people ({@code GET /v1/log}), with whether it is committed. */
public record LogEntryView(long index, long term, EntryType type, byte[] data, boolean committed) {}
