package dev.ballot.bench.peers.ratis;

import dev.ballot.bench.peers.Await;
import dev.ballot.bench.peers.LoopbackPorts;
import dev.ballot.bench.peers.RaftSystem;
import dev.ballot.bench.peers.Versions;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Apache Ratis: three {@link RaftServer}s over gRPC, and one {@link RaftClient} (async API, also
 * gRPC over loopback) that sends every write to the leader. Log settings are Ratis's defaults
 * (log entries fsynced before the leader counts them; {@code unsafe-flush} off).
 */
public final class RatisSystem implements RaftSystem {

    private static final Logger log = LoggerFactory.getLogger(RatisSystem.class);
    /** Ratis's client allows 100 async requests in flight by default; the largest K here is 256. */
    static final int OUTSTANDING_REQUESTS = 1024;
    static final long ELECTION_TIMEOUT_MIN_MS = Long.getLong("ratis.election.min.ms", 0);

    private final List<RaftServer> servers = new ArrayList<>();
    private RaftClient client;
    private RaftGroupId groupId;

    @Override
    public String name() {
        return "ratis";
    }

    @Override
    public String label() {
        return "Apache Ratis " + Versions.of("org.apache.ratis", "ratis-server");
    }

    @Override
    public String settings() {
        return "ratis-server + ratis-grpc defaults (log force-sync on, unsafe-flush off, async-flush off); "
                + "writes sent by a RaftClient (async, gRPC) to the leader, outstanding-request limit raised to "
                + OUTSTANDING_REQUESTS + "; no snapshots";
    }

    @Override
    public void start(Path dir) throws Exception {
        List<Integer> ports = LoopbackPorts.pick(3);
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            peers.add(RaftPeer.newBuilder().setId("n" + (i + 1))
                    .setAddress(LoopbackPorts.HOST + ":" + ports.get(i)).build());
        }
        groupId = RaftGroupId.valueOf(UUID.nameUUIDFromBytes("bench-peers".getBytes(StandardCharsets.UTF_8)));
        RaftGroup group = RaftGroup.valueOf(groupId, peers);
        for (int i = 0; i < 3; i++) {
            RaftProperties props = new RaftProperties();
            RaftServerConfigKeys.setStorageDir(props, List.of(dir.resolve("node-" + (i + 1)).toFile()));
            GrpcConfigKeys.Server.setPort(props, ports.get(i));
            if (ELECTION_TIMEOUT_MIN_MS > 0) {
                RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(ELECTION_TIMEOUT_MIN_MS, TimeUnit.MILLISECONDS));
                RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(2 * ELECTION_TIMEOUT_MIN_MS, TimeUnit.MILLISECONDS));
            }
            RaftServer server = RaftServer.newBuilder()
                    .setServerId(peers.get(i).getId())
                    .setGroup(group)
                    .setStateMachine(new RatisCounterMachine())
                    .setProperties(props)
                    .setOption(RaftStorage.StartupOption.FORMAT)
                    .build();
            server.start();
            servers.add(server);
        }
        RaftPeerId leader = Await.until("a Ratis leader", Duration.ofSeconds(60), () -> {
            for (RaftServer s : servers) {
                try {
                    if (s.getDivision(group.getGroupId()).getInfo().isLeaderReady()) return s.getId();
                } catch (IOException e) {
                    return null;
                }
            }
            return null;
        });
        log.info("ratis: leader {}", leader);
        RaftProperties clientProps = new RaftProperties();
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(clientProps, OUTSTANDING_REQUESTS);
        client = RaftClient.newBuilder().setProperties(clientProps).setRaftGroup(group).setLeaderId(leader).build();
        client.async().send(Message.valueOf(ByteString.EMPTY)).get();
    }

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
        return client.async().send(Message.valueOf(ByteString.copyFrom(command))).thenApply(RatisSystem::value);
    }

    private static byte[] value(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new IllegalStateException("Ratis write failed: " + reply.getException());
        }
        return reply.getMessage().getContent().toByteArray();
    }

    @Override
    public long term() {
        long t = 0;
        for (RaftServer s : servers) {
            try {
                t = Math.max(t, s.getDivision(groupId).getInfo().getCurrentTerm());
            } catch (IOException e) {
                // a closed server has no term to report
            }
        }
        return t;
    }

    @Override
    public void close() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                log.warn("ratis: closing the client", e);
            }
        }
        for (RaftServer s : servers) {
            try {
                s.close();
            } catch (IOException e) {
                log.warn("ratis: closing {}", s.getId(), e);
            }
        }
        servers.clear();
    }
}
