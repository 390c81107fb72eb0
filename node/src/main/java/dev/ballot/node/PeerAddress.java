package dev.ballot.node;

/**
 * Where a node listens for its peers: a host name or IP literal and a TCP port. Not resolved here,
 * so a configuration can name hosts that do not resolve yet (containers, namespaces).
 */
public record PeerAddress(String host, int port) {

    public PeerAddress {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
