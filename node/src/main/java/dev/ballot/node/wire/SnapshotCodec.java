package dev.ballot.node.wire;

import dev.ballot.node.transport.SnapshotFrame;
import dev.ballot.node.transport.SnapshotFrame.Ack;
import dev.ballot.node.transport.SnapshotFrame.Chunk;
import dev.ballot.node.transport.SnapshotFrame.Status;
import io.netty.buffer.ByteBuf;

/**
 * Encodes the {@link SnapshotFrame}s that share a peer connection with the Raft messages. Same
 * body layout and format version as {@link MessageCodec} (u8 version, u8 type, fields big-endian),
 * with type codes from {@code 0x50} up so that {@link PeerFrameCodec} can tell them apart (see
 * {@code docs/wire-format.md}, "Snapshot transfer frames").
 *
 * <p>Decoding is strict: malformed input fails with a {@link WireFormatException} naming the field
 * and its offset, and every length is checked before anything is allocated. Immutable and
 * thread-safe.
 */
public final class SnapshotCodec {

    /** The first type code of this codec. */
    public static final int FIRST_TYPE = 0x50;

    /** Frame type codes. Never reuse or renumber one. */
    static final int TYPE_CHUNK = 0x50;
    static final int TYPE_ACK = 0x51;

    private static final int HEADER_BYTES = 2;
    /** term, transferId, lastIndex, lastTerm, offset, totalSize, data length, last. */
    static final int CHUNK_FIXED_BYTES = 6 * Long.BYTES + Integer.BYTES + 1;

    private final int maxFrameSize;

