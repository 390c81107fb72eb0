package dev.ballot.node.transport;

import dev.ballot.node.PeerAddress;
import dev.ballot.node.Peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Ports and options for tests that run transports on loopback. */
final class TransportTestSupport {

    private TransportTestSupport() {}

    /** Options that reconnect fast, so tests do not wait long. */
    static TransportOptions fastOptions() {
        return TransportOptions.defaults()
                .withMaxFrameSize(1024 * 1024)
                .withMaxPending(4L * 1024 * 1024, 10_000)
                .withConnectTimeout(Duration.ofMillis(500))
                .withReconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(200));
    }

    /** {@code n} distinct ports that were free a moment ago (each bound, then released). */
    static int[] freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** Nodes 1..n on 127.0.0.1 at {@code ports}. */
    static Peers loopbackPeers(int... ports) {
        TreeMap<Long, PeerAddress> members = new TreeMap<>();
        for (int i = 0; i < ports.length; i++) members.put(i + 1L, new PeerAddress("127.0.0.1", ports[i]));
        return new Peers(members);
    }
}
