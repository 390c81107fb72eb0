package dev.ballot.kv.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballot.node.NodeLoop;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The HTTP/JSON front end of a node: key-value access, status, the log, health and readiness.
 * Routes, status codes and bodies are in docs/http-api.md.
 */
public final class HttpServer implements AutoCloseable {

    /** Queued requests per connection before it stops reading (only pipelining clients queue). */
    private static final int MAX_QUEUED_PER_CONNECTION = 16;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final NettyServer server;

    private HttpServer(KvService service, ClientServerSettings settings, ConnectionLimit connections,
                       NodeLoop nodeLoop) {
        ObjectMapper json = new ObjectMapper();
        HttpApi api = new HttpApi(service, settings.limits(), json);
        HttpReply tooLarge = HttpBodyLimit.reply(json, settings.maxRequestBytes());
        HttpReply tooMany = HttpReply.error(json, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many connections",
                "the server has reached its limit of " + connections.max() + " client connections");
        // The request line must hold a percent-encoded key of maxKeyBytes (3 characters a byte).
        int maxInitialLine = Math.max(4096, settings.limits().maxKeyBytes() * 3 + 256);
        ConnectionLimitHandler limiter = new ConnectionLimitHandler(connections, ch ->
                // Sent before any request: HTTP/1.1 clients read it as the answer to their first one.
                ch.writeAndFlush(HttpConnectionHandler.toResponse(tooMany, false))
                        .addListener(ChannelFutureListener.CLOSE));
        server = new NettyServer("http", settings.host(), settings.port(), nodeLoop == null ? null : nodeLoop.group(),
                ch -> ch.pipeline()
                .addLast("limit", limiter)
                .addLast("codec", new HttpServerCodec(maxInitialLine, MAX_HEADER_BYTES, 8192))
                .addLast("aggregator", new HttpBodyLimit(settings.maxRequestBytes(), tooLarge))
                .addLast("handler", new HttpConnectionHandler(api, json, MAX_QUEUED_PER_CONNECTION)));
    }

    /**
     * Binds and starts serving.
     *
     * @param connections the connection cap, shared with the node's other client server
     * @throws IllegalStateException if the address cannot be bound
     */
    public static HttpServer start(KvService service, ClientServerSettings settings, ConnectionLimit connections) {
        return start(service, settings, connections, null);
    }

    /** Binds and serves on {@code nodeLoop}, the node's loop (null: on event loops of the server's own). */
    public static HttpServer start(KvService service, ClientServerSettings settings, ConnectionLimit connections,
                                   NodeLoop nodeLoop) {
        return new HttpServer(Objects.requireNonNull(service, "service"), Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(connections, "connections"), nodeLoop);
    }

    /** The bound address (the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.address();
    }

    /** Stops accepting and closes all connections. Idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
