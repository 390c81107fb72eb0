package dev.ballot.kv.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * First handler of every client channel: takes a slot of the {@link ConnectionLimit} when the
 * connection opens and gives it back when it closes. Beyond the limit it stops reading and hands
 * the channel to {@code refuse}, which tells the client (protocol-specific) and closes it.
 */
@ChannelHandler.Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {

    private final ConnectionLimit limit;
    private final Consumer<Channel> refuse;

    ConnectionLimitHandler(ConnectionLimit limit, Consumer<Channel> refuse) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.refuse = Objects.requireNonNull(refuse, "refuse");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (limit.tryAcquire()) {
            // Released exactly once, when this channel closes.
            ctx.channel().closeFuture().addListener(f -> limit.release());
            ctx.fireChannelActive();
        } else {
            ctx.channel().config().setAutoRead(false);
            refuse.accept(ctx.channel());
        }
    }
}
