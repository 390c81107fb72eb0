package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.RequestVote;
import dev.ballot.raft.Message.RequestVoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RequestVote (Raft paper §5.2 and §5.4.1, Figure 2): one vote per term, first come first served;
 * only for a candidate whose log is at least as up-to-date; a majority of votes, the candidate's own
 * included, makes a leader. Pre-vote is off here so that every RequestVote is a real one.
 */
class RequestVoteTest {

    static final int T = Config.DEFAULT_ELECTION_TICKS;

    /** Node 3 of {1, 2, 3}, at term 1 with an empty log, never having heard of a leader. */
    static TestNode voter() {
        return TestNode.create(config(3, 3).withPreVote(false), new HardState(1, RaftNode.NONE, 0));
    }

    static RequestVoteResponse response(List<Message> sent, long to) {
        return Msgs.single(sent, RequestVoteResponse.class, to);
    }

    @Test
    void theFirstCandidateOfATermGetsTheVote() {
        TestNode n = voter();
        List<Message> sent = n.step(new RequestVote(1, 3, 2, 0, 0, false));
        assertThat(response(sent, 1)).isEqualTo(new RequestVoteResponse(3, 1, 2, true, false));
        assertThat(n.raft.currentTerm()).isEqualTo(2);
        assertThat(n.raft.votedFor()).isEqualTo(1);
    }

    @Test
    void aSecondCandidateOfTheSameTermIsRefused() {
        TestNode n = voter();
        n.step(new RequestVote(1, 3, 2, 0, 0, false));
        List<Message> sent = n.step(new RequestVote(2, 3, 2, 0, 0, false));
        assertThat(response(sent, 2).voteGranted()).isFalse();
        assertThat(n.raft.votedFor()).isEqualTo(1);
    }

    @Test
    void theSameCandidateAskingAgainIsGrantedAgain() {
        // Its first answer may have been lost; granting again gives away nothing new.
        TestNode n = voter();
        n.step(new RequestVote(1, 3, 2, 0, 0, false));
        List<Message> sent = n.step(new RequestVote(1, 3, 2, 0, 0, false));
        assertThat(response(sent, 1).voteGranted()).isTrue();
        assertThat(n.raft.votedFor()).isEqualTo(1);
    }

    @Test
    void theVoteSurvivesARestart() {
        TestNode n = voter();
        n.step(new RequestVote(1, 3, 2, 0, 0, false));
        TestNode restarted = new TestNode(n.raft.config(), n.storage, n.hardState, 99);
        List<Message> sent = restarted.step(new RequestVote(2, 3, 2, 0, 0, false));
        assertThat(response(sent, 2).voteGranted()).isFalse();
        assertThat(restarted.raft.votedFor()).isEqualTo(1);
    }

    @Test
    void aNewTermBringsANewVote() {
        TestNode n = voter();
        n.step(new RequestVote(1, 3, 2, 0, 0, false));
        List<Message> sent = n.step(new RequestVote(2, 3, 3, 0, 0, false));
        assertThat(response(sent, 2)).isEqualTo(new RequestVoteResponse(3, 2, 3, true, false));
        assertThat(n.raft.votedFor()).isEqualTo(2);
    }

