package dev.ballot.node.transport;

import dev.ballot.node.NodeLoop;
import dev.ballot.node.PeerAddress;
import dev.ballot.node.wire.Hello;
import dev.ballot.node.wire.PeerFrameCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbound half of the link to one peer: dials it, says {@link Hello}, redials with backoff
 * when the connection fails or closes, and writes what {@link #send} accepted.
 *
 * <p>{@code send} may be called from any thread and never blocks: it checks the limits, puts the
 * frame on a queue and, if no drain is pending, schedules one on the link's event loop. A drain
 * encodes everything queued and flushes once, so a burst of sends becomes one syscall. Frames
 * are dropped (and counted) while the peer is not connected and when the pending bytes or
 * messages (queued plus written to Netty but not yet to the socket) would exceed the limits.
 *
 * <p>Connection state changes only on the link's own event loop, so it needs no locks.
 */
final class PeerLink {

    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

    private enum State { NEW, CONNECTED, DOWN }

    private record Pending(Object frame, long size) {}

    private final long selfId;
    private final long peerId;
    private final PeerAddress address;
    private final PeerFrameCodec codec;
    private final TransportOptions options;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Backoff backoff;
    /** The node loop the link runs on, or null when the transport has threads of its own. */
    private final NodeLoop nodeLoop;

    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong pendingMessages = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** The connection frames are written to; null while there is none. */
    private volatile Channel channel;
    private volatile boolean closed;
    /** Only touched on {@link #loop}. */
    private State state = State.NEW;
    private long connectedAtNanos;

    PeerLink(long selfId, long peerId, PeerAddress address, PeerFrameCodec codec, TransportOptions options,
             EventLoop loop, Bootstrap bootstrap, NodeLoop nodeLoop) {
        this.nodeLoop = nodeLoop;
        this.selfId = selfId;
        this.peerId = peerId;
        this.address = address;
        this.codec = codec;
        this.options = options;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.backoff = new Backoff(options.reconnectMin(), options.reconnectMax(), new SplittableRandom());
    }

    // ------------------------------------------------------------------ sending (any thread)

    /** Accepts {@code frame} for sending, or drops and counts it; never blocks. */
    /** Queues {@code frame}; false if it was dropped instead (it will certainly not be sent). */
    boolean send(Object frame) {
        if (closed || channel == null) {
            dropped.incrementAndGet();
            return false;
        }
        long size = codec.frameSize(frame);
        if (size > Integer.BYTES + (long) codec.maxFrameSize()) {
            dropped.incrementAndGet();
            log.warn("Dropped a {} to peer {}: it encodes to {} bytes, more than the max frame size of {} bytes",
                    frame.getClass().getSimpleName(), peerId, size - Integer.BYTES, codec.maxFrameSize());
            return false;
        }
        if (nodeLoop != null && loop.inEventLoop()) return writeNow(frame, size);
        if (pendingMessages.incrementAndGet() > options.maxPendingMessages()) {
            pendingMessages.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        if (pendingBytes.addAndGet(size) > options.maxPendingBytes()) {
            release(size);
            dropped.incrementAndGet();
            return false;
        }
        queue.offer(new Pending(frame, size));
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down (close() raced with this send): nothing will be written.
                log.debug("Peer {} link is shutting down; dropping queued frames", peerId, e);
                dropQueued();
            }
        }
        return true;
    }

    /**
     * Sent from the node loop, which is this link's loop: written to the connection at once, no
     * queue and no task; flushed with everything else at the end of the loop's turn. The limit is
     * the bytes Netty holds for the socket (a peer that does not read is back-pressure: its
     * frames are dropped, and Raft retries).
     */
    private boolean writeNow(Object frame, long size) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            dropped.incrementAndGet();
            return false;
        }
        var outbound = ch.unsafe().outboundBuffer();
        long held = outbound == null ? 0 : outbound.totalPendingWriteBytes();
        if (held + size > options.maxPendingBytes()) {
            dropped.incrementAndGet();
            return false;
        }
        ByteBuf buf = ch.alloc().ioBuffer((int) size);
        try {
            codec.writeFrame(frame, buf);
        } catch (IllegalArgumentException e) {
            buf.release();
            dropped.incrementAndGet();
            log.error("Dropped a frame to peer {} that could not be encoded", peerId, e);
            return false;
        }
        ch.write(buf, ch.voidPromise());
        sent.incrementAndGet();
        nodeLoop.flushLater(ch);
        return true;
    }

    private void release(long size) {
        pendingBytes.addAndGet(-size);
        pendingMessages.decrementAndGet();
    }

    private void dropQueued() {
        Pending p;
        while ((p = queue.poll()) != null) {
            release(p.size());
            dropped.incrementAndGet();
        }
    }

    /** On the loop: writes everything queued, then flushes once. */
    private void drain() {
        drainScheduled.set(false); // first, so a send that comes after this line schedules another drain
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            dropQueued();
            return;
        }
        boolean wrote = false;
        Pending p;
        while ((p = queue.poll()) != null) {
            long size = p.size();
            ByteBuf buf = ch.alloc().ioBuffer((int) size);
            try {
                codec.writeFrame(p.frame(), buf);
            } catch (IllegalArgumentException e) {
                buf.release();
                release(size);
                dropped.incrementAndGet();
                log.error("Dropped a frame to peer {} that could not be encoded", peerId, e);
                continue;
            }
            ch.write(buf).addListener(f -> {
                release(size);
                (f.isSuccess() ? sent : dropped).incrementAndGet();
            });
            wrote = true;
        }
        if (wrote) ch.flush();
    }

    // ------------------------------------------------------------------ connecting (on the loop)

    void start() {
        loop.execute(this::connect);
    }

    private void connect() {
        if (closed) return;
        bootstrap.connect(address.host(), address.port()).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                connectFailed(f.cause());
                return;
            }
            Channel ch = f.channel();
            if (closed) {
                ch.close();
                return;
            }
            ByteBuf hello = ch.alloc().ioBuffer();
            codec.writeFrame(new Hello(selfId, peerId), hello);
            ch.writeAndFlush(hello);
            connectedAtNanos = System.nanoTime();
            channel = ch;
            if (state != State.CONNECTED) log.info("Connected to peer {} at {}", peerId, address);
            state = State.CONNECTED;
            ch.closeFuture().addListener(cf -> lost(ch));
        });
    }

    private void connectFailed(Throwable cause) {
        if (closed) return;
        if (state != State.DOWN) {
            log.info("Cannot reach peer {} at {} ({}); retrying with backoff up to {} ms", peerId, address,
                    describe(cause), options.reconnectMax().toMillis());
        } else {
            log.debug("Peer {} at {} still unreachable: {}", peerId, address, describe(cause));
        }
        state = State.DOWN;
        scheduleReconnect();
    }

    private void lost(Channel ch) {
        if (channel != ch) return;
        channel = null;
        if (closed) return;
        log.info("Lost connection to peer {} at {}; reconnecting", peerId, address);
        state = State.DOWN;
        // Start over from the shortest delay only after a connection that held: one the peer closes at
        // once (it rejects our Hello, say) must not make us redial in a tight loop.
        if (System.nanoTime() - connectedAtNanos >= options.reconnectMax().toNanos()) backoff.reset();
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed) return;
        try {
            loop.schedule(this::connect, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Not reconnecting to peer {}: the transport is shutting down", peerId, e);
        }
    }

    private static String describe(Throwable t) {
        return t == null ? "unknown error" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    // ------------------------------------------------------------------ lifecycle and stats

    /**
     * Stops reconnecting and closes the connection; frames still queued are dropped.
     *
     * @return the close future of the connection, or null if there was none
     */
    ChannelFuture close() {
        closed = true;
        Channel ch = channel;
        return ch == null ? null : ch.close();
    }

    void countReceived() {
        received.incrementAndGet();
    }

    void countDropped() {
        dropped.incrementAndGet();
    }

    long peerId() {
        return peerId;
    }

    PeerStats stats() {
        Channel ch = channel;
        return new PeerStats(peerId, address, ch != null && ch.isActive(), sent.get(), received.get(), dropped.get(),
                pendingBytes.get(), pendingMessages.get());
    }
}
