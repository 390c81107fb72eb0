package dev.ballot.kv.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates request bodies up to {@code maxRequestBytes}; a larger body gets
 * {@code 413} with the JSON error body every other error has (Netty's default has none).
 * As Netty does, a keep-alive connection stays open and the rest of the body is discarded;
 * otherwise it is closed.
 */
final class HttpBodyLimit extends HttpObjectAggregator {

    private final HttpReply tooLarge;

    HttpBodyLimit(int maxRequestBytes, HttpReply tooLarge) {
        super(maxRequestBytes);
        this.tooLarge = tooLarge;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        boolean close = oversized instanceof FullHttpMessage
                || (!HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized));
        FullHttpResponse response = HttpConnectionHandler.toResponse(tooLarge, !close);
        if (close) {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    static HttpReply reply(com.fasterxml.jackson.databind.ObjectMapper json, int maxRequestBytes) {
        return HttpReply.error(json, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request too large",
                "the request body exceeds the limit of " + maxRequestBytes + " bytes");
    }
}
