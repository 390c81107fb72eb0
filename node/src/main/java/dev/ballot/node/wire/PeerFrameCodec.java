package dev.ballot.node.wire;

import dev.ballot.raft.Message;
import dev.ballot.node.transport.SnapshotFrame;
import io.netty.buffer.ByteBuf;

/**
 * One peer connection carries Raft {@link Message}s ({@link MessageCodec}, type codes below
 * {@code 0x40}), {@link Hello}/{@code Forward} frames ({@link ForwardCodec}, {@code 0x40} to
 * {@code 0x4f}) and {@link SnapshotFrame}s ({@link SnapshotCodec}, {@code 0x50} and up). This class writes either kind as a whole frame (u32 body length, then the body) and
 * decodes a body by looking at its type byte and delegating.
 *
 * <p>Immutable and thread-safe.
 */
public final class PeerFrameCodec {

    private final MessageCodec messages;
    private final ForwardCodec forwards;
    private final SnapshotCodec snapshots;

    public PeerFrameCodec(int maxFrameSize) {
        this.messages = new MessageCodec(maxFrameSize);
        this.forwards = new ForwardCodec(maxFrameSize);
        this.snapshots = new SnapshotCodec(maxFrameSize);
    }

    public int maxFrameSize() {
        return messages.maxFrameSize();
    }

    /** The exact size of the whole frame (length prefix included) for a Message, Hello or Forward. */
    public long frameSize(Object frame) {
        long body = switch (frame) {
            case Message m -> messages.encodedSize(m);
            case SnapshotFrame s -> snapshots.encodedSize(s);
            default -> forwards.encodedSize(frame);
        };
        return Integer.BYTES + body;
    }

    /**
     * Writes the whole frame (u32 body length, then the body) to {@code out}.
     *
     * @throws IllegalArgumentException if the body would exceed the max frame size, or
     *         {@code frame} is of no known kind; nothing is written then
     */
    public void writeFrame(Object frame, ByteBuf out) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        try {
            switch (frame) {
                case Message m -> messages.encode(m, out);
                case SnapshotFrame s -> snapshots.encode(s, out);
                default -> forwards.encode(frame, out);
            }
        } catch (IllegalArgumentException e) {
            out.writerIndex(lengthIndex);
            throw e;
        }
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - Integer.BYTES);
    }

    /**
     * Decodes one frame body (no length prefix): a {@link Message}, a {@link Hello} or a
     * {@code Forward}.
     */
    public Object decodeBody(ByteBuf body) throws WireFormatException {
        // A body too short to have a type byte goes to MessageCodec, which reports the truncation.
        int type = body.readableBytes() >= 2 ? body.getUnsignedByte(body.readerIndex() + 1) : 0;
        if (type >= SnapshotCodec.FIRST_TYPE) return snapshots.decode(body);
        if (type >= ForwardCodec.FIRST_TYPE) return forwards.decode(body);
        return messages.decode(body);
    }
}