    /**
     * §5.4.1: "If the logs have last entries with different terms, then the log with the later term
     * is more up-to-date. If the logs end with the same term, then whichever log is longer is more
     * up-to-date." The voter's log is [1, 1, 2]: last entry 3@2.
     */
    @ParameterizedTest(name = "candidate last entry {0}@{1} -> granted {2}")
    @CsvSource({
            "3, 2, true",   // identical
            "4, 2, true",   // same last term, longer
            "2, 2, false",  // same last term, shorter
            "1, 3, true",   // later last term wins even when shorter
            "9, 1, false",  // earlier last term loses even when longer
            "3, 1, false",  // same length, earlier last term
            "0, 0, false",  // empty log
    })
    void aVoteGoesOnlyToACandidateWhoseLogIsAtLeastAsUpToDate(long lastIndex, long lastTerm, boolean granted) {
        TestNode n = TestNode.create(config(3, 3).withPreVote(false), new HardState(2, RaftNode.NONE, 0), 1, 1, 2);
        List<Message> sent = n.step(new RequestVote(1, 3, 3, lastIndex, lastTerm, false));
        assertThat(response(sent, 1)).isEqualTo(new RequestVoteResponse(3, 1, 3, granted, false));
        assertThat(n.raft.votedFor()).isEqualTo(granted ? 1 : RaftNode.NONE);
        assertThat(n.raft.currentTerm()).as("the term is adopted either way").isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} nodes, {1} granted by peers -> leader {2}")
    @CsvSource({
            "1, 0, true",
            "3, 0, false",
            "3, 1, true",
            "5, 1, false",
            "5, 2, true",
    })
    void aCandidateWinsWithAMajorityCountingItsOwnVote(int size, int grants, boolean leads) {
        TestNode n = TestNode.create(config(1, size).withPreVote(false), HardState.INITIAL);
        n.tickUntil(r -> r.role() != Role.FOLLOWER);
        long term = n.raft.currentTerm();
        for (long peer = 2; peer < 2 + grants; peer++) n.step(new RequestVoteResponse(peer, 1, term, true, false));
        assertThat(n.raft.role()).isEqualTo(leads ? Role.LEADER : Role.CANDIDATE);
        assertThat(n.raft.currentTerm()).isEqualTo(term);
    }

    @Test
    void refusalsDoNotCountTowardsAMajority() {
        TestNode n = TestNode.create(config(1, 5).withPreVote(false), HardState.INITIAL);
        n.tickUntil(r -> r.role() == Role.CANDIDATE);
        long term = n.raft.currentTerm();
        n.step(new RequestVoteResponse(2, 1, term, true, false));
        n.step(new RequestVoteResponse(3, 1, term, false, false));
        assertThat(n.raft.role()).isNotEqualTo(Role.LEADER);
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void aClusterElectsExactlyOneLeaderThatEveryoneFollows(int size) {
        Cluster c = Cluster.of(size);
        c.electLeader(1);
        c.tickAll(Config.DEFAULT_HEARTBEAT_TICKS); // a heartbeat brings the followers' commit index along
        assertThat(c.leaders()).containsExactly(1L);
        for (TestNode n : c.nodes()) {
            assertThat(n.raft.currentTerm()).as("term of %d", n.raft.id()).isEqualTo(1);
            assertThat(n.raft.leaderId()).as("leader known to %d", n.raft.id()).isEqualTo(1);
            assertThat(n.logTerms()).as("log of %d: the leader's NOOP", n.raft.id()).containsExactly(1L);
            assertThat(n.raft.commitIndex()).as("commit of %d", n.raft.id()).isEqualTo(1);
        }
    }

    @Test
    void aSplitVoteIsResolvedByANewElectionInALaterTerm() {
        // Four nodes (majority 3). Nodes 1 and 2 campaign at once in term 1; node 3 hears 1 first, node 4
        // hears 2 first: two votes each, no leader.
        Cluster c = Cluster.of(4, cfg -> cfg.withPreVote(false));
        List<Message> fromOne = c.node(1).tickUntil(r -> r.role() == Role.CANDIDATE);
        List<Message> fromTwo = c.node(2).tickUntil(r -> r.role() == Role.CANDIDATE);
        c.drop(m -> m instanceof RequestVote && (m.from() == 1 && m.to() == 4 || m.from() == 2 && m.to() == 3));
        c.deliver(fromOne);
        c.deliver(fromTwo);
        assertThat(c.leaders()).isEmpty();
        assertThat(c.node(1).raft.currentTerm()).isEqualTo(1);
        assertThat(c.node(2).raft.currentTerm()).isEqualTo(1);

        // Each times out again after a fresh random timeout; a later election finds a majority.
        c.heal();
        int ticks = 0;
        while (c.leaders().isEmpty()) {
            c.tickAll(1);
            ticks++;
            assertThat(ticks).as("ticks without a leader").isLessThan(10 * T);
        }
        assertThat(ticks).as("a new election waits for a timeout").isGreaterThanOrEqualTo(T - 1);
        assertThat(c.leaders()).hasSize(1);
        long leader = c.leaders().get(0);
        assertThat(c.node(leader).raft.currentTerm()).isGreaterThanOrEqualTo(2);
    }
}
