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

    /**
     * The quickest a failover driven by election timeouts can be: a follower times out no sooner than
     * {@code electionTicks} after it last heard the leader, which (heartbeats every
     * {@code heartbeatTicks}, counted in whole ticks) was at most {@code heartbeatTicks + 1} ticks
     * before the kill. A new leader seen sooner was elected because followers had already stopped
     * hearing the leader before it was killed (an overloaded machine), not because of the kill.
     */
    public int earliestFailoverMillis() {
        return Math.max(0, electionTicks - heartbeatTicks - 1) * tickMs;
    }
}
