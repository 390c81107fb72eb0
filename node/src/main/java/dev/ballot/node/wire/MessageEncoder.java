package dev.ballot.node.wire;

import dev.ballot.raft.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes each outbound {@link Message} as one frame: a u32 body length, then the body from
 * {@link MessageCodec}. A message whose body exceeds the max frame size fails its write (an
 * {@code EncoderException} caused by an {@code IllegalArgumentException}); nothing is written.
 *
 * <p>Stateless, so one instance may be shared by many channels.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class MessageEncoder extends MessageToByteEncoder<Message> {

    private final MessageCodec codec;

    public MessageEncoder(MessageCodec codec) {
        super(Message.class);
        this.codec = codec;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Message msg, boolean preferDirect) {
        int size = (int) Math.min(Integer.BYTES + codec.encodedSize(msg), Integer.BYTES + (long) codec.maxFrameSize());
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        codec.encode(msg, out);
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - Integer.BYTES);
    }
}
