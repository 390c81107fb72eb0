package dev.ballot.node.transport;

/**
 * The frames that carry a snapshot file from a leader to a follower beside the Raft messages
 * (docs/runtime.md, "Snapshot transfer"). The engine asks for a transfer with an
 * {@code InstallSnapshot} request and learns its outcome from {@code RaftNode.reportSnapshot}; the
 * bytes themselves never pass through it.
 *
 * <p>One transfer sends one snapshot file, whole (header, data and checksum trailer, exactly as
 * the leader's {@code SnapshotStore} keeps it), in {@link Chunk}s at increasing offsets; the
 * follower answers every chunk with an {@link Ack} of how many bytes it holds in a row. The leader
 * keeps a bounded number of bytes unacknowledged (flow control).
 */
public sealed interface SnapshotFrame {

    /** The sender's term: a frame from an older term than the receiver's is stale and ignored. */
    long term();

    /** Chosen by the leader for each transfer; a frame of another transfer is not mixed into this one. */
    long transferId();

    /**
     * Bytes {@code [offset, offset + data.length)} of the snapshot file covering up to
     * {@code lastIndex} in {@code lastTerm}, {@code totalSize} bytes long; {@code last} on the chunk
     * that ends the file.
     */
    record Chunk(long term, long transferId, long lastIndex, long lastTerm, long offset, long totalSize,
                 byte[] data, boolean last) implements SnapshotFrame {}

    /**
     * The follower's answer.
     *
     * @param received how many bytes of the file it holds from offset 0 on (the next offset it wants)
     * @param status   what it did with the transfer
     */
    record Ack(long term, long transferId, long received, Status status) implements SnapshotFrame {}

    /** What a follower says about a transfer. */
    enum Status {
        /** Chunks are arriving; {@code received} bytes are held. */
        RECEIVING,
        /** The whole file arrived, verified, and was handed to the engine. */
        INSTALLED,
        /** The file arrived whole but failed its checksum (or could not be stored): discarded; send it again. */
        REJECTED,
        /** The follower knows no such transfer (it restarted, or a newer one replaced it): start again. */
        UNKNOWN
    }
}
