package dev.ballot.testkit.sim.runtime;

import dev.ballot.kv.server.ClientServerSettings;
import dev.ballot.kv.server.KvService;
import dev.ballot.kv.server.RespServer;
import dev.ballot.kv.sm.KvLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A client's RESP connection to one simulated node: the production connection handlers (decoder,
 * encoder, the handler that keeps a connection's commands and replies in order) on a Netty
 * {@link EmbeddedChannel}, driven on the node's simulated loop. Bytes go in as a socket would
 * deliver them; replies leave when the handler flushes them, one reply per encoded write.
 */
final class SimConnection {

    private static final ClientServerSettings SETTINGS = new ClientServerSettings("sim", 0, KvLimits.DEFAULTS,
            1 << 20, ClientServerSettings.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION);

    private final EmbeddedChannel channel;
    private final Runnable onReset;
    /** Per command sent and not yet answered, in order: what a read must see, or -1 for a write. */
    private final ArrayDeque<Long> mustSee = new ArrayDeque<>();
    private final ReadIndexCheck reads;
    private boolean open = true;

    /**
     * Opens the connection; call on the node's loop. {@code replies} gets each flushed reply's
     * bytes; {@code onReset} runs if the node's process dies and its kernel resets the connection.
     */
    SimConnection(KvService service, long connectionId, Consumer<byte[]> replies, Runnable onReset, long node,
                  LongSupplier applied, ReadIndexCheck reads) {
        this.onReset = onReset;
        this.reads = reads;
        channel = new EmbeddedChannel();
        channel.pipeline().addFirst("socket", new ChannelOutboundHandlerAdapter() {
            private final List<byte[]> unflushed = new ArrayList<>();

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ByteBuf buf = (ByteBuf) msg;
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                buf.release();
                unflushed.add(bytes);
                promise.setSuccess();
            }

            @Override
            public void flush(ChannelHandlerContext ctx) {
                List<byte[]> out = new ArrayList<>(unflushed);
                unflushed.clear();
                for (byte[] b : out) {
                    Long must = mustSee.poll();
                    boolean error = b.length > 0 && b[0] == '-';
                    if (must != null && must >= 0 && !error) reads.answered(node, connectionId, must, applied.getAsLong());
                    replies.accept(b);
                }
            }
        });
        RespServer.serveConnection(channel, service, SETTINGS, connectionId);
    }

    boolean isOpen() {
        return open && channel.isActive();
    }

    /** One command from the client arrives ({@code read}: a GET); call on the node's loop. */
    void receive(byte[] bytes, boolean read) {
        if (!isOpen()) return;
        mustSee.add(read ? reads.asked() : -1L);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.checkException();
    }

    /**
     * The node's process died: the connection is gone, and nothing of the node runs any more. If
     * the machine is still up ({@code reset}), its kernel resets the connection and the client
     * hears of it; after a power loss the client finds out only by its own timeout.
     */
    void abandon(boolean reset) {
        open = false;
        if (reset) onReset.run();
    }

    /** The client resets the connection; call on the node's loop. */
    void close() {
        if (!open) return;
        open = false;
        channel.close();
    }
}
