package dev.ballot.node.transport;

import dev.ballot.node.Loop;
import dev.ballot.node.NodeLoop;
import dev.ballot.node.PeerAddress;
import dev.ballot.node.Peers;
import dev.ballot.node.wire.PeerFrameCodec;
import dev.ballot.node.wire.PeerFrameDecoder;
import dev.ballot.raft.Message;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * {@link Transport} over TCP with Netty (NIO, {@link TransportOptions#ioThreads()} threads).
 *
 * <p>Connections: this node dials every peer and uses that connection only to send; it accepts
 * connections only to receive. So each pair of nodes has two TCP connections, one per direction:
 * no tie-breaking over who dials whom, and a connection's owner alone decides when to redial (with
 * jittered exponential backoff). The dialler's first frame is a {@code Hello} naming itself;
 * every later frame on the connection is attributed to that peer (see docs/transport.md).
 *
 * <p>Sends never block and never queue without bound: see {@link PeerLink}. Frames to one peer
 * arrive in the order they were sent (one connection, one queue), though some may be missing.
 *
 * <p>For tests, {@link #setLinkFilter} cuts links to and from chosen peers without touching the
 * connections.
 */
public final class NettyTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);

    private final long selfId;
    private final Peers peers;
    private final String bindHost;
    private final TransportOptions options;
    private final PeerFrameCodec codec;
    /** Set once by start(), never changed after: read without locks. */
    private volatile Map<Long, PeerLink> links = Map.of();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Dropped for no particular peer: sends before start or after close, misaddressed messages. */
    private final AtomicLong droppedUnattributed = new AtomicLong();
    private final AtomicLong misaddressed = new AtomicLong();

    /** Open inbound connections, closed explicitly by close() so peers see the end of stream at once. */
    private final Set<Channel> accepted = ConcurrentHashMap.newKeySet();

    private volatile LongPredicate linkFilter;
    private volatile Inbound inbound;
    private volatile EventLoopGroup group;
    /** The group this transport made for itself, shut down by close(); null when it runs on a node loop. */
    private volatile EventLoopGroup ownGroup;
    private volatile Channel serverChannel;

    /**
     * @param selfId   this node's id; must be a member of {@code peers}
     * @param peers    every member's peer address, this node's included
     * @param bindHost the address to listen on, or null for the host of this node's own entry
     *                 (the port is always the entry's)
     */
    public NettyTransport(long selfId, Peers peers, String bindHost, TransportOptions options) {
        if (!peers.ids().contains(selfId)) {
            throw new IllegalArgumentException("node " + selfId + " is not a member " + peers.ids()
                    + " of the peer list " + peers);
        }
        this.selfId = selfId;
        this.peers = peers;
        this.bindHost = bindHost != null ? bindHost : peers.address(selfId).host();
        this.options = options;
        this.codec = new PeerFrameCodec(options.maxFrameSize());
    }

    /**
     * Binds the peer port (failing with an {@link IllegalStateException} that names the address
     * if it cannot), then starts dialling every peer in the background.
     */
    /**
     * Starts on threads of the transport's own ({@link TransportOptions#ioThreads()}), for a caller
     * without a node loop (tests, tools). Inbound callbacks then arrive on those threads.
     */
    public void start(Inbound inbound) {
        start(inbound, null);
    }

    /**
     * Runs every peer connection on {@code nodeLoop} (null: on threads of its own): frames are
     * read and handed to {@code inbound} on the loop, and frames sent from the loop are written
     * without a hand-off and flushed once at the end of the loop's turn. A loop that is not a
     * {@link NodeLoop} (it has no sockets) is refused.
     */
    @Override
    public void start(Inbound inbound, Loop runtimeLoop) {
        if (runtimeLoop != null && !(runtimeLoop instanceof NodeLoop)) {
            throw new IllegalArgumentException("NettyTransport runs on a NodeLoop, not on " + runtimeLoop.getClass().getName());
        }
        NodeLoop nodeLoop = (NodeLoop) runtimeLoop;
        if (closed.get()) throw new IllegalStateException("transport of node " + selfId + " is closed");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("transport of node " + selfId + " is already started");
        }
        this.inbound = inbound;
        EventLoopGroup g;
        if (nodeLoop != null) {
            g = nodeLoop.group();
        } else {
            g = new MultiThreadIoEventLoopGroup(options.ioThreads(),
                    new DefaultThreadFactory("ballot-transport-" + selfId, true), NioIoHandler.newFactory());
            ownGroup = g;
        }
        group = g;
        int port = peers.address(selfId).port();
        ChannelFuture bind = new ServerBootstrap()
                .group(g)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.MAX_MESSAGES_PER_READ, 64)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.add(ch);
                        ch.closeFuture().addListener(f -> accepted.remove(ch));
                        ch.pipeline().addLast(new PeerFrameDecoder(codec), new InboundHandler(NettyTransport.this));
                    }
                })
                .bind(bindHost, port)
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            close();
            throw new IllegalStateException("node " + selfId + " cannot listen for peers on " + bindHost + ":" + port
                    + ": " + bind.cause().getMessage(), bind.cause());
        }
        serverChannel = bind.channel();
        log.info("Node {} listens for peers on {}", selfId, serverChannel.localAddress());

        Bootstrap base = new Bootstrap()
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        options.connectTimeout().toMillis()))
                .handler(new OutboundConnectionHandler());
        Map<Long, PeerLink> built = new TreeMap<>();
        for (Map.Entry<Long, PeerAddress> e : peers.members().entrySet()) {
            if (e.getKey() == selfId) continue;
            EventLoop loop = g.next(); // one loop per link: its state needs no locks
            built.put(e.getKey(), new PeerLink(selfId, e.getKey(), e.getValue(), codec, options, loop,
                    base.clone().group(loop), nodeLoop));
        }
        links = Collections.unmodifiableMap(built);
        if (closed.get()) return; // close() ran concurrently and saw no links: do not start dialling
        built.values().forEach(PeerLink::start);
    }

    /** The address the peer port is bound to; null before {@link #start}. */
    public InetSocketAddress localAddress() {
        Channel ch = serverChannel;
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }

    public long selfId() {
        return selfId;
    }

    // ------------------------------------------------------------------ sending

    @Override
    public void send(Message message) {
        if (message.from() != selfId) {
            throw new IllegalArgumentException("node " + selfId + " cannot send a message from node " + message.from()
                    + ": " + message);
        }
        sendFrame(message.to(), message);
    }

    @Override
    public boolean send(long to, Forward frame) {
        return sendFrame(to, frame);
    }

    @Override
    public boolean send(long to, SnapshotFrame frame) {
        return sendFrame(to, frame);
    }

    private boolean sendFrame(long to, Object frame) {
        PeerLink link = link(to);
        if (link == null) {
            droppedUnattributed.incrementAndGet();
            return false;
        }
        LongPredicate filter = linkFilter;
        if (filter != null && !filter.test(to)) {
            link.countDropped();
            return false;
        }
        return link.send(frame);
    }

    /**
     * The link to {@code id}, or null before start/after close.
     *
     * @throws IllegalArgumentException if {@code id} is not a peer (a bug in the caller)
     */
    private PeerLink link(long id) {
        if (id == selfId || !peers.ids().contains(id)) {
            throw new IllegalArgumentException("node " + id + " is not a peer of node " + selfId + " " + peers.ids());
        }
        if (closed.get()) return null;
        return links.get(id);
    }

    // ------------------------------------------------------------------ receiving (called by InboundHandler)

    boolean isPeer(long id) {
        return id != selfId && peers.ids().contains(id);
    }

    void misaddressed(long peer, Message m) {
        misaddressed.incrementAndGet();
        droppedUnattributed.incrementAndGet();
        log.debug("Dropped a message on the connection from peer {} that is not from it to node {}: {}",
                peer, selfId, m);
    }

    void deliver(long peer, Object frame) {
        PeerLink link = link(peer);
        LongPredicate filter = linkFilter;
        if (link == null || (filter != null && !filter.test(peer))) {
            if (link != null) link.countDropped();
            else droppedUnattributed.incrementAndGet();
            return;
        }
        link.countReceived();
        try {
            switch (frame) {
                case Message m -> inbound.onMessage(m);
                case Forward f -> inbound.onForward(peer, f);
                case SnapshotFrame s -> inbound.onSnapshot(peer, s);
                default -> throw new IllegalArgumentException("not a Message, Forward or SnapshotFrame: " + frame);
            }
        } catch (RuntimeException e) {
            log.error("The inbound handler of node {} failed on a frame from peer {}", selfId, peer, e);
        }
    }

    // ------------------------------------------------------------------ fault injection

    /**
     * For tests: from now on, messages to and from peers for which {@code allowedPeer} is false
     * are dropped (and counted) in both directions; connections stay up. {@code null} heals
     * every link.
     */
    public void setLinkFilter(LongPredicate allowedPeer) {
        this.linkFilter = allowedPeer;
    }

    // ------------------------------------------------------------------ stats

    @Override
    public long droppedCount() {
        long n = droppedUnattributed.get();
        for (PeerStats s : peerStats()) n += s.dropped();
        return n;
    }

    /** Messages written to peers' sockets. */
    public long sentCount() {
        return peerStats().stream().mapToLong(PeerStats::sent).sum();
    }

    /** Messages from peers delivered to the inbound handler. */
    public long receivedCount() {
        return peerStats().stream().mapToLong(PeerStats::received).sum();
    }

    /** Raft messages dropped because they were not from the connection's peer or not addressed to this node. */
    public long misaddressedCount() {
        return misaddressed.get();
    }

    /** One entry per peer, by id; empty before start. */
    public List<PeerStats> peerStats() {
        Map<Long, PeerLink> current = links;
        List<PeerStats> stats = new ArrayList<>(current.size());
        for (PeerLink l : current.values()) stats.add(l.stats());
        return stats;
    }

    /** Whether the connection to peer {@code id} is up. */
    public boolean isConnected(long id) {
        return peerStats().stream().anyMatch(s -> s.peerId() == id && s.connected());
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes every connection, stops listening and stops the threads, waiting at most about
     * {@link TransportOptions#shutdownTimeout()}. Idempotent. Must not be called from a transport
     * thread (an inbound callback).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        long timeout = options.shutdownTimeout().toMillis();
        List<ChannelFuture> closing = new ArrayList<>();
        Channel server = serverChannel;
        if (server != null) closing.add(server.close());
        for (PeerLink link : links.values()) {
            ChannelFuture f = link.close();
            if (f != null) closing.add(f);
        }
        for (Channel ch : accepted) closing.add(ch.close());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        EventLoopGroup g = ownGroup;
        if (g != null) {
            Future<?> done = g.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS);
            if (!done.awaitUninterruptibly(timeout + 1000)) {
                log.warn("Transport threads of node {} did not stop within {} ms", selfId, timeout + 1000);
            }
        }
        log.info("Transport of node {} closed", selfId);
    }

    /**
     * On outbound connections: peers never write on them, so inbound bytes are discarded; errors
     * close the connection (the link then redials).
     */
    @ChannelHandler.Sharable
    private final class OutboundConnectionHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException) {
                log.debug("Connection of node {} to {} failed: {}", selfId, ctx.channel().remoteAddress(), cause.toString());
            } else {
                log.warn("Closing connection of node {} to {} after an unexpected error", selfId,
                        ctx.channel().remoteAddress(), cause);
            }
            ctx.close();
        }
    }
}
