package dev.ballot.node.transport;

import dev.ballot.node.PeerAddress;

/**
 * A snapshot of one peer's link, for status pages and tests.
 *
 * @param connected       whether the outbound connection to the peer is up
 * @param sent            messages written to the peer's socket
 * @param received        messages from the peer delivered to this node
 * @param dropped         messages to or from the peer dropped (peer down, queue full, link cut by
 *                        the filter, connection broke before the write)
 * @param pendingBytes    bytes accepted for the peer but not yet written to the socket
 * @param pendingMessages the same in messages
 */
public record PeerStats(long peerId, PeerAddress address, boolean connected, long sent, long received,
                        long dropped, long pendingBytes, long pendingMessages) {}
