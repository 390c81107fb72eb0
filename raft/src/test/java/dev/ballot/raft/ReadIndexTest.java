package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.Heartbeat;
import dev.ballot.raft.Message.HeartbeatResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ReadIndex (Raft thesis §6.4): a leader serves a linearizable read without writing to the log. It
 * takes its commit index as the read index (once an entry of its own term is committed), then
 * confirms it is still leader with one heartbeat round answered by a majority, and only then
 * hands out a {@link ReadState}.
 */
class ReadIndexTest {

    static final int H = Config.DEFAULT_HEARTBEAT_TICKS;
    static final int T = Config.DEFAULT_ELECTION_TICKS;

    /** Node 1 just elected leader of {1..size} in term 2, log [1@1, 2@1, noop 3@2], commit 2. Returns its first messages. */
    static TestNode newLeader(int size, List<Message> sentOut) {
        TestNode n = TestNode.create(config(1, size), new HardState(1, RaftNode.NONE, 2), 1, 1);
        sentOut.addAll(n.becomeLeader());
        assertThat(n.raft.currentTerm()).isEqualTo(2);
        assertThat(n.raft.commitIndex()).isEqualTo(2);
        return n;
    }

    /** As {@link #newLeader}, after a majority acknowledged the no-op: commit 3, an entry of term 2. */
    static TestNode leaderWithCommittedNoop(int size) {
        List<Message> sent = new java.util.ArrayList<>();
        TestNode n = newLeader(size, sent);
        for (long peer = 2; peer <= n.raft.config().quorum(); peer++) {
            n.step(Msgs.ack(Msgs.single(sent, AppendEntries.class, peer)));
        }
        assertThat(n.raft.commitIndex()).isEqualTo(3);
        return n;
    }

    /** The context of the heartbeats in {@code sent}: one per peer, all the same. */
    static long heartbeatRound(List<Message> sent, int peers) {
        List<Heartbeat> hbs = Msgs.ofType(sent, Heartbeat.class);
        assertThat(hbs).as("one heartbeat per peer in %s", sent).hasSize(peers);
        assertThat(hbs.stream().map(Heartbeat::context).distinct().toList()).as("one round").hasSize(1);
        return hbs.getFirst().context();
    }

    static HeartbeatResponse answer(TestNode leader, long from, long context) {
        return new HeartbeatResponse(from, leader.raft.id(), leader.raft.currentTerm(), context);
    }

    static ProposeResult read(TestNode n, long context) {
        return n.raft.readIndex(context);
    }

    @Test
    void theLeaderReleasesTheCommitIndexOnceAMajorityAnsweredTheHeartbeatRound() {
        TestNode leader = leaderWithCommittedNoop(3);

        assertThat(read(leader, 7)).isEqualTo(new ProposeResult.Accepted(0, 2));
        long round = heartbeatRound(leader.drain(), 2);
        assertThat(round).as("a fresh round number").isPositive();
        assertThat(leader.readStates).as("not before the round is answered").isEmpty();

        // Commit moves on after the read was asked for; the read keeps the index it was given.
        leader.propose("x");
        AppendEntries ae = Msgs.single(leader.drain(), AppendEntries.class, 2);
        leader.step(Msgs.ack(ae));
        assertThat(leader.raft.commitIndex()).isEqualTo(4);
        assertThat(leader.readStates).as("an AppendEntries acknowledgement is no answer to the round").isEmpty();

        leader.step(answer(leader, 2, round));
        assertThat(leader.readStates).containsExactly(new ReadState(7, 3));
        assertThat(leader.raft.pendingReads()).isZero();
    }

    @Test
    void oneAnswerOfFourIsNotAMajorityOfFive() {
        TestNode leader = leaderWithCommittedNoop(5);
        read(leader, 1);
        long round = heartbeatRound(leader.drain(), 4);

        leader.step(answer(leader, 4, round));
        leader.step(answer(leader, 4, round)); // a duplicate counts once
        assertThat(leader.readStates).as("leader and one peer of five").isEmpty();

        leader.step(answer(leader, 5, round));
        assertThat(leader.readStates).containsExactly(new ReadState(1, 3));
    }

    @Test
    void aDeposedLeaderCutOffFromThePeersNeverReleasesARead() {
        Cluster c = Cluster.of(3, cfg -> cfg.withCheckQuorum(false));
        TestNode old = c.electLeader(1);
        long oldTerm = old.raft.currentTerm();
        c.tickAll(H); // the no-op of its term is committed everywhere
        assertThat(old.raft.commitIndex()).isEqualTo(1);

        c.isolate(1);
        TestNode fresh = c.electLeader(2);
        fresh.propose("written");
        c.stabilize();
        assertThat(fresh.raft.commitIndex()).as("the new leader committed beyond the old one").isEqualTo(3);
        assertThat(old.raft.role()).as("node 1 does not know yet").isEqualTo(Role.LEADER);

        assertThat(read(old, 9)).isEqualTo(new ProposeResult.Accepted(0, oldTerm));
        for (int i = 0; i < 4 * T; i++) c.tick(1);
        assertThat(old.readStates).as("no majority answers while cut off").isEmpty();

        c.heal();
        for (int i = 0; i < H && old.raft.role() == Role.LEADER; i++) c.tick(1);
        assertThat(old.raft.role()).as("the peers' answers carry the newer term").isEqualTo(Role.FOLLOWER);
        assertThat(old.readStates).as("the read is dropped, never served at the stale index 1").isEmpty();
        assertThat(old.raft.pendingReads()).isZero();
    }

