package dev.ballot.server;

import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/** Options shared by {@code put}, {@code get} and {@code del}: which nodes to try, and for how long. */
public final class ClientOptions {

    @Option(names = "--node", paramLabel = "HOST:PORT", split = ",", converter = NodeAddress.Converter.class,
            description = "HTTP address(es) of nodes to try, in turn (default: the local cluster, 127.0.0.1:8401..8405)")
    private List<NodeAddress> nodes;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "give up after this long without an answer from a node with a leader (default: ${DEFAULT-VALUE})")
    private int timeoutMs;

    ClusterClient client() {
        if (timeoutMs < 1) throw new IllegalArgumentException("--timeout-ms must be >= 1, was " + timeoutMs);
        List<NodeAddress> targets = nodes == null || nodes.isEmpty() ? NodeAddress.localCluster(5) : nodes;
        return new ClusterClient(targets, Duration.ofMillis(timeoutMs));
    }
}
