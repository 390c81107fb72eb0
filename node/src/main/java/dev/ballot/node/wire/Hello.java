package dev.ballot.node.wire;

/**
 * The first frame on every peer connection: the dialling node names itself ({@code from}) and the
 * node it meant to reach ({@code to}). The receiver closes the connection when {@code from} is not
 * a member of its cluster or {@code to} is not itself (a misconfigured {@code --peers} list), and
 * from then on attributes every frame on the connection to {@code from}.
 */
public record Hello(long from, long to) {}
