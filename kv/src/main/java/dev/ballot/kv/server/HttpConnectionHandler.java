package dev.ballot.kv.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * One HTTP connection: answers its requests one at a time, in order (so pipelined requests get
 * their responses in order), keeping the connection alive unless the client asked otherwise.
 * Stops reading while too many requests are queued. State is touched only on the event loop.
 */
final class HttpConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpConnectionHandler.class);

    /** A request copied out of Netty's buffers. */
    private record Pending(HttpMethod method, String uri, byte[] body, boolean keepAlive) {}

    private final HttpApi api;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final int maxQueued;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean busy;
    private boolean closed;

    HttpConnectionHandler(HttpApi api, com.fasterxml.jackson.databind.ObjectMapper json, int maxQueued) {
        this.api = api;
        this.json = json;
        this.maxQueued = maxQueued;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (closed) {
                return;
            }
            if (request.decoderResult().isFailure()) {
                // An unparsable request line or headers: answer and close, the stream is lost.
                closed = true;
                HttpReply bad = HttpReply.error(json, HttpResponseStatus.BAD_REQUEST, "bad request",
                        "malformed HTTP request: " + request.decoderResult().cause());
                ctx.writeAndFlush(toResponse(bad, false)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            queue.add(new Pending(request.method(), request.uri(), ByteBufUtil.getBytes(request.content()),
                    HttpUtil.isKeepAlive(request)));
        } finally {
            request.release();
        }
        if (queue.size() >= maxQueued) {
            ctx.channel().config().setAutoRead(false);
        }
        next(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        queue.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("HTTP connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private void next(ChannelHandlerContext ctx) {
        if (busy || closed || queue.isEmpty()) {
            return;
        }
        Pending p = queue.poll();
        busy = true;
        api.handle(p.method(), p.uri(), p.body()).whenCompleteAsync((reply, error) -> {
            busy = false;
            if (closed) {
                return;
            }
            HttpReply r = reply != null ? reply : HttpReply.error(json, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "internal error", String.valueOf(error));
            if (error != null) {
                log.error("HTTP request failed unexpectedly", error);
            }
            if (p.keepAlive()) {
                ctx.writeAndFlush(toResponse(r, true)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                if (queue.size() < maxQueued / 2 + 1) {
                    ctx.channel().config().setAutoRead(true);
                }
                next(ctx);
            } else {
                closed = true;
                ctx.writeAndFlush(toResponse(r, false)).addListener(ChannelFutureListener.CLOSE);
            }
        }, ctx.executor());
    }

    static FullHttpResponse toResponse(HttpReply reply, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(),
                Unpooled.wrappedBuffer(reply.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}
