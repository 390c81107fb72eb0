package dev.ballot.node;

import dev.ballot.raft.Role;
import dev.ballot.storage.Durability;
import dev.ballot.storage.StorageOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;

/** Several {@link RaftServer}s in one JVM over a {@link LocalNetwork}, each with its own data directory. */
final class TestCluster implements AutoCloseable {

    final LocalNetwork network = new LocalNetwork();
    final List<Long> ids = new ArrayList<>();
    final Map<Long, RaftServer> servers = new TreeMap<>();
    final Map<Long, RecordingStateMachine> machines = new TreeMap<>();
    private final Path root;
    private final Duration requestTimeout;
    private final int maxPending;
    private final SnapshotPolicy snapshots;
    private final long segmentBytes;

    TestCluster(Path root, int size) {
        this(root, size, Duration.ofSeconds(3), 10_000);
    }

    TestCluster(Path root, int size, Duration requestTimeout, int maxPending) {
        this(root, size, requestTimeout, maxPending, SnapshotPolicy.DEFAULTS, StorageOptions.DEFAULTS.segmentBytes());
    }

    TestCluster(Path root, int size, Duration requestTimeout, int maxPending, SnapshotPolicy snapshots,
                long segmentBytes) {
        this.root = root;
        this.requestTimeout = requestTimeout;
        this.maxPending = maxPending;
        this.snapshots = snapshots;
        this.segmentBytes = segmentBytes;
        for (long id = 1; id <= size; id++) ids.add(id);
        for (long id : ids) start(id);
    }

    RaftServerConfig config(long id) {
        return RaftServerConfig.of(id, ids, root.resolve("n" + id))
                .withStorage(StorageOptions.DEFAULTS.withDurability(Durability.NONE).withSegmentBytes(segmentBytes))
                .withSnapshots(snapshots)
                .withTickInterval(Duration.ofMillis(10))
                .withRequestTimeout(requestTimeout)
                .withMaxPendingRequests(maxPending);
    }

    RaftServer start(long id) {
        RecordingStateMachine sm = new RecordingStateMachine();
        RaftServer s = RaftServer.start(config(id), sm, network.transport(id));
        servers.put(id, s);
        machines.put(id, sm);
        return s;
    }

    void stop(long id) {
        RaftServer s = servers.remove(id);
        if (s != null) s.close();
    }

    /** Waits until exactly one running server leads, and every running server knows it. */
    RaftServer awaitLeader() {
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<RaftServer> leaders = servers.values().stream()
                    .filter(s -> s.status().role() == Role.LEADER).toList();
            if (leaders.size() != 1) return null;
            long leader = leaders.getFirst().id();
            boolean known = servers.values().stream().allMatch(s -> s.status().leaderId() == leader);
            return known ? leaders.getFirst() : null;
        }, s -> s != null);
    }

    Path dataDir(long id) {
        return root.resolve("n" + id);
    }

    RaftServer follower() {
        RaftServer leader = awaitLeader();
        return servers.values().stream().filter(s -> s != leader).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        for (RaftServer s : servers.values()) s.close();
        servers.clear();
    }
}
