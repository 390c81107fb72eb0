package dev.ballot.bench.peers.jraft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import dev.ballot.bench.peers.Await;
import dev.ballot.bench.peers.LoopbackPorts;
import dev.ballot.bench.peers.RaftSystem;
import dev.ballot.bench.peers.Versions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SOFAJRaft: three nodes, each with its own Bolt RPC server on loopback, RocksDB log storage
 * (the library's default), writes applied as {@link Task}s on the leader's {@link Node}.
 */
public final class JraftSystem implements RaftSystem {

    private static final Logger log = LoggerFactory.getLogger(JraftSystem.class);
    private static final String GROUP = "bench-peers";

    private final List<RaftGroupService> services = new ArrayList<>();
    private final List<JraftCounterMachine> machines = new ArrayList<>();
    private volatile Node leader;

    @Override
    public String name() {
        return "jraft";
    }

    @Override
    public String label() {
        return "SOFAJRaft " + Versions.of("com.alipay.sofa", "jraft-core") + " (Bolt "
                + Versions.of("com.alipay.sofa", "bolt") + ")";
    }

    @Override
    public String settings() {
        return "jraft-core defaults (RocksDB log, RaftOptions.sync=true: the log is fsynced before the leader counts it), "
                + "syncMeta=true (default false: term and vote are not fsynced), CLI service off, no snapshots; "
                + "Bolt RPC on Netty 4.2 (netty-all 4.1 excluded)";
    }

    @Override
    public void start(Path dir) throws Exception {
        List<Integer> ports = LoopbackPorts.pick(3);
        List<PeerId> peers = new ArrayList<>();
        for (int port : ports) peers.add(new PeerId(LoopbackPorts.HOST, port));
        Configuration conf = new Configuration(peers);
        for (int i = 0; i < 3; i++) {
            Path nodeDir = dir.resolve("node-" + (i + 1));
            Files.createDirectories(nodeDir);
            NodeOptions options = new NodeOptions();
            options.setInitialConf(conf.copy());
            JraftCounterMachine machine = new JraftCounterMachine();
            machines.add(machine);
            options.setFsm(machine);
            options.setLogUri(nodeDir.resolve("log").toString());
            options.setRaftMetaUri(nodeDir.resolve("meta").toString());
            options.setDisableCli(true);
            RaftOptions raft = new RaftOptions();
            raft.setSync(true);
            raft.setSyncMeta(true);
            options.setRaftOptions(raft);
            RaftGroupService service = new RaftGroupService(GROUP, peers.get(i), options);
            service.start();
            services.add(service);
        }
        leader = Await.until("a SOFAJRaft leader", Duration.ofSeconds(30), this::findLeader);
        propose(new byte[0]).get();
    }

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
        JraftWrite write = new JraftWrite();
        leader.apply(new Task(ByteBuffer.wrap(command), write));
        write.future.whenComplete((v, e) -> {
            if (e != null) refreshLeader();
        });
        return write.future;
    }

    /** After a failure: if leadership moved, send the following writes to the new leader. */
    private void refreshLeader() {
        Node n = findLeader();
        if (n != null && n != leader) {
            log.warn("jraft: the leader is now {}", n.getNodeId());
            leader = n;
        }
    }

    private Node findLeader() {
        for (RaftGroupService s : services) {
            Node n = s.getRaftNode();
            if (n != null && n.isLeader()) return n;
        }
        return null;
    }

    /** From the state machines' leader-start and start-following callbacks (Node does not expose its term). */
    @Override
    public long term() {
        long t = 0;
        for (JraftCounterMachine m : machines) t = Math.max(t, m.term());
        return t;
    }

    @Override
    public void close() {
        for (RaftGroupService s : services) s.shutdown();
        for (RaftGroupService s : services) {
            try {
                s.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        services.clear();
    }
}
