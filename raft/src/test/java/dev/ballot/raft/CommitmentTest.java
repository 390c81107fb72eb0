package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.Heartbeat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Commitment (Raft paper §5.3 and §5.4.2): an entry is committed once the leader has replicated
 * it on a majority, but a leader only ever counts replicas of entries of its own term; earlier
 * entries are committed indirectly, along with the first entry of its term (Figure 8). Hence the
 * NOOP a new leader appends at once.
 */
class CommitmentTest {

    @Test
    void aNewLeaderAppendsANoopOfItsTermAtOnce() {
        TestNode n = TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 0), 1, 1);
        List<Message> sent = n.becomeLeader();

        assertThat(n.raft.currentTerm()).isEqualTo(2);
        assertThat(n.raft.lastIndex()).isEqualTo(3);
        assertThat(n.raft.lastTerm()).isEqualTo(2);
        assertThat(n.storage.all()).as("persisted by the first Ready as leader").endsWith(Entry.noop(3, 2));
        assertThat(Msgs.single(sent, AppendEntries.class, 2).entries()).containsExactly(Entry.noop(3, 2));
    }

    @Test
    void anEntryIsCommittedOnceAMajorityHoldsIt() {
        TestNode n = TestNode.create(config(1, 5), new HardState(1, RaftNode.NONE, 0), 1);
        List<Message> sent = n.becomeLeader();
        long noop = n.raft.lastIndex();

        n.step(Msgs.ack(Msgs.single(sent, AppendEntries.class, 2)));
        assertThat(n.raft.commitIndex()).as("leader + 1 of 5").isLessThan(noop);
        n.step(Msgs.ack(Msgs.single(sent, AppendEntries.class, 3)));
        assertThat(n.raft.commitIndex()).as("leader + 2 of 5").isEqualTo(noop);
    }

    @Test
    void aLeaderDoesNotCommitAnEntryOfAnEarlierTermByCountingReplicas() {
        // Figure 8. Node 1 holds 2@2 from its own earlier reign (term 2) and now leads term 4; node 2
        // only holds [1@1]. With one entry per message, node 2 first gets 2@2, then the NOOP 3@4.
        // When node 2 has 2@2, that entry is on a majority, yet it must not count as committed: a
        // leader of term 3 with another entry at index 2 could still overwrite it.
        TestNode leader = TestNode.create(config(1, 3).withMaxBytesPerMessage(1), new HardState(3, RaftNode.NONE, 1), 1, 2);
        TestNode follower = TestNode.create(config(2, 3), new HardState(3, RaftNode.NONE, 1), 1);
        List<Message> toFollower = Msgs.ofType(leader.becomeLeader(), AppendEntries.class, 2).stream()
                .map(Message.class::cast).toList();

        boolean oldEntryWasOnAMajority = false;
        for (int round = 0; round < 20 && !toFollower.isEmpty(); round++) {
            List<Message> replies = new ArrayList<>();
            for (Message m : toFollower) replies.addAll(follower.step(m));
            List<Message> next = new ArrayList<>();
            for (Message r : replies) {
                next.addAll(leader.step(r));
                if (leader.raft.progress(2).matchIndex() == 2) {
                    oldEntryWasOnAMajority = true;
                    assertThat(leader.raft.commitIndex()).as("2@2 on a majority, not committed").isEqualTo(1);
                }
            }
            toFollower = next.stream().filter(m -> m.to() == 2).toList();
        }
        assertThat(oldEntryWasOnAMajority).as("the scenario reached its point").isTrue();
        assertThat(leader.raft.commitIndex()).as("committed along with the NOOP of term 4").isEqualTo(3);
        assertThat(leader.applied).endsWith(TestNode.entry(2, 2), Entry.noop(3, 4));
    }

    @Test
    void aHeartbeatCarriesTheCommitIndexCappedAtWhatTheFollowerHolds() {
        Cluster c = Cluster.of(3);
        TestNode leader = c.electLeader(1);
        leader.raft.propose("a".getBytes(StandardCharsets.UTF_8));
        c.stabilize();
        c.drop(m -> m.to() == 3);
        leader.raft.propose("b".getBytes(StandardCharsets.UTF_8));
        leader.raft.propose("c".getBytes(StandardCharsets.UTF_8));
        c.stabilize();
        assertThat(leader.raft.commitIndex()).isEqualTo(4);
        assertThat(leader.raft.progress(3).matchIndex()).isEqualTo(2);

        int mark = c.sent.size();
        for (int i = 0; i < Config.DEFAULT_HEARTBEAT_TICKS; i++) c.tick(1);
        List<Message> later = new ArrayList<>(c.sent.subList(mark, c.sent.size()));
        assertThat(Msgs.single(later, Heartbeat.class, 2).commit()).isEqualTo(4);
        assertThat(Msgs.single(later, Heartbeat.class, 3).commit()).isEqualTo(2);
    }
}
