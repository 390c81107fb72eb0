package dev.ballot.kv.server;

import dev.ballot.kv.resp.RespDecoder;
import dev.ballot.kv.resp.RespEncoder;
import dev.ballot.kv.resp.RespLimits;
import dev.ballot.kv.resp.RespReply;
import dev.ballot.node.NodeLoop;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Redis-protocol (RESP2) front end of a node: key-value commands go to the {@link KvService},
 * connection commands are answered locally. Commands, replies and error codes are in docs/resp.md.
 */
public final class RespServer implements AutoCloseable {

    /** Plenty for any supported command; far below the codec's default, to bound per-connection memory. */
    static final int MAX_ARGS = 64 * 1024;
    static final String MAX_CLIENTS_REACHED = "ERR max number of clients reached";

    private final NettyServer server;

    private RespServer(KvService service, ClientServerSettings settings, ConnectionLimit connections,
                       NodeLoop nodeLoop) {
        RespLimits respLimits = respLimits(settings);
        RespEncoder encoder = new RespEncoder();
        ConnectionLimitHandler limiter = new ConnectionLimitHandler(connections, ch ->
                ch.writeAndFlush(new RespReply.ErrorReply(MAX_CLIENTS_REACHED)).addListener(ChannelFutureListener.CLOSE));
        AtomicLong connectionIds = new AtomicLong();
        long started = System.nanoTime();
        server = new NettyServer("resp", settings.host(), settings.port(), nodeLoop == null ? null : nodeLoop.group(),
                ch -> {
            RespLocalCommands local = new RespLocalCommands(service, connectionIds.incrementAndGet(),
                    () -> address().getPort(),
                    () -> TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            ch.pipeline().addLast("limit", limiter);
            addConnectionHandlers(ch, service, settings, respLimits, encoder, local, nodeLoop);
        });
    }

    private static void addConnectionHandlers(Channel ch, KvService service, ClientServerSettings settings,
                                              RespLimits respLimits, RespEncoder encoder, RespLocalCommands local,
                                              NodeLoop nodeLoop) {
        ch.pipeline().addLast("decoder", new RespDecoder(respLimits))
                .addLast("encoder", encoder)
                .addLast("handler", new RespConnectionHandler(service, settings.limits(),
                        settings.maxInFlightPerConnection(), local, nodeLoop));
    }

    /**
     * Serves one RESP connection on {@code channel}, which the caller drives, with exactly the
     * handlers a connection of the server gets (decoder, encoder, the ordering connection handler),
     * minus the connection limit. For the simulator, which feeds bytes through a Netty
     * {@code EmbeddedChannel} on its simulated node loop; replies are flushed as they are written.
     */
    public static void serveConnection(Channel channel, KvService service, ClientServerSettings settings,
                                       long connectionId) {
        RespLocalCommands local = new RespLocalCommands(service, connectionId, () -> 0, () -> 0L);
        addConnectionHandlers(channel, Objects.requireNonNull(service, "service"),
                Objects.requireNonNull(settings, "settings"), respLimits(settings), new RespEncoder(), local, null);
    }

    /**
     * Binds and starts serving.
     *
     * @param connections the connection cap, shared with the node's other client server
     * @throws IllegalStateException if the address cannot be bound
     */
    public static RespServer start(KvService service, ClientServerSettings settings, ConnectionLimit connections) {
        return start(service, settings, connections, null);
    }

    /**
     * Binds and serves on {@code nodeLoop}, the loop the node's Raft runtime runs on (null: on
     * event loops of the server's own): requests reach the service without a thread hand-off, and
     * replies are flushed once per turn of the loop.
     */
    public static RespServer start(KvService service, ClientServerSettings settings, ConnectionLimit connections,
                                   NodeLoop nodeLoop) {
        return new RespServer(Objects.requireNonNull(service, "service"), Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(connections, "connections"), nodeLoop);
    }

    /** The decoder limits: a whole request up to maxRequestBytes, so an oversized value gets a clear error, not a protocol error. */
    static RespLimits respLimits(ClientServerSettings settings) {
        int max = settings.maxRequestBytes();
        return new RespLimits(max, MAX_ARGS, Math.min(RespLimits.DEFAULT_MAX_INLINE_BYTES, max), max);
    }

    /** The bound address (the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.address();
    }

    /** Stops accepting, closes all connections (pending replies are dropped). Idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