    @Test
    void aNewLeaderHoldsReadsUntilAnEntryOfItsTermIsCommitted() {
        List<Message> sent = new java.util.ArrayList<>();
        TestNode leader = newLeader(3, sent);

        assertThat(read(leader, 5)).isInstanceOf(ProposeResult.Accepted.class);
        List<Message> beforeCommit = leader.drain();
        beforeCommit.addAll(leader.tick(H));
        List<Heartbeat> early = Msgs.ofType(beforeCommit, Heartbeat.class);
        assertThat(early).as("the periodic heartbeat").isNotEmpty();
        for (Heartbeat hb : early) leader.step(answer(leader, hb.to(), hb.context()));
        assertThat(leader.readStates).as("commit 2 is of term 1: it may miss what the last leader committed").isEmpty();
        assertThat(leader.raft.pendingReads()).isEqualTo(1);

        List<Message> afterCommit = leader.step(Msgs.ack(Msgs.single(sent, AppendEntries.class, 2)));
        assertThat(leader.raft.commitIndex()).isEqualTo(3);
        long round = heartbeatRound(afterCommit, 2);
        assertThat(round).as("a round after the commit, newer than any answered").isGreaterThan(early.getFirst().context());
        assertThat(leader.readStates).isEmpty();

        leader.step(answer(leader, 3, round));
        assertThat(leader.readStates).as("read index: the commit index when the term's first entry committed")
                .containsExactly(new ReadState(5, 3));
    }

