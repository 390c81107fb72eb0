package dev.ballot.node.wire;

import dev.ballot.raft.Message;
import io.netty.buffer.ByteBuf;

/**
 * One peer connection carries Raft {@link Message}s ({@link MessageCodec}, type codes below
 * {@code 0x40}) and {@link Hello}/{@code Forward} frames ({@link ForwardCodec}, {@code 0x40} and
 * up). This class writes either kind as a whole frame (u32 body length, then the body) and
 * decodes a body by looking at its type byte and delegating.
 *
 * <p>Immutable and thread-safe.
 */
public final class PeerFrameCodec {

    private final MessageCodec messages;
    private final ForwardCodec forwards;

    public PeerFrameCodec(int maxFrameSize) {
        this.messages = new MessageCodec(maxFrameSize);
        this.forwards = new ForwardCodec(maxFrameSize);
    }

    public int maxFrameSize() {
        return messages.maxFrameSize();
    }

    /** The exact size of the whole frame (length prefix included) for a Message, Hello or Forward. */
    public long frameSize(Object frame) {
        long body = frame instanceof Message m ? messages.encodedSize(m) : forwards.encodedSize(frame);
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
            if (frame instanceof Message m) messages.encode(m, out);
            else forwards.encode(frame, out);
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
        if (body.readableBytes() >= 2 && body.getUnsignedByte(body.readerIndex() + 1) >= ForwardCodec.FIRST_TYPE) {
            return forwards.decode(body);
        }
        return messages.decode(body);
    }
}
