package dev.ballot.node.transport;

import dev.ballot.node.wire.Hello;
import dev.ballot.raft.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The receiving end of one accepted peer connection, after {@code PeerFrameDecoder}: checks the
 * {@link Hello}, then hands every frame to the transport attributed to the peer it named.
 *
 * <p>Protocol violations (no Hello first, a second Hello, a Hello from a stranger or meant for
 * another node) close the connection with a warning. A Raft message that is not from the Hello's
 * peer or not addressed to this node is dropped and counted; the connection stays open.
 *
 * <p>Keeps per-connection state: one instance per channel.
 */
final class InboundHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(InboundHandler.class);

    private final NettyTransport transport;
    /** The peer named by the Hello; 0 until it arrived. */
    private long peer;

    InboundHandler(NettyTransport transport) {
        this.transport = transport;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case Hello hello -> hello(ctx, hello);
                case Message m -> {
                    if (peer == 0) {
                        reject(ctx, "a " + m.getClass().getSimpleName() + " came before the Hello");
                    } else if (m.from() != peer || m.to() != transport.selfId()) {
                        transport.misaddressed(peer, m);
                    } else {
                        transport.deliver(peer, m);
                    }
                }
                case Forward f -> {
                    if (peer == 0) reject(ctx, "a " + f.getClass().getSimpleName() + " came before the Hello");
                    else transport.deliver(peer, f);
                }
                case SnapshotFrame s -> {
                    if (peer == 0) reject(ctx, "a " + s.getClass().getSimpleName() + " came before the Hello");
                    else transport.deliver(peer, s);
                }
                default -> reject(ctx, "unexpected frame " + msg.getClass().getName());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void hello(ChannelHandlerContext ctx, Hello hello) {
        if (peer != 0) {
            reject(ctx, "a second Hello " + hello + " on a connection from peer " + peer);
        } else if (hello.to() != transport.selfId()) {
            reject(ctx, "its Hello is meant for node " + hello.to() + " but this is node " + transport.selfId()
                    + " (do the --peers lists agree?)");
        } else if (hello.from() == transport.selfId() || !transport.isPeer(hello.from())) {
            reject(ctx, "its Hello names node " + hello.from() + ", which is not a peer of node "
                    + transport.selfId() + " (do the --peers lists agree?)");
        } else {
            peer = hello.from();
            log.debug("Accepted a connection from peer {} at {}", peer, ctx.channel().remoteAddress());
        }
    }

    private void reject(ChannelHandlerContext ctx, String problem) {
        log.warn("Closing peer connection from {}: {}", ctx.channel().remoteAddress(), problem);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer != 0) log.debug("Connection from peer {} at {} closed", peer, ctx.channel().remoteAddress());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // Resets and the like: the peer went away; its own side reconnects.
            log.debug("Peer connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("Closing peer connection from {} after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
