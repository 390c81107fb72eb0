package dev.ballot.testkit.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Distinct free ports on 127.0.0.1, held open until {@link #close} so nothing else binds them
 * meanwhile. They lie below Linux's ephemeral range (32768+), so once released they are not taken
 * by the source port of some outgoing connection while a killed node is down; another process
 * may still bind one, and the node then fails to start with the port in its log.
 */
final class PortReservation implements AutoCloseable {

    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;

    private final List<ServerSocket> sockets = new ArrayList<>();

    PortReservation(int count) {
        int attempts = 0;
        try {
            while (sockets.size() < count) {
                if (++attempts > 100 * count) {
                    throw new IllegalStateException("found only " + sockets.size() + " of " + count
                            + " free ports in " + LOW + ".." + HIGH);
                }
                int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
                ServerSocket socket = new ServerSocket();
                try {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                    sockets.add(socket);
                } catch (IOException taken) {
                    socket.close(); // in use: try another
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? new UncheckedIOException("cannot reserve free ports", io)
                    : (RuntimeException) e;
        }
    }

    List<Integer> ports() {
        return sockets.stream().map(ServerSocket::getLocalPort).toList();
    }

    @Override
    public void close() {
        IOException failure = null;
        for (ServerSocket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) throw new UncheckedIOException("cannot release reserved ports", failure);
    }
}
