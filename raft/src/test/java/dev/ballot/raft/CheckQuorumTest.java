package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.Heartbeat;
import dev.ballot.raft.Message.RequestVote;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Check-quorum (Raft thesis §6.2 and §4.2.3): a leader that has not heard from a majority for an
 * election timeout steps down; a follower that has heard from its leader within the election
 * timeout refuses to help anyone replace it.
 */
class CheckQuorumTest {

    static final int T = Config.DEFAULT_ELECTION_TICKS;

    @Test
    void aLeaderCutOffFromTheMajorityStepsDown() {
        Cluster c = Cluster.of(3);
        TestNode leader = c.electLeader(1);
        long term = leader.raft.currentTerm();
        c.isolate(1);

        for (int tick = 1; tick < T; tick++) {
            c.tick(1);
            assertThat(leader.raft.role()).as("within one election timeout (tick %d)", tick).isEqualTo(Role.LEADER);
        }
        for (int tick = T; tick <= 2 * T; tick++) c.tick(1);
        assertThat(leader.raft.role()).as("after two election timeouts without a majority").isEqualTo(Role.FOLLOWER);
        assertThat(leader.raft.currentTerm()).as("stepping down needs no new term").isEqualTo(term);
        assertThat(leader.raft.leaderId()).isEqualTo(RaftNode.NONE);
    }

    @Test
    void aLeaderThatHearsFromAMajorityStays() {
        Cluster c = Cluster.of(5);
        c.electLeader(1);
        long term = c.node(1).raft.currentTerm();
        c.isolate(4);
        c.isolate(5);
        c.tickAll(10 * T);
        assertThat(c.leaders()).containsExactly(1L);
        assertThat(c.node(1).raft.currentTerm()).isEqualTo(term);
    }

    /** Node 2 of {1, 2, 3}, term 1, log [1, 1], that just heard a heartbeat from leader 1. */
    static TestNode followerOfALiveLeader() {
        TestNode n = TestNode.create(config(2, 3), new HardState(1, RaftNode.NONE, 0), 1, 1);
        n.step(new Heartbeat(1, 2, 1, 0, 0));
        assertThat(n.raft.leaderId()).isEqualTo(1);
        return n;
    }

    @ParameterizedTest(name = "preVote={0}")
    @ValueSource(booleans = {true, false})
    void aFollowerWithALiveLeaderRefusesVotes(boolean preVote) {
        TestNode n = followerOfALiveLeader();
        n.tick(T - 1);
        List<Message> sent = n.step(new RequestVote(3, 2, 2, 2, 1, preVote));

        assertThat(sent).noneMatch(Msgs::isYes);
        assertThat(n.raft.currentTerm()).isEqualTo(1);
        assertThat(n.raft.votedFor()).isEqualTo(RaftNode.NONE);
        assertThat(n.raft.leaderId()).isEqualTo(1);
    }

    @ParameterizedTest(name = "preVote={0}")
    @ValueSource(booleans = {true, false})
    void aFollowerWhoseLeaderFellSilentForAnElectionTimeoutGrantsVotes(boolean preVote) {
        TestNode n = followerOfALiveLeader();
        n.tick(T);
        List<Message> sent = n.step(new RequestVote(3, 2, 2, 2, 1, preVote));

        assertThat(Msgs.single(sent, Message.RequestVoteResponse.class, 3))
                .isEqualTo(new Message.RequestVoteResponse(2, 3, 2, true, preVote));
        assertThat(n.raft.currentTerm()).isEqualTo(preVote ? 1 : 2);
        if (!preVote) assertThat(n.raft.votedFor()).isEqualTo(3);
    }

    @Test
    void withoutCheckQuorumAFollowerWithALiveLeaderGrantsVotes() {
        TestNode n = TestNode.create(config(2, 3).withCheckQuorum(false).withPreVote(false),
                new HardState(1, RaftNode.NONE, 0), 1, 1);
        n.step(new Heartbeat(1, 2, 1, 0, 0));
        List<Message> sent = n.step(new RequestVote(3, 2, 2, 2, 1, false));
        assertThat(sent).anyMatch(Msgs::isYes);
        assertThat(n.raft.currentTerm()).isEqualTo(2);
        assertThat(n.raft.votedFor()).isEqualTo(3);
    }
}
