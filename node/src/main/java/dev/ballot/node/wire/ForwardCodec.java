package dev.ballot.node.wire;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Forward.Outcome;
import dev.ballot.node.transport.Forward.Propose;
import dev.ballot.node.transport.Forward.ReadIndex;
import dev.ballot.node.transport.Forward.Reply;
import io.netty.buffer.ByteBuf;

/**
 * Encodes the frames that share a peer connection with the Raft messages but are not Raft
 * messages: the connection's {@link Hello} and the {@link Forward} frames. Same body layout and
 * format version as {@link MessageCodec} (u8 version, u8 type, fields big-endian), with type codes
 * from {@code 0x40} up so that {@link PeerFrameCodec} can tell the two apart by the type byte (see
 * {@code docs/wire-format.md}, "Connection and forwarding frames").
 *
 * <p>Forward frames carry no sender id: the connection's {@link Hello} names it.
 *
 * <p>Decoding is strict like {@link MessageCodec}'s: malformed input fails with a
 * {@link WireFormatException} naming the field and its offset, and every length is checked before
 * anything is allocated. Immutable and thread-safe.
 */
public final class ForwardCodec {

    /** The first type code of this codec; everything below belongs to {@link MessageCodec}. */
    public static final int FIRST_TYPE = 0x40;

    /** Frame type codes. Never reuse or renumber one. */
    static final int TYPE_HELLO = 0x40;
    static final int TYPE_PROPOSE = 0x41;
    static final int TYPE_READ_INDEX = 0x42;
    static final int TYPE_REPLY = 0x43;

    private static final int HEADER_BYTES = 2;

    private final int maxFrameSize;

    /** @param maxFrameSize the largest frame body this codec writes or reads, in bytes */
    public ForwardCodec(int maxFrameSize) {
        if (maxFrameSize < HEADER_BYTES + 2 * Long.BYTES) {
            throw new IllegalArgumentException("maxFrameSize must be >= " + (HEADER_BYTES + 2 * Long.BYTES)
                    + ", was " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** Outcome codes. Never reuse or renumber one. */
    static int outcomeCode(Outcome outcome) {
        return switch (outcome) {
            case OK -> 1;
            case NOT_LEADER -> 2;
            case NO_LEADER -> 3;
            case BUSY -> 4;
            case TIMEOUT -> 5;
            case UNKNOWN_OUTCOME -> 6;
            case SHUTDOWN -> 7;
        };
    }

    private static Outcome outcome(int code, int offset) throws WireFormatException {
        return switch (code) {
            case 1 -> Outcome.OK;
            case 2 -> Outcome.NOT_LEADER;
            case 3 -> Outcome.NO_LEADER;
            case 4 -> Outcome.BUSY;
            case 5 -> Outcome.TIMEOUT;
            case 6 -> Outcome.UNKNOWN_OUTCOME;
            case 7 -> Outcome.SHUTDOWN;
            default -> throw new WireFormatException("unknown outcome " + code + " in field outcome at offset " + offset
                    + " (known: 1-7)");
        };
    }

    // ------------------------------------------------------------------ encoding

    /** The exact number of bytes {@link #encode(Object, ByteBuf)} writes for {@code frame}. */
    public long encodedSize(Object frame) {
        return HEADER_BYTES + switch (frame) {
            case Hello h -> 2 * Long.BYTES;
            case Propose p -> Long.BYTES + Integer.BYTES + (long) p.command().length;
            case ReadIndex r -> Long.BYTES;
            case Reply r -> 3 * Long.BYTES + 1 + Integer.BYTES + (long) r.result().length;
            default -> throw notAFrame(frame);
        };
    }

    /**
     * Writes the body (no length prefix) of a {@link Hello} or {@link Forward} frame to {@code out}.
     *
     * @throws IllegalArgumentException if {@code frame} is neither, or its body would be larger
     *         than the max frame size (nothing is written then)
     */
    public void encode(Object frame, ByteBuf out) {
        long size = encodedSize(frame);
        if (size > maxFrameSize) {
            throw new IllegalArgumentException(frame.getClass().getSimpleName() + " encodes to " + size
                    + " bytes, more than the max frame size of " + maxFrameSize + " bytes");
        }
        out.writeByte(MessageCodec.FORMAT_VERSION);
        switch (frame) {
            case Hello h -> {
                out.writeByte(TYPE_HELLO);
                out.writeLong(h.from());
                out.writeLong(h.to());
            }
            case Propose p -> {
                out.writeByte(TYPE_PROPOSE);
                out.writeLong(p.requestId());
                out.writeInt(p.command().length);
                out.writeBytes(p.command());
            }
            case ReadIndex r -> {
                out.writeByte(TYPE_READ_INDEX);
                out.writeLong(r.requestId());
            }
            case Reply r -> {
                out.writeByte(TYPE_REPLY);
                out.writeLong(r.requestId());
                out.writeByte(outcomeCode(r.outcome()));
                out.writeLong(r.leaderHint());
                out.writeLong(r.readIndex());
                out.writeInt(r.result().length);
                out.writeBytes(r.result());
            }
            default -> throw notAFrame(frame);
        }
    }

    private static IllegalArgumentException notAFrame(Object frame) {
        return new IllegalArgumentException("not a Hello or Forward frame: "
                + (frame == null ? "null" : frame.getClass().getName()));
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Decodes one frame body: all readable bytes of {@code body} (trailing bytes are an error).
     * Byte arrays are copied, so {@code body} may be released afterwards.
     *
     * @return a {@link Hello} or a {@link Forward}
     */
    public Object decode(ByteBuf body) throws WireFormatException {
        int length = body.readableBytes();
        if (length > maxFrameSize) {
            throw new WireFormatException("frame body of " + length + " bytes exceeds the max frame size of "
                    + maxFrameSize + " bytes");
        }
        FieldReader r = new FieldReader(body);
        int version = r.u8("format version");
        if (version != MessageCodec.FORMAT_VERSION) {
            throw new WireFormatException("unsupported wire format version " + version + ": this node speaks version "
                    + MessageCodec.FORMAT_VERSION + ", so the peer runs "
                    + (version > MessageCodec.FORMAT_VERSION ? "a newer" : "an older")
                    + " Ballot with an incompatible format");
        }
        int typeOffset = r.offset();
        int type = r.u8("frame type");
        Object frame = switch (type) {
            case TYPE_HELLO -> new Hello(r.i64("from"), r.i64("to"));
            case TYPE_PROPOSE -> new Propose(r.i64("requestId"), r.bytes("command", maxFrameSize));
            case TYPE_READ_INDEX -> new ReadIndex(r.i64("requestId"));
            case TYPE_REPLY -> {
                long requestId = r.i64("requestId");
                int outcomeOffset = r.offset();
                Outcome outcome = outcome(r.u8("outcome"), outcomeOffset);
                yield new Reply(requestId, outcome, r.i64("leaderHint"), r.i64("readIndex"),
                        r.bytes("result", maxFrameSize));
            }
            default -> throw new WireFormatException("unknown frame type " + type + " at offset " + typeOffset
                    + " (known: 0x40-0x43)");
        };
        if (r.remaining() > 0) {
            throw new WireFormatException(r.remaining() + (r.remaining() == 1 ? " trailing byte" : " trailing bytes")
                    + " at offset " + r.offset() + " after the end of " + frame.getClass().getSimpleName());
        }
        return frame;
    }
}
