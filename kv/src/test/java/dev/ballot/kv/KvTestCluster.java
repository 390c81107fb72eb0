package dev.ballot.kv;

import dev.ballot.node.Peers;
import dev.ballot.raft.Role;
import dev.ballot.storage.Durability;
import dev.ballot.storage.StorageOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/** Several {@link KvNode}s in one JVM, talking over real TCP on loopback. */
final class KvTestCluster implements AutoCloseable {

    final Peers peers;
    final Map<Long, KvNode> nodes = new TreeMap<>();
    private final Path root;
    private final ReadMode readMode;

    KvTestCluster(Path root, int size) {
        this(root, size, ReadMode.LINEARIZABLE);
    }

    KvTestCluster(Path root, int size, ReadMode readMode) {
        this.root = root;
        this.readMode = readMode;
        List<String> members = new ArrayList<>();
        int[] ports = freePorts(size);
        for (int id = 1; id <= size; id++) members.add(id + "=127.0.0.1:" + ports[id - 1]);
        this.peers = Peers.parse("--peers", String.join(",", members));
        for (long id : peers.ids()) start(id);
    }

    KvNodeConfig config(long id) {
        KvNodeConfig c = KvNodeConfig.of(id, peers, root.resolve("n" + id), 0, 0);
        return c.withReadMode(readMode).withRaft(c.raft().withTickInterval(Duration.ofMillis(10))
                .withRequestTimeout(Duration.ofSeconds(2))
                .withStorage(StorageOptions.DEFAULTS.withDurability(Durability.NONE)));
    }

    KvNode start(long id) {
        KvNode n = KvNode.start(config(id));
        nodes.put(id, n);
        return n;
    }

    void stop(long id) {
        KvNode n = nodes.remove(id);
        if (n != null) n.close();
    }

    KvNode awaitLeader() {
        return await().atMost(Duration.ofSeconds(15)).until(() -> {
            List<KvNode> leaders = nodes.values().stream()
                    .filter(n -> n.service().status().role() == Role.LEADER).toList();
            if (leaders.size() != 1) return null;
            long id = leaders.getFirst().config().raft().id();
            return nodes.values().stream().allMatch(n -> n.service().status().leaderId() == id)
                    ? leaders.getFirst() : null;
        }, n -> n != null);
    }

    List<KvNode> followers() {
        KvNode leader = awaitLeader();
        return nodes.values().stream().filter(n -> n != leader).collect(Collectors.toList());
    }

    /** Cuts every link between the two groups, in both directions. */
    void partition(List<Long> side) {
        for (KvNode n : nodes.values()) {
            boolean inSide = side.contains(n.config().raft().id());
            n.transport().setLinkFilter(peer -> side.contains(peer) == inSide);
        }
    }

    void heal() {
        for (KvNode n : nodes.values()) n.transport().setLinkFilter(peer -> true);
    }

    /**
     * {@code n} distinct free ports. All sockets are held open until every port is known: ports
     * taken one socket at a time can repeat (the kernel may hand a just-closed port out again).
     */
    static int[] freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        int[] ports = new int[n];
        IOException failure = null;
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
        } catch (IOException e) {
            failure = e;
        }
        for (ServerSocket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                if (failure == null) failure = e; else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw new UncheckedIOException(failure);
        return ports;
    }

    @Override
    public void close() {
        for (KvNode n : nodes.values()) n.close();
        nodes.clear();
    }
}
