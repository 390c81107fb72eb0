package dev.ballot.testkit.sim;

import dev.ballot.raft.Config;
import java.util.Set;

/**
 * The engine settings every node of a simulated cluster gets (see {@link Config}).
 *
 * @param electionTicks       election timeout base T (timeouts are drawn from [T, 2T))
 * @param heartbeatTicks      heartbeat interval
 * @param preVote             pre-vote on
 * @param checkQuorum         check-quorum on
 * @param maxInflightMessages unacknowledged AppendEntries per follower
 * @param maxBytesPerMessage  soft cap on entry bytes per AppendEntries
 * @param maxBytesPerReady    soft cap on committed entry bytes per Ready
 */
public record EngineOptions(int electionTicks, int heartbeatTicks, boolean preVote, boolean checkQuorum,
                            int maxInflightMessages, long maxBytesPerMessage, long maxBytesPerReady) {

    /** The engine's defaults. */
    public static EngineOptions defaults() {
        return new EngineOptions(Config.DEFAULT_ELECTION_TICKS, Config.DEFAULT_HEARTBEAT_TICKS, true, true,
                Config.DEFAULT_MAX_INFLIGHT, Config.DEFAULT_MAX_BYTES_PER_MESSAGE, Config.DEFAULT_MAX_BYTES_PER_READY);
    }

    public EngineOptions withTiming(int electionTicks, int heartbeatTicks) {
        return new EngineOptions(electionTicks, heartbeatTicks, preVote, checkQuorum, maxInflightMessages,
                maxBytesPerMessage, maxBytesPerReady);
    }

    public EngineOptions withPreVote(boolean on) {
        return new EngineOptions(electionTicks, heartbeatTicks, on, checkQuorum, maxInflightMessages,
                maxBytesPerMessage, maxBytesPerReady);
    }

    public EngineOptions withCheckQuorum(boolean on) {
        return new EngineOptions(electionTicks, heartbeatTicks, preVote, on, maxInflightMessages,
                maxBytesPerMessage, maxBytesPerReady);
    }

    /** Flow control: in-flight AppendEntries per follower, bytes per message, committed bytes per Ready. */
    public EngineOptions withLimits(int maxInflightMessages, long maxBytesPerMessage, long maxBytesPerReady) {
        return new EngineOptions(electionTicks, heartbeatTicks, preVote, checkQuorum, maxInflightMessages,
                maxBytesPerMessage, maxBytesPerReady);
    }

    Config toConfig(long id, Set<Long> voters) {
        return new Config(id, voters, electionTicks, heartbeatTicks, preVote, checkQuorum, maxInflightMessages,
                maxBytesPerMessage, maxBytesPerReady);
    }
}
