package dev.ballot.kv.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Encodes {@link RespReply} messages as RESP2. Stateless, so one instance may serve all channels. */
@ChannelHandler.Sharable
public final class RespEncoder extends MessageToByteEncoder<RespReply> {

    public RespEncoder() {
        super(RespReply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RespReply msg, ByteBuf out) {
        RespWriter.write(out, msg);
    }
}
