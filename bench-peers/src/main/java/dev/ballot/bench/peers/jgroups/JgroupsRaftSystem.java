package dev.ballot.bench.peers.jgroups;

import dev.ballot.bench.peers.Await;
import dev.ballot.bench.peers.LoopbackPorts;
import dev.ballot.bench.peers.RaftSystem;
import dev.ballot.bench.peers.Versions;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.protocols.raft.ELECTION;
import org.jgroups.protocols.raft.NO_DUPES;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.REDIRECT;
import org.jgroups.raft.RaftHandle;
import org.jgroups.stack.DiagnosticsHandler;
import org.jgroups.stack.Protocol;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * jgroups-raft: three JGroups channels over TCP on loopback (TCPPING discovery of the three
 * ports), the stack of jgroups-raft's own {@code raft.xml} without multicast, FD_SOCK and the
 * CLIENT server, and {@code RAFT.logUseFsync(true)}: the library's default is false (no fsync).
 */
public final class JgroupsRaftSystem implements RaftSystem {

    private static final Logger log = LoggerFactory.getLogger(JgroupsRaftSystem.class);
    private static final List<String> MEMBERS = List.of("n1", "n2", "n3");

    private final List<JChannel> channels = new ArrayList<>();
    private final List<RaftHandle> handles = new ArrayList<>();
    private volatile RaftHandle leader;

    @Override
    public String name() {
        return "jgroups-raft";
    }

    @Override
    public String label() {
        return "jgroups-raft " + Versions.of("org.jgroups", "jgroups-raft") + " (JGroups "
                + Versions.of("org.jgroups", "jgroups") + ")";
    }

    @Override
    public String settings() {
        return "RAFT.logUseFsync(true) (default false), FileBasedLog (default), other RAFT settings default "
                + "(snapshot every 1 MB of log: max_log_size); stack TCP/TCPPING/MERGE3/FD_ALL3/VERIFY_SUSPECT/"
                + "NAKACK2/UNICAST3/STABLE/NO_DUPES/GMS/UFC/MFC/FRAG4/ELECTION/RAFT/REDIRECT on 127.0.0.1; "
                + "writes via RaftHandle.setAsync on the leader";
    }

    @Override
    public void start(Path dir) throws Exception {
        List<Integer> ports = LoopbackPorts.pick(MEMBERS.size());
        InetAddress loopback = InetAddress.getByName(LoopbackPorts.HOST);
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (int port : ports) hosts.add(new InetSocketAddress(loopback, port));
        for (int i = 0; i < MEMBERS.size(); i++) {
            Path nodeDir = dir.resolve("node-" + (i + 1));
            Files.createDirectories(nodeDir);
            TCP tcp = new TCP().setBindAddr(loopback).setBindPort(ports.get(i)).setPortRange(0);
            DiagnosticsHandler diag = tcp.getDiagnosticsHandler();
            if (diag != null) diag.setEnabled(false);
            RAFT raft = new RAFT().members(MEMBERS).raftId(MEMBERS.get(i)).logDir(nodeDir.toString())
                    .logUseFsync(true);
            List<Protocol> stack = List.of(
                    tcp,
                    new TCPPING().setInitialHosts(hosts).setPortRange(0),
                    new MERGE3(),
                    new FD_ALL3(),
                    new VERIFY_SUSPECT(),
                    new NAKACK2(),
                    new UNICAST3(),
                    new STABLE(),
                    new NO_DUPES(),
                    new GMS().printLocalAddress(false),
                    new UFC(),
                    new MFC(),
                    new FRAG4(),
                    new ELECTION(),
                    raft,
                    new REDIRECT());
            JChannel ch = new JChannel(stack).name(MEMBERS.get(i));
            RaftHandle handle = new RaftHandle(ch, new JgroupsCounterMachine());
            channels.add(ch);
            handles.add(handle);
        }
        for (JChannel ch : channels) ch.connect("bench-peers");
        leader = Await.until("a jgroups-raft leader", Duration.ofSeconds(60), this::findLeader);
        propose(new byte[0]).get();
    }

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
        CompletableFuture<byte[]> f;
        try {
            f = leader.setAsync(command, 0, command.length);
        } catch (Exception e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, e) -> {
            if (e != null) refreshLeader();
        });
        return f;
    }

    /** After a failure: if leadership moved, send the following writes to the new leader. */
    private void refreshLeader() {
        RaftHandle h = findLeader();
        if (h != null && h != leader) {
            log.warn("jgroups-raft: the leader is now {}", h.raftId());
            leader = h;
        }
    }

    private RaftHandle findLeader() {
        for (RaftHandle h : handles) {
            if (h.isLeader()) return h;
        }
        return null;
    }

    @Override
    public long term() {
        long t = 0;
        for (RaftHandle h : handles) t = Math.max(t, h.currentTerm());
        return t;
    }

    @Override
    public void close() {
        for (int i = channels.size() - 1; i >= 0; i--) channels.get(i).close();
        channels.clear();
        handles.clear();
    }
}
