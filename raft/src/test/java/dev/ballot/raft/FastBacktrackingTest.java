package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static dev.ballot.raft.TestNode.entries;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.AppendEntriesResponse;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fast backtracking (Raft paper §5.3, end): a rejecting follower names the term of its conflicting
 * entry and the first index it holds of that term, so the leader skips a whole term per round trip
 * instead of one entry.
 */
class FastBacktrackingTest {

    /** Follower 2 (term 3) holds [1, 1, 2, 2, 2, 3]; leader 1 (term 4) probes at prevLogIndex/prevLogTerm. */
    @ParameterizedTest(name = "prev {0}@{1} -> conflict term {2} from index {3}")
    @CsvSource({
            "8, 3, 0, 7",   // no entry there: term 0, and "send from my last index + 1"
            "7, 3, 0, 7",
            "6, 4, 3, 6",
            "5, 3, 2, 3",   // entry 5 is of term 2, which the follower holds from index 3
            "4, 1, 2, 3",
            "2, 2, 1, 1",
    })
    void aRejectionNamesTheConflictingTermAndItsFirstIndex(long prevIndex, long prevTerm, long conflictTerm, long conflictIndex) {
        TestNode n = TestNode.create(config(2, 3), new HardState(3, RaftNode.NONE, 0), 1, 1, 2, 2, 2, 3);
        List<Message> sent = n.step(new AppendEntries(1, 2, 4, prevIndex, prevTerm, entries(prevIndex + 1, 4), 0));
        assertThat(Msgs.single(sent, AppendEntriesResponse.class, 1))
                .isEqualTo(AppendEntriesResponse.rejected(2, 1, 4, prevIndex, conflictTerm, conflictIndex));
    }

    static long[] terms(String spaced) {
        return Arrays.stream(spaced.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
    }

    /**
     * Repairs follower 2's log in a cluster of three where node 3 holds a copy of the leader's log.
     * Returns how many AppendEntries node 2 rejected.
     */
    static long repair(long[] leaderLog, long leaderTerm, long[] followerLog, long followerTerm) {
        HardState hs = new HardState(Math.max(leaderTerm, followerTerm), RaftNode.NONE, 0);
        Cluster c = new Cluster(
                TestNode.create(config(1, 3), hs, leaderLog),
                TestNode.create(config(2, 3), hs, followerLog),
                TestNode.create(config(3, 3), hs, leaderLog));
        TestNode leader = c.electLeader(1);
        c.tickAll(Config.DEFAULT_HEARTBEAT_TICKS); // a heartbeat brings the followers' commit index along

        assertThat(c.node(2).log()).as("follower's log repaired").isEqualTo(leader.log());
        assertThat(c.node(2).raft.commitIndex()).isEqualTo(leader.raft.lastIndex());
        return Msgs.ofType(c.sent, AppendEntriesResponse.class, 1).stream()
                .filter(r -> r.from() == 2 && !r.success()).count();
    }

    /** Figure 7 of the Raft paper: the leader of term 8 and followers (a) to (f). */
    @ParameterizedTest(name = "({0}) {1}: at most {2} rejections")
    @CsvSource({
            "a, 1 1 1 4 4 5 5 6 6,         1",
            "b, 1 1 1 4,                   1",
            "c, 1 1 1 4 4 5 5 6 6 6 6,     1",
            "d, 1 1 1 4 4 5 5 6 6 6 7 7,   1",
            "e, 1 1 1 4 4 4 4,             2",
            "f, 1 1 1 2 2 2 3 3 3 3 3,     3",
    })
    void theFollowersOfFigure7AreRepairedInAboutOneRoundTripPerTerm(String name, String follower, long maxRejections) {
        long rejections = repair(terms("1 1 1 4 4 5 5 6 6 6"), 7, terms(follower), 7);
        assertThat(rejections).isLessThanOrEqualTo(maxRejections);
    }

    @Test
    void aFollowerDivergingOverThreeTermsIsRepairedInAtMostFourRoundTrips() {
        // Leader: [1, 1] + 10 x term 5. Follower: [1, 1] + 10 x term 2 + 10 x term 3 + 10 x term 4.
        // Backing up one entry per rejection would take 10 rejections; one term per rejection at most 4.
        long[] leader = LongStream.concat(LongStream.of(1, 1), LongStream.generate(() -> 5).limit(10)).toArray();
        long[] follower = LongStream.concat(LongStream.of(1, 1), LongStream.concat(
                LongStream.generate(() -> 2).limit(10),
                LongStream.concat(LongStream.generate(() -> 3).limit(10), LongStream.generate(() -> 4).limit(10))))
                .toArray();
        assertThat(repair(leader, 5, follower, 5)).isLessThanOrEqualTo(4);
    }

    @Test
    void aFollowerFarBehindIsCaughtUpAfterOneRejection() {
        long[] leader = LongStream.generate(() -> 1).limit(50).toArray();
        assertThat(repair(leader, 1, new long[] {1, 1, 1, 1, 1}, 1)).isLessThanOrEqualTo(1);
    }
}