    @Test
    void followersAndCandidatesAnswerNotLeaderWithTheirHint() {
        TestNode follower = TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 0), 1);
        follower.step(new Heartbeat(2, 1, 1, 0, 0));
        assertThat(read(follower, 1)).isEqualTo(new ProposeResult.NotLeader(2));
        assertThat(follower.raft.hasReady()).isFalse();
        assertThat(follower.raft.pendingReads()).isZero();

        TestNode candidate = TestNode.create(config(1, 3).withPreVote(false), new HardState(1, RaftNode.NONE, 0), 1);
        candidate.tickUntil(r -> r.role() == Role.CANDIDATE);
        assertThat(read(candidate, 1)).isEqualTo(new ProposeResult.NotLeader(RaftNode.NONE));
    }

    @Test
    void aFollowerEchoesTheRoundOfAHeartbeat() {
        TestNode follower = TestNode.create(config(2, 3), new HardState(1, RaftNode.NONE, 0), 1);
        List<Message> sent = follower.step(new Heartbeat(1, 2, 1, 1, 42));
        assertThat(sent).containsExactly(new HeartbeatResponse(2, 1, 1, 42));
    }

    @Test
    void anAnswerToAnOlderRoundDoesNotConfirmANewerRead() {
        TestNode leader = leaderWithCommittedNoop(3);
        read(leader, 1);
        long first = heartbeatRound(leader.drain(), 2);
        leader.step(answer(leader, 2, first));
        assertThat(leader.readStates).containsExactly(new ReadState(1, 3));

        read(leader, 2);
        long second = heartbeatRound(leader.drain(), 2);
        assertThat(second).isGreaterThan(first);
        leader.step(answer(leader, 2, first));
        leader.step(answer(leader, 3, first)); // late answers to the first round, sent before read 2 was asked for
        assertThat(leader.readStates).as("only read 1").hasSize(1);

        leader.step(answer(leader, 3, second));
        assertThat(leader.readStates).containsExactly(new ReadState(1, 3), new ReadState(2, 3));
    }

    @Test
    void aReadAskedForWhileAReadyIsBeingCarriedOutGetsTheNextRound() {
        TestNode leader = leaderWithCommittedNoop(3);
        read(leader, 1);
        Ready taken = leader.raft.ready(); // the runtime is busy with it (asynchronous persistence)
        long first = heartbeatRound(taken.messages(), 2);

        read(leader, 2);
        leader.persist(taken);
        leader.raft.advance(taken);
        long second = heartbeatRound(leader.drain(), 2);
        assertThat(second).as("read 2 was accepted after round %d was queued", first).isGreaterThan(first);

        leader.step(answer(leader, 2, first));
        assertThat(leader.readStates).containsExactly(new ReadState(1, 3));
        leader.step(answer(leader, 2, second));
        assertThat(leader.readStates).containsExactly(new ReadState(1, 3), new ReadState(2, 3));
    }

    @Test
    void aSingleVoterReleasesAtOnceOnceItsTermHasACommit() {
        TestNode n = TestNode.create(Config.of(1, Set.of(1L)), HardState.INITIAL);
        while (n.raft.role() != Role.LEADER) n.raft.tick();
        assertThat(n.raft.commitIndex()).as("its no-op is not even written yet").isZero();

        assertThat(read(n, 3)).isEqualTo(new ProposeResult.Accepted(0, 1));
        assertThat(n.raft.pendingReads()).isEqualTo(1);
        List<Message> sent = n.drain();
        assertThat(sent).isEmpty();
        assertThat(n.readStates).containsExactly(new ReadState(3, 1));

        read(n, 4);
        assertThat(n.drain()).isEmpty();
        assertThat(n.readStates).containsExactly(new ReadState(3, 1), new ReadState(4, 1));
    }

    @Test
    void pendingReadsAreDroppedWhenAHigherTermDeposesTheLeader() {
        TestNode leader = leaderWithCommittedNoop(3);
        read(leader, 1);
        long round = heartbeatRound(leader.drain(), 2);

        leader.step(new HeartbeatResponse(2, 1, 3, round));
        assertThat(leader.raft.role()).isEqualTo(Role.FOLLOWER);
        assertThat(leader.raft.pendingReads()).isZero();
        assertThat(read(leader, 2)).isEqualTo(new ProposeResult.NotLeader(RaftNode.NONE));
        assertThat(leader.readStates).isEmpty();
    }

    @Test
    void pendingReadsAreDroppedWhenCheckQuorumDeposesTheLeaderInItsOwnTerm() {
        TestNode leader = leaderWithCommittedNoop(3);
        read(leader, 1);
        leader.drain();
        leader.tickUntil(r -> r.role() != Role.LEADER);
        assertThat(leader.raft.currentTerm()).isEqualTo(2);
        assertThat(leader.raft.pendingReads()).isZero();

        // An answer arriving afterwards finds no leader and releases nothing.
        leader.step(new HeartbeatResponse(2, 1, 2, 1));
        assertThat(leader.readStates).isEmpty();
    }

    @Test
    void readsAskedForBetweenTwoReadysShareOneRound() {
        TestNode leader = leaderWithCommittedNoop(3);
        for (long ctx = 10; ctx < 15; ctx++) read(leader, ctx);
        long round = heartbeatRound(leader.drain(), 2);

        leader.step(answer(leader, 3, round));
        assertThat(leader.readStates).as("in the order asked for").containsExactly(new ReadState(10, 3),
                new ReadState(11, 3), new ReadState(12, 3), new ReadState(13, 3), new ReadState(14, 3));
    }

    @Test
    void periodicHeartbeatsCarryTheLatestRoundAndTheirAnswersConfirmIt() {
        TestNode leader = leaderWithCommittedNoop(3);
        read(leader, 1);
        long round = heartbeatRound(leader.drain(), 2);
        long periodic = heartbeatRound(leader.tick(H), 2);
        assertThat(periodic).isEqualTo(round);
        leader.step(answer(leader, 2, periodic));
        assertThat(leader.readStates).containsExactly(new ReadState(1, 3));
    }

    @Test
    void anAnswerClaimingARoundNeverStartedIsDropped() {
        TestNode leader = leaderWithCommittedNoop(3);
        read(leader, 1);
        long round = heartbeatRound(leader.drain(), 2);
        long dropped = leader.raft.droppedMessages();

        leader.step(answer(leader, 2, round + 1));
        assertThat(leader.raft.droppedMessages()).isEqualTo(dropped + 1);
        assertThat(leader.readStates).isEmpty();
        leader.step(answer(leader, 2, round));
        assertThat(leader.readStates).containsExactly(new ReadState(1, 3));
    }

    @Test
    void aNegativeRoundIsMalformed() {
        TestNode follower = TestNode.create(config(2, 3), new HardState(1, RaftNode.NONE, 0), 1);
        assertThat(follower.step(new Heartbeat(1, 2, 1, 0, -1))).isEmpty();
        assertThat(follower.raft.droppedMessages()).isEqualTo(1);
        assertThat(follower.raft.leaderId()).isEqualTo(RaftNode.NONE);

        TestNode leader = leaderWithCommittedNoop(3);
        long dropped = leader.raft.droppedMessages();
        leader.step(answer(leader, 2, -1));
        assertThat(leader.raft.droppedMessages()).isEqualTo(dropped + 1);
    }

    @Test
    void aContextStillPendingIsRefusedAndChangesNothing() {
        TestNode leader = leaderWithCommittedNoop(3);
        read(leader, 1);
        assertThatThrownBy(() -> read(leader, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("context 1");
        long round = heartbeatRound(leader.drain(), 2);
        leader.step(answer(leader, 2, round));
        assertThat(leader.readStates).containsExactly(new ReadState(1, 3));
        assertThat(read(leader, 1)).as("free again once handed out").isInstanceOf(ProposeResult.Accepted.class);
    }
}
