package dev.ballot.kv;

import dev.ballot.kv.sm.KvLimits;
import dev.ballot.node.Peers;
import dev.ballot.node.RaftServerConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Objects;

/**
 * Everything needed to run one key-value node. The CLI builds it from flags; tests build it
 * directly. Checked on construction: a bad value fails with a message naming the setting.
 *
 * @param raft               the Raft runtime settings (id, members, data directory, timing)
 * @param peers              every member's peer address; this node listens on its own entry
 * @param peerBindHost       the interface the peer port binds to, or null for the host in {@code peers}
 * @param clientHost         the interface the RESP and HTTP ports bind to (default 127.0.0.1)
 * @param redisPort          RESP port (0 = pick a free one)
 * @param httpPort           HTTP port (0 = pick a free one)
 * @param limits             key and value size limits
 * @param maxClientConnections RESP + HTTP connections accepted at once; more are refused
 * @param maxRequestBytes    the largest client request (RESP command or HTTP body) accepted
 * @param readMode           how read-only commands are served: {@link ReadMode#LINEARIZABLE} always,
 *                           except in the chaos tests that prove they catch stale reads
 */
public record KvNodeConfig(RaftServerConfig raft, Peers peers, String peerBindHost, String clientHost,
                           int redisPort, int httpPort, KvLimits limits, int maxClientConnections,
                           int maxRequestBytes, ReadMode readMode) {

    public static final String DEFAULT_CLIENT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_CLIENT_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    public KvNodeConfig {
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(clientHost, "clientHost");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(readMode, "readMode");
        if (!new ArrayList<>(peers.ids()).equals(raft.members())) {
            throw new IllegalArgumentException("members " + raft.members() + " differ from the peer list " + peers);
        }
        checkPort("redis port", redisPort);
        checkPort("http port", httpPort);
        if (maxClientConnections < 1) {
            throw new IllegalArgumentException("max client connections must be >= 1, was " + maxClientConnections);
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("max request bytes must be >= 1024, was " + maxRequestBytes);
        }
    }

    /** Defaults for everything but identity, peers, data directory and ports. */
    public static KvNodeConfig of(long id, Peers peers, Path dataDir, int redisPort, int httpPort) {
        RaftServerConfig raft = RaftServerConfig.of(id, new ArrayList<>(peers.ids()), dataDir);
        return new KvNodeConfig(raft, peers, null, DEFAULT_CLIENT_HOST, redisPort, httpPort, KvLimits.DEFAULTS,
                DEFAULT_MAX_CLIENT_CONNECTIONS, DEFAULT_MAX_REQUEST_BYTES, ReadMode.LINEARIZABLE);
    }

    public KvNodeConfig withRaft(RaftServerConfig r) {
        return new KvNodeConfig(r, peers, peerBindHost, clientHost, redisPort, httpPort, limits,
                maxClientConnections, maxRequestBytes, readMode);
    }

    public KvNodeConfig withClientHost(String host) {
        return new KvNodeConfig(raft, peers, peerBindHost, host, redisPort, httpPort, limits,
                maxClientConnections, maxRequestBytes, readMode);
    }

    public KvNodeConfig withPeerBindHost(String host) {
        return new KvNodeConfig(raft, peers, host, clientHost, redisPort, httpPort, limits,
                maxClientConnections, maxRequestBytes, readMode);
    }

    public KvNodeConfig withLimits(KvLimits l) {
        return new KvNodeConfig(raft, peers, peerBindHost, clientHost, redisPort, httpPort, l,
                maxClientConnections, maxRequestBytes, readMode);
    }

    public KvNodeConfig withMaxClientConnections(int n) {
        return new KvNodeConfig(raft, peers, peerBindHost, clientHost, redisPort, httpPort, limits,
                n, maxRequestBytes, readMode);
    }

    public KvNodeConfig withMaxRequestBytes(int n) {
        return new KvNodeConfig(raft, peers, peerBindHost, clientHost, redisPort, httpPort, limits,
                maxClientConnections, n, readMode);
    }

    public KvNodeConfig withReadMode(ReadMode m) {
        return new KvNodeConfig(raft, peers, peerBindHost, clientHost, redisPort, httpPort, limits,
                maxClientConnections, maxRequestBytes, m);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
    }
}
