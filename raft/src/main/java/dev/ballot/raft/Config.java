package dev.ballot.raft;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of one engine. Time is measured in ticks; the defaults fit a 10 ms tick: elections
 * after 150–300 ms of silence and a heartbeat every 50 ms.
 *
 * @param id                  this node's id (&gt; 0)
 * @param voters              ids of all voting members, this node included (kept sorted)
 * @param electionTicks       T: election timeouts are drawn from [T, 2T) ticks
 * @param heartbeatTicks      H: a leader sends heartbeats every H ticks (H &lt; T)
 * @param preVote             run a pre-vote before bumping the term (thesis §9.6)
 * @param checkQuorum         leaders step down without a live majority; followers that heard a
 *                            leader recently refuse (pre-)votes (thesis §6.2 and §4.2.3)
 * @param maxInflightMessages at most this many AppendEntries unacknowledged per follower
 * @param maxBytesPerMessage  soft cap on entry bytes per AppendEntries (always at least one entry)
 * @param maxBytesPerReady    soft cap on committed entry bytes handed out by one Ready
 */
public record Config(long id, Set<Long> voters, int electionTicks, int heartbeatTicks, boolean preVote,
                     boolean checkQuorum, int maxInflightMessages, long maxBytesPerMessage,
                     long maxBytesPerReady) {

    public static final int DEFAULT_ELECTION_TICKS = 15;
    public static final int DEFAULT_HEARTBEAT_TICKS = 5;
    public static final int DEFAULT_MAX_INFLIGHT = 256;
    public static final long DEFAULT_MAX_BYTES_PER_MESSAGE = 1 << 20;
    public static final long DEFAULT_MAX_BYTES_PER_READY = 16 << 20;

    public Config {
        // Sorted, so that iterating the voters (e.g. sending RequestVotes) is the same in every JVM run:
        // Set.copyOf's order changes from run to run, which would break deterministic replay.
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        if (id <= 0) throw new IllegalArgumentException("id must be > 0, was " + id);
        if (!voters.contains(id)) {
            throw new IllegalArgumentException("voters " + new TreeSet<>(voters) + " must include this node's id " + id);
        }
        for (long v : voters) {
            if (v <= 0) throw new IllegalArgumentException("voter ids must be > 0, found " + v);
        }
        if (heartbeatTicks < 1) throw new IllegalArgumentException("heartbeatTicks must be >= 1, was " + heartbeatTicks);
        if (electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("electionTicks (" + electionTicks
                    + ") must be greater than heartbeatTicks (" + heartbeatTicks + ")");
        }
        if (maxInflightMessages < 1) {
            throw new IllegalArgumentException("maxInflightMessages must be >= 1, was " + maxInflightMessages);
        }
        if (maxBytesPerMessage < 1) {
            throw new IllegalArgumentException("maxBytesPerMessage must be >= 1, was " + maxBytesPerMessage);
        }
        if (maxBytesPerReady < 1) {
            throw new IllegalArgumentException("maxBytesPerReady must be >= 1, was " + maxBytesPerReady);
        }
    }

    /** A configuration with every default: pre-vote and check-quorum on, 15/5 ticks. */
    public static Config of(long id, Set<Long> voters) {
        return new Config(id, voters, DEFAULT_ELECTION_TICKS, DEFAULT_HEARTBEAT_TICKS, true, true,
                DEFAULT_MAX_INFLIGHT, DEFAULT_MAX_BYTES_PER_MESSAGE, DEFAULT_MAX_BYTES_PER_READY);
    }

    public Config withElectionTicks(int t) {
        return new Config(id, voters, t, heartbeatTicks, preVote, checkQuorum, maxInflightMessages,
                maxBytesPerMessage, maxBytesPerReady);
    }

    public Config withHeartbeatTicks(int h) {
        return new Config(id, voters, electionTicks, h, preVote, checkQuorum, maxInflightMessages,
                maxBytesPerMessage, maxBytesPerReady);
    }

    public Config withPreVote(boolean on) {
        return new Config(id, voters, electionTicks, heartbeatTicks, on, checkQuorum, maxInflightMessages,
                maxBytesPerMessage, maxBytesPerReady);
    }

    public Config withCheckQuorum(boolean on) {
        return new Config(id, voters, electionTicks, heartbeatTicks, preVote, on, maxInflightMessages,
                maxBytesPerMessage, maxBytesPerReady);
    }

    public Config withMaxInflightMessages(int n) {
        return new Config(id, voters, electionTicks, heartbeatTicks, preVote, checkQuorum, n,
                maxBytesPerMessage, maxBytesPerReady);
    }

    public Config withMaxBytesPerMessage(long n) {
        return new Config(id, voters, electionTicks, heartbeatTicks, preVote, checkQuorum, maxInflightMessages,
                n, maxBytesPerReady);
    }

    public Config withMaxBytesPerReady(long n) {
        return new Config(id, voters, electionTicks, heartbeatTicks, preVote, checkQuorum, maxInflightMessages,
                maxBytesPerMessage, n);
    }

    /** Votes needed to win an election or commit an entry: a strict majority of the voters. */
    public int quorum() {
        return Quorum.majority(voters.size());
    }
}
