package dev.ballot.node.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Splits the inbound TCP stream of a peer connection into frames (u32 body length, then the body)
 * and decodes each with {@link PeerFrameCodec} into a Raft {@code Message}, a {@link Hello} or a
 * {@code Forward}.
 *
 * <p>A peer that sends a length prefix beyond the max frame size, or a body that does not
 * decode, is either broken or speaks another format: the decoder logs a warning naming the
 * remote address and the problem, closes the connection and discards everything else it
 * receives. Frames decoded before the bad one are still delivered. An oversized length is
 * rejected as soon as the prefix arrives, before any of the body is buffered.
 *
 * <p>Keeps per-connection state: one instance per channel.
 */
public final class PeerFrameDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(PeerFrameDecoder.class);

    private final PeerFrameCodec codec;
    private boolean failed;

    public PeerFrameDecoder(PeerFrameCodec codec) {
        this.codec = codec;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && in.readableBytes() >= Integer.BYTES) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > codec.maxFrameSize()) {
                fail(ctx, in, "frame length " + length + " exceeds the max frame size of " + codec.maxFrameSize()
                        + " bytes");
                return;
            }
            if (in.readableBytes() < Integer.BYTES + length) {
                return; // wait for the rest of the frame
            }
            ByteBuf body = in.slice(in.readerIndex() + Integer.BYTES, (int) length);
            Object frame;
            try {
                frame = codec.decodeBody(body);
            } catch (WireFormatException e) {
                fail(ctx, in, "malformed frame: " + e.getMessage());
                return;
            }
            in.skipBytes(Integer.BYTES + (int) length);
            out.add(frame);
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, String problem) {
        failed = true;
        in.skipBytes(in.readableBytes());
        log.warn("Closing peer connection from {}: {}", ctx.channel().remoteAddress(), problem);
        ctx.close();
    }
}
