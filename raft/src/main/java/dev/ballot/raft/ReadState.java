package dev.ballot.raft;

/**
 * A confirmed linearizable read (ReadIndex, thesis §6.4): the read asked for with
 * {@link RaftNode#readIndex(long)} and this {@code context} may be served from the state machine
 * as soon as it has applied every entry up to {@code index}.
 *
 * @param context the id the runtime gave the read
 * @param index   the commit index the read must wait for; at least every index committed before the read was asked for
 */
public record ReadState(long context, long index) {}
