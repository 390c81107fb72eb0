package dev.ballot.bench.peers.ballot;

import dev.ballot.bench.peers.Await;
import dev.ballot.bench.peers.LoopbackPorts;
import dev.ballot.bench.peers.RaftSystem;
import dev.ballot.bench.peers.Versions;
import dev.ballot.node.NodeStatus;
import dev.ballot.node.Peers;
import dev.ballot.node.RaftServer;
import dev.ballot.node.RaftServerConfig;
import dev.ballot.node.transport.NettyTransport;
import dev.ballot.node.transport.TransportOptions;
import dev.ballot.raft.Role;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Ballot: three {@link RaftServer}s with {@link NettyTransport}, default settings (fsync on). */
public final class BallotSystem implements RaftSystem {

    private static final Logger log = LoggerFactory.getLogger(BallotSystem.class);
    private static final List<Long> MEMBERS = List.of(1L, 2L, 3L);

    private final List<RaftServer> servers = new ArrayList<>();
    private volatile RaftServer leader;

    @Override
    public String name() {
        return "ballot";
    }

    @Override
    public String label() {
        String commit = System.getProperty("ballot.commit");
        return "Ballot " + Versions.of("dev.ballot", "ballot-node") + (commit != null ? " @" + commit : "");
    }

    @Override
    public String settings() {
        return "RaftServerConfig.of defaults (fsync on, preallocated 64 MiB segments, 20 ms tick), "
                + "NettyTransport defaults (1 I/O thread per node); writes proposed on the leader's RaftServer";
    }

    @Override
    public void start(Path dir) throws Exception {
        List<Integer> ports = LoopbackPorts.pick(MEMBERS.size());
        StringBuilder spec = new StringBuilder();
        for (int i = 0; i < MEMBERS.size(); i++) {
            if (i > 0) spec.append(',');
            spec.append(MEMBERS.get(i)).append('=').append(LoopbackPorts.HOST).append(':').append(ports.get(i));
        }
        Peers peers = Peers.parse("peers", spec.toString());
        for (long id : MEMBERS) {
            RaftServerConfig config = RaftServerConfig.of(id, MEMBERS, dir.resolve("node-" + id));
            NettyTransport transport = new NettyTransport(id, peers, LoopbackPorts.HOST, TransportOptions.defaults());
            servers.add(RaftServer.start(config, new BallotCounterMachine(), transport));
        }
        leader = Await.until("a Ballot leader", Duration.ofSeconds(30), this::findLeader);
        // The leader's first entry of its term must be committed before writes are timed.
        leader.propose(new byte[0]).get();
    }

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
        CompletableFuture<byte[]> f = leader.propose(command);
        f.whenComplete((v, e) -> {
            if (e != null) refreshLeader();
        });
        return f;
    }

    /**
     * After a failure: if leadership moved, send the following writes to the new leader (a
     * follower would forward them, one hop more than the other systems pay).
     */
    private void refreshLeader() {
        RaftServer s = findLeader();
        if (s != null && s != leader) {
            log.warn("ballot: the leader is now node {}", s.id());
            leader = s;
        }
    }

    private RaftServer findLeader() {
        for (RaftServer s : servers) {
            NodeStatus st = s.status();
            if (st.role() == Role.LEADER && s.isReady()) return s;
        }
        return null;
    }

    @Override
    public long term() {
        long t = 0;
        for (RaftServer s : servers) t = Math.max(t, s.status().term());
        return t;
    }

    @Override
    public void close() {
        for (RaftServer s : servers) s.close();
        servers.clear();
    }
}
