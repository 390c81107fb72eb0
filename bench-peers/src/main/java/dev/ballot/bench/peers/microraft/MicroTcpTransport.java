package dev.ballot.bench.peers.microraft;

import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.model.message.RaftMessage;
import io.microraft.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * OUR transport for MicroRaft, which ships none: plain blocking TCP sockets on loopback, one
 * outbound connection per peer ({@link MicroPeerLink}, a writer thread each) and a reader thread
 * per inbound connection that hands each decoded message to {@link RaftNode#handle}. Messages are
 * encoded by {@link MicroCodec}. Written for this benchmark; MicroRaft's numbers include it.
 */
final class MicroTcpTransport implements Transport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MicroTcpTransport.class);
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    private final MicroEndpoint self;
    private final InetSocketAddress bind;
    private final MicroCodec codec;
    private final Map<Long, MicroPeerLink> links = new TreeMap<>();
    private final List<Socket> inbound = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile boolean closed;

    MicroTcpTransport(MicroEndpoint self, Map<MicroEndpoint, InetSocketAddress> addresses, MicroCodec codec) {
        this.self = self;
        this.codec = codec;
        this.bind = addresses.get(self);
        if (bind == null) throw new IllegalArgumentException(self + " has no address in " + addresses);
        for (Map.Entry<MicroEndpoint, InetSocketAddress> e : addresses.entrySet()) {
            if (!e.getKey().equals(self)) {
                links.put(e.getKey().id(), new MicroPeerLink(self, e.getKey(), e.getValue(), codec));
            }
        }
    }

    /** Listens for peers and starts the outbound links; inbound messages go to {@code node}. */
    void start(RaftNode node) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(bind);
        server = s;
        Thread.ofPlatform().daemon().name("microraft-" + self + "-accept").start(() -> accept(node));
        links.values().forEach(MicroPeerLink::start);
    }

    private void accept(RaftNode node) {
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                inbound.add(socket);
                Thread.ofPlatform().daemon().name("microraft-" + self + "-read-" + socket.getPort())
                        .start(() -> read(socket, node));
            } catch (IOException e) {
                if (!closed) log.warn("microraft {}: accept failed: {}", self, e.toString());
            }
        }
    }

    private void read(Socket socket, RaftNode node) {
        try (socket; DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024))) {
            while (!closed) {
                int length = in.readInt();
                if (length < 0 || length > MAX_FRAME) throw new IOException("bad frame length " + length);
                byte[] body = new byte[length];
                in.readFully(body);
                node.handle(MicroCodec.fromBytes(codec::readMessage, body));
            }
        } catch (EOFException e) {
            // the peer closed the connection
        } catch (IOException | RuntimeException e) {
            if (!closed) log.debug("microraft {}: inbound connection closed: {}", self, e.toString());
        } finally {
            inbound.remove(socket);
        }
    }

    @Override
    public void send(RaftEndpoint target, RaftMessage message) {
        MicroPeerLink link = links.get(((MicroEndpoint) target).id());
        if (link == null) throw new IllegalArgumentException("unknown endpoint " + target);
        link.offer(message);
    }

    @Override
    public boolean isReachable(RaftEndpoint endpoint) {
        MicroPeerLink link = links.get(((MicroEndpoint) endpoint).id());
        return link != null && link.isConnected();
    }

    @Override
    public void close() {
        closed = true;
        links.values().forEach(MicroPeerLink::close);
        try {
            if (server != null) server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : inbound) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
