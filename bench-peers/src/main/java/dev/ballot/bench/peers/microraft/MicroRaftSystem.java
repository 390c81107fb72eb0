package dev.ballot.bench.peers.microraft;

import dev.ballot.bench.peers.Await;
import dev.ballot.bench.peers.LoopbackPorts;
import dev.ballot.bench.peers.RaftSystem;
import dev.ballot.bench.peers.Versions;
import io.microraft.Ordered;
import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.RaftNodeStatus;
import io.microraft.model.impl.DefaultRaftModelFactory;
import io.microraft.store.sqlite.RaftSqliteStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * MicroRaft: three {@link RaftNode}s, each with a durable {@link RaftSqliteStore} (WAL mode,
 * synchronous=EXTRA: every commit fsyncs) and OUR loopback TCP transport
 * ({@link MicroTcpTransport}: MicroRaft ships no transport). Writes are replicated on the leader.
 */
public final class MicroRaftSystem implements RaftSystem {

    private static final Logger log = LoggerFactory.getLogger(MicroRaftSystem.class);
    private static final String GROUP = "bench-peers";

    private final List<RaftNode> nodes = new ArrayList<>();
    private final List<MicroTcpTransport> transports = new ArrayList<>();
    private volatile RaftNode leader;

    @Override
    public String name() {
        return "microraft";
    }

    @Override
    public String label() {
        return "MicroRaft " + Versions.of("io.microraft", "microraft") + " + store-sqlite "
                + Versions.of("io.microraft", "microraft-store-sqlite") + ", transport: ours";
    }

    @Override
    public String settings() {
        return "RaftConfig defaults (snapshot every 50000 commits, 1000 entries per AppendEntries, 5000 pending); "
                + "RaftSqliteStore (WAL, synchronous=EXTRA) with our binary model serializer; "
                + "TRANSPORT IS OURS: blocking TCP sockets, a writer thread per peer, a reader thread per connection";
    }

    @Override
    public void start(Path dir) throws Exception {
        List<Integer> ports = LoopbackPorts.pick(3);
        Map<MicroEndpoint, InetSocketAddress> addresses = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            addresses.put(new MicroEndpoint(i + 1), new InetSocketAddress(LoopbackPorts.HOST, ports.get(i)));
        }
        List<RaftEndpoint> members = new ArrayList<>(addresses.keySet());
        DefaultRaftModelFactory factory = new DefaultRaftModelFactory();
        MicroCodec codec = new MicroCodec(factory);
        for (MicroEndpoint self : addresses.keySet()) {
            Path nodeDir = dir.resolve("node-" + self.id());
            Files.createDirectories(nodeDir);
            RaftSqliteStore store = RaftSqliteStore.create(nodeDir.resolve("raft.db").toFile(), factory,
                    new MicroStoreSerializer(codec));
            MicroTcpTransport transport = new MicroTcpTransport(self, addresses, codec);
            RaftNode node = RaftNode.newBuilder()
                    .setGroupId(GROUP)
                    .setLocalEndpoint(self)
                    .setInitialGroupMembers(members)
                    .setTransport(transport)
                    .setStateMachine(new MicroCounterMachine())
                    .setStore(store)
                    .setModelFactory(factory)
                    .build();
            transport.start(node);
            transports.add(transport);
            nodes.add(node);
        }
        for (RaftNode n : nodes) n.start();
        leader = Await.until("a MicroRaft leader", Duration.ofSeconds(60), this::findLeader);
        propose(new byte[0]).get();
    }

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
        CompletableFuture<byte[]> f = leader.<byte[]>replicate(command).thenApply(Ordered::getResult);
        f.whenComplete((v, e) -> {
            if (e != null) refreshLeader();
        });
        return f;
    }

    /** After a failure: if leadership moved, send the following writes to the new leader. */
    private void refreshLeader() {
        RaftNode n = findLeader();
        if (n != null && n != leader) {
            log.warn("microraft: the leader is now {}", n.getLocalEndpoint());
            leader = n;
        }
    }

    private RaftNode findLeader() {
        for (RaftNode n : nodes) {
            if (n.getStatus() == RaftNodeStatus.ACTIVE && n.getLocalEndpoint().equals(n.getTerm().getLeaderEndpoint())) {
                return n;
            }
        }
        return null;
    }

    @Override
    public long term() {
        long t = 0;
        for (RaftNode n : nodes) t = Math.max(t, n.getTerm().getTerm());
        return t;
    }

    @Override
    public void close() {
        for (RaftNode n : nodes) {
            try {
                n.terminate().get();
            } catch (Exception e) {
                // terminating anyway
            }
        }
        transports.forEach(MicroTcpTransport::close);
        nodes.clear();
        transports.clear();
    }
}
