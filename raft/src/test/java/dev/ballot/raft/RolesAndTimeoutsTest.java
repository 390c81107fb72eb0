package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.Heartbeat;
import dev.ballot.raft.Message.RequestVote;
import dev.ballot.raft.Message.RequestVoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Roles and timeouts (Raft paper §5.2): followers wait a randomized election timeout in [T, 2T)
 * before campaigning; leaders send a heartbeat every H ticks; a node goes follower → pre-candidate
 * → candidate → leader.
 */
class RolesAndTimeoutsTest {

    static final int T = Config.DEFAULT_ELECTION_TICKS;
    static final int H = Config.DEFAULT_HEARTBEAT_TICKS;

    @ParameterizedTest(name = "T={0}")
    @ValueSource(ints = {15, 10, 3})
    void aFollowerCampaignsAfterARandomizedTimeoutInTTo2T(int t) {
        Set<Integer> timeouts = new TreeSet<>();
        for (long seed = 0; seed < 200; seed++) {
            TestNode n = TestNode.withSeed(config(1, 3).withHeartbeatTicks(1).withElectionTicks(t), seed);
            int ticks = n.ticksUntil(r -> r.role() != Role.FOLLOWER);
            assertThat(ticks).as("ticks until campaign, seed %d", seed).isBetween(t, 2 * t - 1);
            timeouts.add(ticks);
        }
        assertThat(timeouts).as("distinct timeouts over 200 seeds").hasSizeGreaterThanOrEqualTo(Math.max(2, t / 2));
    }

    @Test
    void aCandidateDrawsANewTimeoutForEachElection() {
        // Without pre-vote, a candidate nobody answers starts a new election (term + 1) at each timeout.
        TestNode n = TestNode.withSeed(config(1, 3).withPreVote(false), 7);
        n.tickUntil(r -> r.role() == Role.CANDIDATE);
        Set<Integer> timeouts = new TreeSet<>();
        for (int election = 0; election < 40; election++) {
            long term = n.raft.currentTerm();
            int ticks = n.ticksUntil(r -> r.currentTerm() > term);
            assertThat(ticks).as("ticks from election %d to the next", election).isBetween(T, 2 * T - 1);
            assertThat(n.raft.currentTerm()).isEqualTo(term + 1);
            timeouts.add(ticks);
        }
        assertThat(timeouts).as("timeouts of 40 successive elections").hasSizeGreaterThan(1);
    }

    @Test
    void aFollowerDrawsANewTimeoutWhenItResets() {
        // Becoming a follower again (here: learning of a leader in a new term) re-randomizes the timeout.
        boolean someDiffer = false;
        for (long seed = 0; seed < 50; seed++) {
            TestNode n = TestNode.withSeed(config(1, 3), seed);
            int first = n.ticksUntil(r -> r.role() != Role.FOLLOWER);
            n.step(new Heartbeat(2, 1, 1, 0, 0));
            assertThat(n.raft.role()).isEqualTo(Role.FOLLOWER);
            int second = n.ticksUntil(r -> r.role() != Role.FOLLOWER);
            assertThat(second).as("second timeout, seed %d", seed).isBetween(T, 2 * T - 1);
            someDiffer |= first != second;
        }
        assertThat(someDiffer).as("the timeout after a reset differs from the first for some seed").isTrue();
    }

    @Test
    void aFollowerThatKeepsHearingFromItsLeaderNeverCampaigns() {
        TestNode n = TestNode.create(config(1, 3), HardState.INITIAL);
        for (int round = 0; round < 10; round++) {
            n.step(new Heartbeat(2, 1, 1, 0, 0));
            n.tick(T - 1);
            assertThat(n.raft.role()).as("after round %d", round).isEqualTo(Role.FOLLOWER);
        }
        assertThat(n.raft.leaderId()).isEqualTo(2);
    }

    @ParameterizedTest(name = "H={0}")
    @ValueSource(ints = {5, 1, 3})
    void aLeaderSendsAHeartbeatToEveryFollowerEveryHTicks(int h) {
        TestNode leader = TestNode.create(config(1, 3).withCheckQuorum(false).withHeartbeatTicks(h), HardState.INITIAL);
        leader.becomeLeader();
        List<String> heartbeats = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int tick = 1; tick <= 3 * h; tick++) {
            for (Heartbeat hb : Msgs.ofType(leader.tick(1), Heartbeat.class)) {
                heartbeats.add("tick " + tick + " to " + hb.to());
            }
            if (tick % h == 0) {
                expected.add("tick " + tick + " to 2");
                expected.add("tick " + tick + " to 3");
            }
        }
        assertThat(heartbeats).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aNodeGoesFromFollowerThroughPreCandidateAndCandidateToLeader() {
        TestNode n = TestNode.create(config(1, 3), new HardState(4, RaftNode.NONE, 0), 1, 4);
        assertThat(n.raft.role()).isEqualTo(Role.FOLLOWER);

        // Election timeout: a pre-vote for term 5, asked without leaving term 4.
        List<Message> sent = n.tickUntil(r -> r.role() != Role.FOLLOWER);
        assertThat(n.raft.role()).isEqualTo(Role.PRE_CANDIDATE);
        assertThat(n.raft.currentTerm()).isEqualTo(4);
        assertThat(Msgs.ofType(sent, RequestVote.class)).containsExactlyInAnyOrder(
                new RequestVote(1, 2, 5, 2, 4, true), new RequestVote(1, 3, 5, 2, 4, true));

        // A majority of pre-votes (its own and node 2's): the real election, in term 5, voting for itself.
        sent = n.step(new RequestVoteResponse(2, 1, 5, true, true));
        assertThat(n.raft.role()).isEqualTo(Role.CANDIDATE);
        assertThat(n.raft.currentTerm()).isEqualTo(5);
        assertThat(n.raft.votedFor()).isEqualTo(1);
        assertThat(Msgs.ofType(sent, RequestVote.class)).containsExactlyInAnyOrder(
                new RequestVote(1, 2, 5, 2, 4, false), new RequestVote(1, 3, 5, 2, 4, false));

        // A majority of votes: leader of term 5, which at once appends a NOOP and sends it out.
        sent = n.step(new RequestVoteResponse(2, 1, 5, true, false));
        assertThat(n.raft.role()).isEqualTo(Role.LEADER);
        assertThat(n.raft.leaderId()).isEqualTo(1);
        assertThat(n.raft.currentTerm()).isEqualTo(5);
        assertThat(n.raft.entries(3, 4)).containsExactly(Entry.noop(3, 5));
        assertThat(Msgs.ofType(sent, AppendEntries.class)).extracting(AppendEntries::to).containsExactlyInAnyOrder(2L, 3L);
    }
}
