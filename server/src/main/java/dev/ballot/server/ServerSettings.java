package dev.ballot.server;

import dev.ballot.kv.KvNodeConfig;
import dev.ballot.kv.ReadMode;
import dev.ballot.kv.sm.KvLimits;
import dev.ballot.node.Peers;
import dev.ballot.node.RaftServerConfig;
import dev.ballot.node.SnapshotPolicy;
import dev.ballot.storage.Durability;
import dev.ballot.storage.StorageOptions;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of {@code ballot server} as text, keyed by flag name without dashes, each with
 * where it came from (a flag or a line of the config file), turned into a {@link KvNodeConfig}.
 * Every check names the setting as the user wrote it, so the message says what to fix.
 */
public final class ServerSettings {

    public static final long DEFAULT_ID = 1;
    public static final int DEFAULT_PEER_PORT = 7101;
    public static final int DEFAULT_REDIS_PORT = 6379;
    public static final int DEFAULT_HTTP_PORT = 8080;

    /** Every setting name a config file may use. */
    public static final Set<String> NAMES = Set.of("id", "data", "peers", "redis-port", "http-port", "client-host",
            "peer-bind-host", "tick-ms", "election-ticks", "heartbeat-ticks", "fsync", "segment-bytes",
            "max-pending", "request-timeout-ms", "max-key-bytes", "max-value-bytes", "max-clients",
            "max-request-bytes", "unsafe-local-reads", "snapshot-entries", "snapshot-bytes",
            "snapshot-catch-up-entries", "snapshots-retained");

    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> origins = new HashMap<>();

    /**
     * Sets one setting, replacing an earlier value (so flags, put last, override the file).
     *
     * @param origin how to name it in an error, e.g. {@code --redis-port} or {@code redis-port (in x.properties)}
     */
    public ServerSettings put(String name, String text, String origin) {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown setting '" + name + "'");
        values.put(name, text.strip());
        origins.put(name, origin);
        return this;
    }

    /** The config, or an {@link IllegalArgumentException} naming the first wrong setting. */
    public KvNodeConfig toConfig() {
        long id = longValue("id", 1, DEFAULT_ID);
        Peers peers = values.containsKey("peers")
                ? Peers.parse(origin("peers"), values.get("peers"))
                : Peers.parse("--peers", id + "=127.0.0.1:" + DEFAULT_PEER_PORT);
        if (!peers.ids().contains(id)) {
            throw new IllegalArgumentException(origin("id") + " " + id + " is not in " + origin("peers")
                    + " (its members are " + peers.ids() + "); every node needs its own entry in the peer list");
        }
        Path dataDir = path("data", Path.of("data", Long.toString(id)));
        int redisPort = intValue("redis-port", 0, 65535, DEFAULT_REDIS_PORT);
        int httpPort = intValue("http-port", 0, 65535, DEFAULT_HTTP_PORT);
        String clientHost = text("client-host", KvNodeConfig.DEFAULT_CLIENT_HOST);
        String peerBindHost = text("peer-bind-host", null);

        int tickMs = intValue("tick-ms", 1, 60_000, (int) RaftServerConfig.DEFAULT_TICK.toMillis());
        int heartbeatTicks = intValue("heartbeat-ticks", 1, 1_000_000, dev.ballot.raft.Config.DEFAULT_HEARTBEAT_TICKS);
        int electionTicks = intValue("election-ticks", 2, 1_000_000, dev.ballot.raft.Config.DEFAULT_ELECTION_TICKS);
        if (electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException(origin("election-ticks") + " (" + electionTicks + ") must be greater than "
                    + origin("heartbeat-ticks") + " (" + heartbeatTicks + "), or followers time out between heartbeats");
        }
        boolean fsync = booleanValue("fsync", true);
        boolean unsafeLocalReads = booleanValue("unsafe-local-reads", false);
        long segmentBytes = longValue("segment-bytes", 4096, StorageOptions.DEFAULTS.segmentBytes());
        int maxPending = intValue("max-pending", 1, Integer.MAX_VALUE, RaftServerConfig.DEFAULT_MAX_PENDING);
        int requestTimeoutMs = intValue("request-timeout-ms", 1, Integer.MAX_VALUE,
                (int) RaftServerConfig.DEFAULT_REQUEST_TIMEOUT.toMillis());
        int maxKeyBytes = intValue("max-key-bytes", 1, Integer.MAX_VALUE, KvLimits.DEFAULT_MAX_KEY_BYTES);
        int maxValueBytes = intValue("max-value-bytes", 0, Integer.MAX_VALUE, KvLimits.DEFAULT_MAX_VALUE_BYTES);
        int maxClients = intValue("max-clients", 1, Integer.MAX_VALUE, KvNodeConfig.DEFAULT_MAX_CLIENT_CONNECTIONS);
        int maxRequestBytes = intValue("max-request-bytes", 1024, Integer.MAX_VALUE,
                KvNodeConfig.DEFAULT_MAX_REQUEST_BYTES);

        long snapshotEntries = longValue("snapshot-entries", 0, SnapshotPolicy.DEFAULT_ENTRIES);
        long snapshotBytes = longValue("snapshot-bytes", 0, SnapshotPolicy.DEFAULT_BYTES);
        long catchUp = longValue("snapshot-catch-up-entries", 0, SnapshotPolicy.DEFAULT_CATCH_UP_ENTRIES);
        int retained = intValue("snapshots-retained", 1, 1000, StorageOptions.DEFAULTS.snapshotsRetained());
        SnapshotPolicy snapshots = SnapshotPolicy.DEFAULTS.withThresholds(snapshotEntries, snapshotBytes)
                .withCatchUpEntries(catchUp);

        StorageOptions storage = StorageOptions.DEFAULTS.withSegmentBytes(segmentBytes)
                .withDurability(fsync ? Durability.FSYNC : Durability.NONE).withSnapshotsRetained(retained);
        List<Long> members = new ArrayList<>(peers.ids());
        RaftServerConfig raft = new RaftServerConfig(id, members, dataDir, storage, Duration.ofMillis(tickMs),
                electionTicks, heartbeatTicks, maxPending, Duration.ofMillis(requestTimeoutMs), false, snapshots);
        return new KvNodeConfig(raft, peers, peerBindHost, clientHost, redisPort, httpPort,
                new KvLimits(maxKeyBytes, maxValueBytes), maxClients, maxRequestBytes,
                unsafeLocalReads ? ReadMode.UNSAFE_LOCAL : ReadMode.LINEARIZABLE);
    }

    /** How to name a setting in a message: where it was given, or its flag when it was not. */
    private String origin(String name) {
        return origins.getOrDefault(name, "--" + name);
    }

    private String text(String name, String fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        if (v.isEmpty()) throw new IllegalArgumentException(origin(name) + " is empty");
        return v;
    }

    private Path path(String name, Path fallback) {
        String v = text(name, null);
        if (v == null) return fallback;
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(origin(name) + ": '" + v + "' is not a valid path: " + e.getReason(), e);
        }
    }

    private long longValue(String name, long min, long fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(origin(name) + ": '" + v + "' is not a whole number", e);
        }
        if (n < min) throw new IllegalArgumentException(origin(name) + " must be >= " + min + ", was " + n);
        return n;
    }

    private int intValue(String name, int min, int max, int fallback) {
        long n = longValue(name, min, fallback);
        if (n > max) throw new IllegalArgumentException(origin(name) + " must be <= " + max + ", was " + n);
        return (int) n;
    }

    private boolean booleanValue(String name, boolean fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(origin(name) + ": '" + v + "' is not true or false");
        };
    }
}
