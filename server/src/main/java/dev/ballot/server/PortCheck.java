package dev.ballot.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Finds which of the ports a cluster needs are already taken, before anything is started. */
final class PortCheck {

    private PortCheck() {}

    /** The ports that cannot be bound on {@code host} right now. */
    static List<ClusterLayout.Port> busy(String host, List<ClusterLayout.Port> ports) {
        List<ClusterLayout.Port> busy = new ArrayList<>();
        for (ClusterLayout.Port p : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                // As the node will: a port in TIME_WAIT from a previous run is free, a listening one is not.
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(host, p.port()));
            } catch (IOException e) {
                busy.add(p);
            }
        }
        return busy;
    }
}