    /** @param maxFrameSize the largest frame body this codec writes or reads, in bytes */
    public SnapshotCodec(int maxFrameSize) {
        if (maxFrameSize < HEADER_BYTES + CHUNK_FIXED_BYTES) {
            throw new IllegalArgumentException("maxFrameSize must be >= " + (HEADER_BYTES + CHUNK_FIXED_BYTES)
                    + ", was " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    /** The largest chunk payload that fits a frame of the max size. */
    public int maxChunkBytes() {
        return maxFrameSize - HEADER_BYTES - CHUNK_FIXED_BYTES;
    }

    static int statusCode(Status s) {
        return switch (s) {
            case RECEIVING -> 1;
            case INSTALLED -> 2;
            case REJECTED -> 3;
            case UNKNOWN -> 4;
        };
    }

    private static Status status(int code, int offset) throws WireFormatException {
        return switch (code) {
            case 1 -> Status.RECEIVING;
            case 2 -> Status.INSTALLED;
            case 3 -> Status.REJECTED;
            case 4 -> Status.UNKNOWN;
            default -> throw new WireFormatException("unknown status " + code + " in field status at offset " + offset
                    + " (known: 1-4)");
        };
    }

    /** The exact number of bytes {@link #encode} writes for {@code frame}. */
    public long encodedSize(SnapshotFrame frame) {
        return HEADER_BYTES + switch (frame) {
            case Chunk c -> CHUNK_FIXED_BYTES + (long) c.data().length;
            case Ack a -> 3 * Long.BYTES + 1;
        };
    }

    /**
     * Writes the body (no length prefix) of {@code frame} to {@code out}.
     *
     * @throws IllegalArgumentException if the body would be larger than the max frame size, or a
     *         field is out of range (nothing is written then)
     */
    public void encode(SnapshotFrame frame, ByteBuf out) {
        long size = encodedSize(frame);
        if (size > maxFrameSize) {
            throw new IllegalArgumentException(frame.getClass().getSimpleName() + " encodes to " + size
                    + " bytes, more than the max frame size of " + maxFrameSize + " bytes");
        }
        // Never write what the decoder on the other side would reject.
        if (frame instanceof Chunk c) {
            String why = chunkProblem(c.offset(), c.data().length, c.totalSize(), c.last());
            if (why == null && (c.lastIndex() < 1 || c.lastTerm() < 1)) {
                why = "lastIndex " + c.lastIndex() + " and lastTerm " + c.lastTerm() + " must be >= 1";
            }
            if (why != null) throw new IllegalArgumentException("invalid snapshot chunk: " + why);
        }
        if (frame instanceof Ack a && a.received() < 0) {
            throw new IllegalArgumentException("invalid snapshot ack: received " + a.received() + " must be >= 0");
        }
        out.writeByte(MessageCodec.FORMAT_VERSION);
        switch (frame) {
            case Chunk c -> {
                out.writeByte(TYPE_CHUNK);
                out.writeLong(c.term());
                out.writeLong(c.transferId());
                out.writeLong(c.lastIndex());
                out.writeLong(c.lastTerm());
                out.writeLong(c.offset());
                out.writeLong(c.totalSize());
                out.writeInt(c.data().length);
                out.writeBytes(c.data());
                out.writeByte(c.last() ? 1 : 0);
            }
            case Ack a -> {
                out.writeByte(TYPE_ACK);
                out.writeLong(a.term());
                out.writeLong(a.transferId());
                out.writeLong(a.received());
                out.writeByte(statusCode(a.status()));
            }
        }
    }

    /** A chunk must lie inside the file, and be marked last exactly when it ends it. */
    private static String chunkProblem(long offset, long length, long totalSize, boolean last) {
        if (offset < 0 || totalSize < 0) return "offset " + offset + " and total size " + totalSize + " must be >= 0";
        if (offset > totalSize - length) { // not offset + length: that can overflow
            return "bytes " + offset + ".." + (offset + length) + " run past the total size " + totalSize;
        }
        if (last != (offset + length == totalSize)) {
            return "last is " + last + " but the chunk ends at " + (offset + length) + " of " + totalSize;
        }
        return null;
    }

    /**
     * Decodes one frame body: all readable bytes of {@code body} (trailing bytes are an error).
     * The chunk's data is copied, so {@code body} may be released afterwards.
     */
    public SnapshotFrame decode(ByteBuf body) throws WireFormatException {
        int length = body.readableBytes();
        if (length > maxFrameSize) {
            throw new WireFormatException("frame body of " + length + " bytes exceeds the max frame size of "
                    + maxFrameSize + " bytes");
        }
        FieldReader r = new FieldReader(body);
        int version = r.u8("format version");
        if (version != MessageCodec.FORMAT_VERSION) {
            throw new WireFormatException("unsupported wire format version " + version + ": this node speaks version "
                    + MessageCodec.FORMAT_VERSION);
        }
        int typeOffset = r.offset();
        int type = r.u8("frame type");
        SnapshotFrame frame = switch (type) {
            case TYPE_CHUNK -> {
                long term = r.i64("term");
                long transferId = r.i64("transferId");
                long lastIndex = r.i64("lastIndex");
                long lastTerm = r.i64("lastTerm");
                long offset = r.i64("offset");
                long totalSize = r.i64("totalSize");
                byte[] data = r.bytes("data", maxFrameSize);
                boolean last = r.bool("last");
                String why = chunkProblem(offset, data.length, totalSize, last);
                if (why != null) throw new WireFormatException("invalid snapshot chunk: " + why);
                if (lastIndex < 1 || lastTerm < 1) {
                    throw new WireFormatException("invalid snapshot chunk: lastIndex " + lastIndex + " and lastTerm "
                            + lastTerm + " must be >= 1");
                }
                yield new Chunk(term, transferId, lastIndex, lastTerm, offset, totalSize, data, last);
            }
            case TYPE_ACK -> {
                long term = r.i64("term");
                long transferId = r.i64("transferId");
                long received = r.i64("received");
                int statusOffset = r.offset();
                Status status = status(r.u8("status"), statusOffset);
                if (received < 0) throw new WireFormatException("received " + received + " must be >= 0");
                yield new Ack(term, transferId, received, status);
            }
            default -> throw new WireFormatException("unknown frame type " + type + " at offset " + typeOffset
                    + " (known: 0x50-0x51)");
        };
        if (r.remaining() > 0) {
            throw new WireFormatException(r.remaining() + (r.remaining() == 1 ? " trailing byte" : " trailing bytes")
                    + " at offset " + r.offset() + " after the end of " + frame.getClass().getSimpleName());
        }
        return frame;
    }
}
