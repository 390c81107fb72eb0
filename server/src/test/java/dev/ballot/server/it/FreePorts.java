package dev.ballot.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 that are free right now. Another process may still take one before the node
 * binds it; the node then fails to start and its log names the port.
 */
final class FreePorts {

    private FreePorts() {}

    /** {@code n} distinct free ports, chosen by the OS (all held open at once, so none twice). */
    static List<Integer> any(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getByName(ProcessCluster.HOST)));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports", e);
        } finally {
            closeAll(sockets);
        }
    }

    /**
     * The first port of {@code n} consecutive free ports, for tools that take a base port; the
     * range lies below Linux's ephemeral range (32768+) so outgoing connections do not land in it.
     */
    static int range(int n) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 32_000 - n);
            if (allFree(base, n)) return base;
        }
        throw new IllegalStateException("no " + n + " consecutive free ports found in 20000..32000");
    }

    private static boolean allFree(int base, int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int p = base; p < base + n; p++) {
                sockets.add(new ServerSocket(p, 1, InetAddress.getByName(ProcessCluster.HOST)));
            }
            return true;
        } catch (IOException taken) {
            return false; // some port of the range is in use: the caller tries another range
        } finally {
            closeAll(sockets);
        }
    }

    private static void closeAll(List<ServerSocket> sockets) {
        for (ServerSocket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
