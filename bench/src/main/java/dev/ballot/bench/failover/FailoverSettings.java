package dev.ballot.bench.failover;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a failover run was measured with, printed with its results.
 *
 * @param tickMs           the nodes' Raft tick
 * @param electionTicks    election timeout in ticks (each node randomises it up to twice this)
 * @param heartbeatTicks   heartbeat interval in ticks
 * @param defaultTimeouts  true if none of the three was given, i.e. these are {@code ballot server}'s defaults
 * @param probeInterval    time between two probe writes to the same node
 * @param pollInterval     time between two status polls of one node while waiting for the new leader
 * @param settle           pause after the cluster has caught up, before the next kill
 * @param failoverTimeout  how long to wait for an acknowledged write after a kill
 */
public record FailoverSettings(int nodes, int kills, int tickMs, int electionTicks, int heartbeatTicks,
                               boolean defaultTimeouts, boolean fsync, Duration warmup, Duration probeInterval,
                               Duration pollInterval, Duration settle, Duration failoverTimeout, Path baseDir) {

    public int electionMinMillis() {
        return electionTicks * tickMs;
    }

    public int electionMaxMillis() {
        return 2 * electionTicks * tickMs;
    }

    public int heartbeatMillis() {
        return heartbeatTicks * tickMs;
    }
}
