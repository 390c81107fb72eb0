/**
 * The peer transport's wire format: {@link dev.ballot.node.wire.MessageCodec} turns every Raft
 * {@link dev.ballot.raft.Message} into a versioned binary frame body and back, and
 * {@link dev.ballot.node.wire.ForwardCodec} does the same for the connection's
 * {@link dev.ballot.node.wire.Hello} and the forwarding frames.
 * {@link dev.ballot.node.wire.PeerFrameCodec} writes either kind behind a u32 length prefix, and
 * the Netty handler {@link dev.ballot.node.wire.PeerFrameDecoder} splits an inbound TCP stream
 * back into frames. The layout is documented byte by byte in {@code docs/wire-format.md}.
 */
package dev.ballot.node.wire;
