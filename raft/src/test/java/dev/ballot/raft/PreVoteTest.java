package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.RequestVote;
import dev.ballot.raft.Message.RequestVoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pre-vote (Raft thesis §9.6): before bumping its term, a node asks whether it could win. Neither
 * asking nor answering changes anyone's term or vote, so a node cut off from the cluster cannot
 * inflate its term and, on its return, depose a healthy leader.
 */
class PreVoteTest {

    static final int T = Config.DEFAULT_ELECTION_TICKS;

    @Test
    void aPreCandidateKeepsItsTermAndVote() {
        TestNode n = TestNode.create(config(1, 3), new HardState(5, 2, 0), 1, 5);
        List<Message> sent = n.tickUntil(r -> r.role() != Role.FOLLOWER);

        assertThat(n.raft.role()).isEqualTo(Role.PRE_CANDIDATE);
        assertThat(n.raft.currentTerm()).isEqualTo(5);
        assertThat(n.raft.votedFor()).isEqualTo(2);
        assertThat(n.hardState).as("persisted").isEqualTo(new HardState(5, 2, 0));
        assertThat(Msgs.ofType(sent, RequestVote.class)).as("asks for term 5 + 1")
                .containsExactlyInAnyOrder(new RequestVote(1, 2, 6, 2, 5, true), new RequestVote(1, 3, 6, 2, 5, true));
    }

    @ParameterizedTest(name = "voter voted for {0} in its term")
    @CsvSource({"0", "3"})
    void aPreVoteIsGrantedWithoutAdoptingTheTermOrSpendingTheVote(long votedFor) {
        // Voter 2 at term 5 with log [1, 5]; the pre-vote is for term 6, so an earlier vote in term 5 does not matter.
        TestNode n = TestNode.create(config(2, 3), new HardState(5, votedFor, 0), 1, 5);
        List<Message> sent = n.step(new RequestVote(1, 2, 6, 2, 5, true));

        assertThat(Msgs.single(sent, RequestVoteResponse.class, 1))
                .as("a granted pre-vote carries the term asked for")
                .isEqualTo(new RequestVoteResponse(2, 1, 6, true, true));
        assertThat(n.raft.currentTerm()).isEqualTo(5);
        assertThat(n.raft.votedFor()).isEqualTo(votedFor);
        assertThat(n.raft.role()).isEqualTo(Role.FOLLOWER);
        assertThat(n.hardState).isEqualTo(new HardState(5, votedFor, 0));
    }

    @Test
    void aPreVoteIsRefusedToAStaleLog() {
        TestNode n = TestNode.create(config(2, 3), new HardState(5, RaftNode.NONE, 0), 1, 5);
        List<Message> sent = n.step(new RequestVote(1, 2, 6, 2, 1, true));
        assertThat(sent).noneMatch(Msgs::isYes);
        assertThat(n.raft.currentTerm()).isEqualTo(5);
        assertThat(n.raft.votedFor()).isEqualTo(RaftNode.NONE);
    }

    @Test
    void aPreCandidateBumpsItsTermOnlyWithAMajorityOfPreVotes() {
        TestNode n = TestNode.create(config(1, 5), new HardState(5, RaftNode.NONE, 0), 1, 5);
        n.tickUntil(r -> r.role() == Role.PRE_CANDIDATE);

        n.step(new RequestVoteResponse(2, 1, 6, true, true));
        assertThat(n.raft.role()).as("2 of 5").isEqualTo(Role.PRE_CANDIDATE);
        assertThat(n.raft.currentTerm()).isEqualTo(5);

        List<Message> sent = n.step(new RequestVoteResponse(3, 1, 6, true, true));
        assertThat(n.raft.role()).as("3 of 5").isEqualTo(Role.CANDIDATE);
        assertThat(n.raft.currentTerm()).isEqualTo(6);
        assertThat(n.raft.votedFor()).isEqualTo(1);
        assertThat(Msgs.ofType(sent, RequestVote.class)).hasSize(4).allMatch(rv -> !rv.preVote() && rv.term() == 6);
    }

    @Test
    void aRejoiningNodeDoesNotRaiseTheTermOrDeposeTheLeader() {
        Cluster c = Cluster.of(3);
        c.electLeader(1);
        long term = c.node(1).raft.currentTerm();

        c.isolate(3);
        c.tickAll(10 * T);
        assertThat(c.node(3).raft.currentTerm()).as("isolated node 3 keeps asking, never bumps").isEqualTo(term);

        c.heal();
        c.tickAll(4 * T);
        assertThat(c.leaders()).containsExactly(1L);
        for (TestNode n : c.nodes()) {
            assertThat(n.raft.currentTerm()).as("term of %d", n.raft.id()).isEqualTo(term);
            assertThat(n.raft.leaderId()).as("leader known to %d", n.raft.id()).isEqualTo(1);
        }
    }

    @Test
    void withoutPreVoteARejoiningNodeRaisesTheTermAndDeposesTheLeader() {
        // The contrast: the isolated node campaigns in ever higher terms; back in touch, its answer to
        // the leader's heartbeat carries that term and the leader must step down.
        Cluster c = Cluster.of(3, cfg -> cfg.withPreVote(false));
        c.electLeader(1);
        long term = c.node(1).raft.currentTerm();

        c.isolate(3);
        c.tickAll(10 * T);
        long inflated = c.node(3).raft.currentTerm();
        assertThat(inflated).as("isolated node 3's term").isGreaterThan(term + 1);
        assertThat(c.node(1).raft.currentTerm()).isEqualTo(term);

        c.heal();
        c.tickAll(4 * T);
        assertThat(c.node(1).raft.currentTerm()).as("old leader's term").isGreaterThanOrEqualTo(inflated);
    }

    @ParameterizedTest(name = "preVote={0}")
    @CsvSource({"true", "false"})
    void aCampaignRefusedByAMajorityEndsAndTheNodeFollowsAgain(boolean preVote) {
        TestNode n = TestNode.create(config(1, 3).withPreVote(preVote), new HardState(5, RaftNode.NONE, 0), 1, 5);
        n.tickUntil(r -> r.role() != Role.FOLLOWER);
        long term = n.raft.currentTerm();

        // A refusal carries the voter's own term (here the same as ours), not the term asked about.
        n.step(new RequestVoteResponse(2, 1, term, false, preVote));
        n.step(new RequestVoteResponse(3, 1, term, false, preVote));

        assertThat(n.raft.role()).isEqualTo(Role.FOLLOWER);
        assertThat(n.raft.currentTerm()).as(preVote ? "a failed pre-vote cost no term" : "the term stays")
                .isEqualTo(term);
    }
}
