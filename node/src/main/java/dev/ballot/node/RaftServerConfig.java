package dev.ballot.node;

import dev.ballot.storage.StorageOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one {@link RaftServer}. Every value is checked here, so a wrong setting fails at
 * start-up with a message that names it.
 *
 * @param id                 this node's id; must be one of {@code members}
 * @param members            the ids of all voters, this node included
 * @param dataDir            where the log, hard state and snapshots live (created if missing)
 * @param storage            segment size, fsync on/off, snapshots kept
 * @param tickInterval       length of one engine tick (election timeout = electionTicks ticks)
 * @param electionTicks      election timeout, in ticks (randomised up to twice this)
 * @param heartbeatTicks     heartbeat interval, in ticks
 * @param maxPendingRequests proposals and reads waiting for an answer before new ones get BUSY
 * @param requestTimeout     how long a request may wait (for a leader, for commit, for apply)
 * @param applyOnOwnThread   apply committed entries on a thread of their own instead of the node
 *                           loop (for a slow {@link StateMachine}; costs two hand-offs per batch,
 *                           docs/runtime.md); default false
 * @param snapshots          when to snapshot and compact the log, how to send snapshots ({@link SnapshotPolicy})
 */
public record RaftServerConfig(long id, List<Long> members, Path dataDir, StorageOptions storage,
                               Duration tickInterval, int electionTicks, int heartbeatTicks,
                               int maxPendingRequests, Duration requestTimeout, boolean applyOnOwnThread,
                               SnapshotPolicy snapshots) {

    public static final Duration DEFAULT_TICK = Duration.ofMillis(20);
    public static final int DEFAULT_MAX_PENDING = 10_000;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    public RaftServerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(snapshots, "snapshots");
        members = List.copyOf(members);
        if (id <= 0) throw new IllegalArgumentException("id must be > 0, was " + id);
        if (!members.contains(id)) {
            throw new IllegalArgumentException("id " + id + " is not one of the members " + members);
        }
        if (tickInterval.isNegative() || tickInterval.isZero()) {
            throw new IllegalArgumentException("tick interval must be > 0, was " + tickInterval);
        }
        if (heartbeatTicks < 1 || electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("need 1 <= heartbeat ticks < election ticks, was heartbeat="
                    + heartbeatTicks + " election=" + electionTicks);
        }
        if (maxPendingRequests < 1) {
            throw new IllegalArgumentException("max pending requests must be >= 1, was " + maxPendingRequests);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be > 0, was " + requestTimeout);
        }
    }

    /** Defaults: 20 ms ticks, election timeout 15 ticks (300–600 ms), heartbeat 5 ticks, fsync on. */
    public static RaftServerConfig of(long id, List<Long> members, Path dataDir) {
        return new RaftServerConfig(id, members, dataDir, StorageOptions.DEFAULTS, DEFAULT_TICK,
                dev.ballot.raft.Config.DEFAULT_ELECTION_TICKS, dev.ballot.raft.Config.DEFAULT_HEARTBEAT_TICKS,
                DEFAULT_MAX_PENDING, DEFAULT_REQUEST_TIMEOUT, false, SnapshotPolicy.DEFAULTS);
    }

    public RaftServerConfig withStorage(StorageOptions s) {
        return new RaftServerConfig(id, members, dataDir, s, tickInterval, electionTicks, heartbeatTicks,
                maxPendingRequests, requestTimeout, applyOnOwnThread, snapshots);
    }

    public RaftServerConfig withTickInterval(Duration t) {
        return new RaftServerConfig(id, members, dataDir, storage, t, electionTicks, heartbeatTicks,
                maxPendingRequests, requestTimeout, applyOnOwnThread, snapshots);
    }

    public RaftServerConfig withMaxPendingRequests(int n) {
        return new RaftServerConfig(id, members, dataDir, storage, tickInterval, electionTicks, heartbeatTicks,
                n, requestTimeout, applyOnOwnThread, snapshots);
    }

    public RaftServerConfig withRequestTimeout(Duration t) {
        return new RaftServerConfig(id, members, dataDir, storage, tickInterval, electionTicks, heartbeatTicks,
                maxPendingRequests, t, applyOnOwnThread, snapshots);
    }

    /** Applies on a thread of its own (true) or on the node loop (false, the default). */
    public RaftServerConfig withApplyOnOwnThread(boolean own) {
        return new RaftServerConfig(id, members, dataDir, storage, tickInterval, electionTicks, heartbeatTicks,
                maxPendingRequests, requestTimeout, own, snapshots);
    }

    public RaftServerConfig withSnapshots(SnapshotPolicy p) {
        return new RaftServerConfig(id, members, dataDir, storage, tickInterval, electionTicks, heartbeatTicks,
                maxPendingRequests, requestTimeout, applyOnOwnThread, p);
    }
}
