package dev.ballot.testkit.chaos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The proxy of one directed link: a port on 127.0.0.1 that the dialling node uses as its peer's
 * address, relaying every connection to the peer's real port. While cut, it closes its
 * connections and closes every new one right after accepting it.
 */
final class LinkProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LinkProxy.class);
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final DirectedLink link;
    private final InetSocketAddress target;
    private final FrameFaults faults;
    private final ServerSocket server;
    private final Set<RelayedConnection> connections = new HashSet<>(); // guarded by this
    private boolean cut; // guarded by this
    private boolean closed; // guarded by this
    private long accepted; // guarded by this

    /** Binds a free port on {@code bindHost} and starts accepting. */
    LinkProxy(DirectedLink link, String bindHost, InetSocketAddress target, FrameFaults faults) {
        this.link = link;
        this.target = target;
        this.faults = faults;
        try {
            this.server = new ServerSocket();
            server.bind(new InetSocketAddress(bindHost, 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a proxy port for link " + link + " on " + bindHost, e);
        }
        Thread.ofVirtual().name("proxy-accept " + link).start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Cuts (closing what is open) or restores the link. */
    void setCut(boolean cut) {
        List<RelayedConnection> toClose;
        synchronized (this) {
            this.cut = cut;
            toClose = cut ? new ArrayList<>(connections) : List.of();
        }
        toClose.forEach(RelayedConnection::close);
    }

    synchronized boolean isCut() {
        return cut;
    }

    /** Connections open through this link now. */
    synchronized int openConnections() {
        return connections.size();
    }

    /** Connections accepted since the start, whether relayed or refused. */
    synchronized long acceptedConnections() {
        return accepted;
    }

    private void acceptLoop() {
        while (true) {
            Socket dialler;
            try {
                dialler = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) log.warn("link {}: accepting failed, the proxy stops: {}", link, e.toString());
                return;
            }
            synchronized (this) {
                accepted++;
            }
            // Connecting to the target may take a while: do it off the accept loop.
            Thread.ofVirtual().name("proxy-connect " + link).start(() -> relay(dialler));
        }
    }

    private void relay(Socket dialler) {
        if (isCut()) {
            closeQuietly(dialler);
            return;
        }
        Socket upstream = new Socket();
        RelayedConnection connection;
        try {
            dialler.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, CONNECT_TIMEOUT_MS);
            connection = new RelayedConnection(link, dialler, upstream, faults, this::forget);
        } catch (IOException e) {
            // The target is down (killed, not started yet): the dialler sees its connection close and redials.
            log.debug("link {}: cannot reach {}: {}", link, target, e.toString());
            closeQuietly(dialler);
            closeQuietly(upstream);
            return;
        }
        boolean admitted;
        synchronized (this) {
            admitted = !cut && !closed;
            if (admitted) connections.add(connection);
        }
        if (admitted) connection.start();
        else connection.close();
    }

    private synchronized void forget(RelayedConnection connection) {
        connections.remove(connection);
    }

    @Override
    public void close() {
        List<RelayedConnection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(connections);
        }
        try {
            server.close();
        } catch (IOException e) {
            log.warn("link {}: closing the proxy port failed: {}", link, e.toString());
        }
        toClose.forEach(RelayedConnection::close);
    }

    private void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("link {}: closing a socket failed: {}", link, e.toString());
        }
    }
}
