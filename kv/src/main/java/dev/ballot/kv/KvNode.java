package dev.ballot.kv;

import dev.ballot.kv.server.ClientServerSettings;
import dev.ballot.kv.server.ConnectionLimit;
import dev.ballot.kv.server.HttpServer;
import dev.ballot.kv.server.RaftKvService;
import dev.ballot.kv.server.RespServer;
import dev.ballot.kv.sm.KvStateMachine;
import dev.ballot.node.NodeLoop;
import dev.ballot.node.RaftServer;
import dev.ballot.node.transport.NettyTransport;
import dev.ballot.node.transport.TransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running key-value node: the Raft runtime with its peer transport, the KV state machine,
 * and the RESP and HTTP servers for clients.
 */
public final class KvNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KvNode.class);

    private final KvNodeConfig config;
    private final RaftServer raft;
    private final RaftKvService service;
    private final NettyTransport transport;
    private final RespServer resp;
    private final HttpServer http;
    private final NodeLoop loop;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private KvNode(KvNodeConfig config, RaftServer raft, RaftKvService service, NettyTransport transport,
                   RespServer resp, HttpServer http, NodeLoop loop) {
        this.loop = loop;
        this.config = config;
        this.raft = raft;
        this.service = service;
        this.transport = transport;
        this.resp = resp;
        this.http = http;
    }

    /**
     * Starts everything; returns once all ports are bound.
     *
     * @throws IllegalStateException if a port cannot be bound or the data directory cannot be
     *                               opened (everything started so far is closed again)
     */
    public static KvNode start(KvNodeConfig config) {
        KvStateMachine stateMachine = new KvStateMachine(config.limits());
        NettyTransport transport = new NettyTransport(config.raft().id(), config.peers(), config.peerBindHost(),
                TransportOptions.defaults());
        // One thread runs the whole node: engine, peers, clients, state machine (docs/runtime.md).
        NodeLoop loop = NodeLoop.start(String.valueOf(config.raft().id()));
        RaftServer raft;
        try {
            raft = RaftServer.start(config.raft(), stateMachine, transport, loop);
        } catch (RuntimeException e) {
            transport.close();
            loop.close();
            throw e;
        }
        if (config.readMode() == ReadMode.UNSAFE_LOCAL) {
            log.warn("node {}: reads are served from local state WITHOUT ReadIndex (--unsafe-local-reads); they can "
                    + "be stale. This mode exists only to prove that the chaos tests catch it.", config.raft().id());
        }
        RaftKvService service = new RaftKvService(raft, stateMachine, config.readMode());
        ConnectionLimit connections = new ConnectionLimit(config.maxClientConnections());
        RespServer resp = null;
        try {
            resp = RespServer.start(service, ClientServerSettings.resp(config), connections, loop);
            HttpServer http = HttpServer.start(service, ClientServerSettings.http(config), connections, loop);
            KvNode node = new KvNode(config, raft, service, transport, resp, http, loop);
            raft.terminated().whenComplete((v, err) -> {
                if (err != null) {
                    log.error("node {} stopped after a failure; closing its client ports", config.raft().id(), err);
                    node.close();
                }
            });
            log.info("node {} serving RESP on {} and HTTP on {}", config.raft().id(), resp.address(), http.address());
            return node;
        } catch (RuntimeException e) {
            if (resp != null) resp.close();
            raft.close();
            loop.close();
            throw e;
        }
    }

    public KvNodeConfig config() {
        return config;
    }

    /** The replicated service behind the client ports (for tests and tools in the same JVM). */
    public RaftKvService service() {
        return service;
    }

    /** The peer transport (fault injection in tests, connection state for status pages). */
    public NettyTransport transport() {
        return transport;
    }

    /** The bound RESP address (the actual port when 0 was configured). */
    public InetSocketAddress redisAddress() {
        return resp.address();
    }

    /** The bound HTTP address. */
    public InetSocketAddress httpAddress() {
        return http.address();
    }

    /** Completes once {@link #close()} has finished; exceptionally if the node stopped on a failure. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /**
     * Blocks until {@link #close()} has completed (e.g. from a shutdown hook).
     *
     * @return the failure that stopped the node (storage, state machine, raft loop), or null if
     *         it was closed on request
     */
    public Throwable awaitClosed() throws InterruptedException {
        try {
            closed.get();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * Clean shutdown: in-flight requests are answered or failed (the Raft server fails what it
     * cannot finish, and the client handlers send those errors), then the client ports close and
     * the files are closed. Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            closed.exceptionally(e -> null).join();
            return;
        }
        RuntimeException failure = null;
        try {
            raft.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            resp.close();
        } catch (RuntimeException e) {
            if (failure == null) failure = e; else failure.addSuppressed(e);
        }
        try {
            http.close();
        } catch (RuntimeException e) {
            if (failure == null) failure = e; else failure.addSuppressed(e);
        }
        loop.close();
        Throwable raftFailure = raft.terminated().handle((v, e) -> e).join();
        if (failure == null && raftFailure == null) {
            closed.complete(null);
        } else {
            closed.completeExceptionally(failure != null ? failure : raftFailure);
        }
    }
}
