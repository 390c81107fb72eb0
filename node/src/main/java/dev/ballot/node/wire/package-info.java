/**
 * The peer transport's wire format: {@link dev.ballot.node.wire.MessageCodec} turns every Raft
 * {@link dev.ballot.raft.Message} into a versioned binary frame body and back, and the Netty
 * handlers {@link dev.ballot.node.wire.MessageEncoder} and
 * {@link dev.ballot.node.wire.MessageFrameDecoder} put those bodies on a TCP stream behind a
 * u32 length prefix. The layout is documented byte by byte in {@code docs/wire-format.md}.
 */
package dev.ballot.node.wire;
