package dev.ballot.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each node of a local cluster lives: ports, data directory, log file, and the command
 * line that starts it. Pure computation, so it is tested without starting anything.
 *
 * @param fsync false passes {@code --no-fsync} to every node
 */
public record ClusterLayout(int size, Path baseDir, String host, int peerPortBase, int redisPortBase,
                            int httpPortBase, boolean fsync) {

    public static final int MAX_NODES = 9;
    public static final int DEFAULT_PEER_PORT_BASE = 7101;
    public static final int DEFAULT_REDIS_PORT_BASE = 6401;
    public static final int DEFAULT_HTTP_PORT_BASE = NodeAddress.LOCAL_HTTP_PORT_BASE;

    /** One node of the cluster. */
    public record Node(long id, int peerPort, int redisPort, int httpPort, Path dataDir, Path logFile) {}

    /** A port the cluster needs, what it is for, and the flag that moves it. */
    public record Port(int port, String purpose, String flag) {}

    public ClusterLayout {
        if (size < 1 || size > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be 1.." + MAX_NODES + ", was " + size);
        }
        checkBase("--peer-port-base", peerPortBase, size);
        checkBase("--redis-port-base", redisPortBase, size);
        checkBase("--http-port-base", httpPortBase, size);
    }

    private static void checkBase(String flag, int base, int size) {
        if (base < 1 || base + size - 1 > 65535) {
            throw new IllegalArgumentException(flag + " " + base + " leaves no room for " + size
                    + " ports below 65536");
        }
    }

    public List<Node> nodes() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long id = i + 1;
            Path dir = baseDir.resolve(Long.toString(id));
            nodes.add(new Node(id, peerPortBase + i, redisPortBase + i, httpPortBase + i, dir.resolve("data"),
                    dir.resolve("node.log")));
        }
        return nodes;
    }

    /** The {@code --peers} value every node gets. */
    public String peers() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes()) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append(n.id()).append('=').append(host).append(':').append(n.peerPort());
        }
        return sb.toString();
    }

    /** Every port the cluster will bind, in node order. */
    public List<Port> ports() {
        List<Port> ports = new ArrayList<>();
        for (Node n : nodes()) {
            ports.add(new Port(n.peerPort(), "node " + n.id() + " peer", "--peer-port-base"));
            ports.add(new Port(n.redisPort(), "node " + n.id() + " RESP", "--redis-port-base"));
            ports.add(new Port(n.httpPort(), "node " + n.id() + " HTTP", "--http-port-base"));
        }
        return ports;
    }

    /** The HTTP addresses of all nodes, for the status and client commands. */
    public List<NodeAddress> httpAddresses() {
        return nodes().stream().map(n -> new NodeAddress(host, n.httpPort())).toList();
    }

    /** {@code java -cp CP dev.ballot.server.BallotCli server --id ... } for one node. */
    public List<String> command(String javaBinary, String classPath, Node node) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary,
                // Timestamps make the per-node logs comparable when following an election across them.
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", classPath, BallotCli.class.getName(), "server",
                "--id", Long.toString(node.id()),
                "--peers", peers(),
                "--data", node.dataDir().toString(),
                "--client-host", host,
                "--redis-port", Integer.toString(node.redisPort()),
                "--http-port", Integer.toString(node.httpPort())));
        if (!fsync) cmd.add("--no-fsync");
        return cmd;
    }
}
