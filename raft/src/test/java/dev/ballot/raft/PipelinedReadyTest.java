package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static dev.ballot.raft.TestNode.entries;
import static dev.ballot.raft.TestNode.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.AppendEntriesResponse;
import dev.ballot.raft.Message.Heartbeat;
import dev.ballot.raft.Message.HeartbeatResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several Readies in flight at once (pipelined storage writes, see {@link Ready}): each thing is
 * handed out by exactly one Ready, Readies are advanced in the order they were returned, committed
 * entries come only from stable entries, and the leader counts its own copy only after advance.
 */
class PipelinedReadyTest {

    /** Step 1 then 2 then 3 then 4 of the contract for one Ready (the TestNode helpers check each step). */
    private static List<Message> carryOut(TestNode n, Ready r) {
        n.persist(r);
        List<Message> sent = n.send(r);
        n.apply(r);
        n.readStates.addAll(r.readStates());
        n.raft.advance(r);
        return sent;
    }

    private static AppendEntriesResponse ackOf(List<Message> sent, long peer) {
        return Msgs.ack(Msgs.appendsWithEntries(sent, peer).getLast());
    }

    @Test
    void aLeaderHandsOutEachEntryOnceInOrderAndCommitsOnlyAfterTheAdvances() {
        TestNode leader = FlowControlTest.leaderReplicatingTo2(c -> c);
        long a = leader.propose("a").index();
        Ready r1 = leader.raft.ready();
        long b = leader.propose("b").index();
        assertThat(leader.raft.hasReady()).as("b is new").isTrue();
        Ready r2 = leader.raft.ready();
        long c = leader.propose("c").index();
        Ready r3 = leader.raft.ready();
        assertThat(leader.raft.hasReady()).as("everything handed out").isFalse();
        assertThat(leader.raft.readiesInFlight()).isEqualTo(3);

        assertThat(r1.entries()).extracting(Entry::index).containsExactly(a);
        assertThat(r2.entries()).extracting(Entry::index).containsExactly(b);
        assertThat(r3.entries()).extracting(Entry::index).containsExactly(c);

        // Node 2 acknowledges everything before our disk is done: a majority needs our own copy.
        leader.raft.step(ackOf(r1.messages(), 2));
        leader.raft.step(ackOf(r2.messages(), 2));
        leader.raft.step(ackOf(r3.messages(), 2));
        assertThat(leader.raft.commitIndex()).as("nothing persisted here yet").isLessThan(a);

        carryOut(leader, r1);
        assertThat(leader.raft.commitIndex()).as("a is durable here and on node 2").isEqualTo(a);
        Ready r4 = leader.raft.ready(); // taken while r2 and r3 are still being written
        assertThat(r4.committedEntries()).extracting(Entry::index).containsExactly(a);
        assertThat(r4.entries()).isEmpty();
        assertThat(r4.hardState()).isEqualTo(new HardState(FlowControlTest.TERM, 1, a));

        carryOut(leader, r2);
        carryOut(leader, r3);
        assertThat(leader.raft.commitIndex()).isEqualTo(c);
        Ready r5 = leader.raft.ready();
        assertThat(r5.committedEntries()).as("b and c, not a again").extracting(Entry::index).containsExactly(b, c);
        carryOut(leader, r4);
        carryOut(leader, r5);
        assertThat(leader.raft.hasReady()).isFalse();
        assertThat(leader.appliedCommands()).containsExactly("e1@1", "a", "b", "c");
        assertThat(leader.raft.appliedIndex()).isEqualTo(c);
        assertThat(leader.storage.lastIndex()).isEqualTo(c);
    }

    @Test
    void committedEntriesComeOnlyFromStableEntriesEvenWhenTheCommitIndexIsAhead() {
        TestNode n = TestNode.create(config(2, 3), new HardState(1, RaftNode.NONE, 0));
        n.raft.step(new AppendEntries(1, 2, 1, 0, 0, entries(1, 1, 1, 1), 0));
        Ready r1 = n.raft.ready();
        assertThat(r1.entries()).isEqualTo(entries(1, 1, 1, 1));

        n.raft.step(new Heartbeat(1, 2, 1, 3, 0)); // the leader committed what we are still writing
        assertThat(n.raft.commitIndex()).isEqualTo(3);
        Ready r2 = n.raft.ready();
        assertThat(r2.hardState()).isEqualTo(new HardState(1, RaftNode.NONE, 3));
        assertThat(r2.entries()).as("already handed out by r1").isEmpty();
        assertThat(r2.committedEntries()).as("entries 1..3 are only in flight").isEmpty();
        assertThat(n.raft.hasReady()).isFalse();

        carryOut(n, r1);
        assertThat(n.raft.hasReady()).as("the advance made committed entries stable").isTrue();
        Ready r3 = n.raft.ready();
        assertThat(r3.committedEntries()).isEqualTo(entries(1, 1, 1, 1).subList(0, 3));
        carryOut(n, r2);
        carryOut(n, r3);
        assertThat(n.raft.appliedIndex()).isEqualTo(3);
        assertThat(n.raft.hasReady()).isFalse();
    }

    @Test
    void aConflictingAppendWhileTheConflictingEntriesAreInFlightStartsTheNextReadyAtTheTruncation() {
        TestNode n = TestNode.create(config(2, 3), new HardState(1, 1, 1), 1);
        n.drain();
        n.raft.step(new AppendEntries(1, 2, 1, 1, 1, entries(2, 1, 1), 1));
        Ready r1 = n.raft.ready();
        assertThat(r1.entries()).isEqualTo(entries(2, 1, 1));

        // Node 3 leads term 2 and never had 2@1, 3@1: they go.
        n.raft.step(new AppendEntries(3, 2, 2, 1, 1, entries(2, 2, 2), 1));
        Ready r2 = n.raft.ready();
        assertThat(r2.entries()).as("starts at the truncation point").isEqualTo(entries(2, 2, 2));
        assertThat(r2.hardState()).isEqualTo(new HardState(2, RaftNode.NONE, 1));

        carryOut(n, r1); // 2@1 and 3@1 reach the disk, but they are no longer our log: 3@1 is not 3@2
        assertThat(n.raft.entries(1, 4)).containsExactly(entry(1, 1), entry(2, 2), entry(3, 2));
        n.raft.step(new Heartbeat(3, 2, 2, 2, 0));
        Ready r3 = n.raft.ready();
        assertThat(r3.committedEntries()).as("2@2 is not stable before r2 is advanced (the disk still has 2@1)")
                .isEmpty();

        carryOut(n, r2);
        Ready r4 = n.raft.ready();
        assertThat(r4.committedEntries()).containsExactly(entry(2, 2));
        carryOut(n, r3);
        carryOut(n, r4);
        assertThat(n.storage.all()).containsExactly(entry(1, 1), entry(2, 2), entry(3, 2));
        assertThat(n.applied).containsExactly(entry(1, 1), entry(2, 2));
        assertThat(n.raft.hasReady()).isFalse();
    }

    @Test
    void aConflictBelowTheStableEntriesWhileAReadyIsInFlightReplacesThemToo() {
        TestNode n = TestNode.create(config(2, 3), new HardState(1, 1, 1), 1, 1);
        n.drain();
        n.raft.step(new AppendEntries(1, 2, 1, 2, 1, List.of(entry(3, 1)), 1));
        Ready r1 = n.raft.ready();
        assertThat(r1.entries()).containsExactly(entry(3, 1));

        n.raft.step(new AppendEntries(3, 2, 2, 1, 1, List.of(entry(2, 2)), 2));
        Ready r2 = n.raft.ready();
        assertThat(r2.entries()).containsExactly(entry(2, 2));
        assertThat(r2.committedEntries()).isEmpty();

        carryOut(n, r1);
        Ready r3 = n.raft.ready();
        assertThat(r3.isEmpty()).as("advancing r1 made nothing of the new log stable: %s", r3).isTrue();
        carryOut(n, r2);
        carryOut(n, r3);
        n.drain();
        assertThat(n.storage.all()).containsExactly(entry(1, 1), entry(2, 2));
        assertThat(n.applied).containsExactly(entry(1, 1), entry(2, 2));
    }

    @Test
    void theHardStateIsHandedOutOncePerChange() {
        TestNode n = TestNode.create(config(2, 3), new HardState(1, RaftNode.NONE, 0));
        n.raft.step(new Message.RequestVote(1, 2, 2, 0, 0, false));
        Ready r1 = n.raft.ready();
        assertThat(r1.hardState()).isEqualTo(new HardState(2, 1, 0));
        n.raft.tick();
        assertThat(n.raft.hasReady()).as("no change since r1").isFalse();

        n.raft.step(new AppendEntries(1, 2, 2, 0, 0, entries(1, 2), 1));
        Ready r2 = n.raft.ready();
        assertThat(r2.hardState()).isEqualTo(new HardState(2, 1, 1));
        n.raft.step(new AppendEntries(1, 2, 2, 1, 2, List.of(), 1));
        Ready r3 = n.raft.ready();
        assertThat(r3.hardState()).as("unchanged since r2, though r2 is not persisted yet").isNull();
        carryOut(n, r1);
        carryOut(n, r2);
        carryOut(n, r3);
        assertThat(n.hardState).isEqualTo(new HardState(2, 1, 1));
    }

    @Test
    void eachMessageIsHandedOutOnce() {
        TestNode n = TestNode.create(config(2, 3), new HardState(1, RaftNode.NONE, 0));
        n.raft.step(new AppendEntries(1, 2, 1, 0, 0, entries(1, 1), 0));
        Ready r1 = n.raft.ready();
        n.raft.step(new Heartbeat(1, 2, 1, 0, 0));
        Ready r2 = n.raft.ready();
        assertThat(r1.messages()).containsExactly(AppendEntriesResponse.accepted(2, 1, 1, 1));
        assertThat(r2.messages()).containsExactly(new HeartbeatResponse(2, 1, 1, 0));
        assertThat(n.raft.hasReady()).isFalse();
        List<Message> sent = new ArrayList<>(carryOut(n, r1));
        sent.addAll(carryOut(n, r2));
        assertThat(sent).hasSize(2);
    }

    @Test
    void readStatesAreHandedOutOnce() {
        TestNode leader = ReadIndexTest.leaderWithCommittedNoop(3);
        ReadIndexTest.read(leader, 1);
        Ready r1 = leader.raft.ready();
        long round = ReadIndexTest.heartbeatRound(r1.messages(), 2);
        leader.raft.step(ReadIndexTest.answer(leader, 2, round));
        Ready r2 = leader.raft.ready();
        assertThat(r2.readStates()).containsExactly(new ReadState(1, 3));
        assertThat(leader.raft.hasReady()).isFalse();
        ReadIndexTest.read(leader, 2);
        Ready r3 = leader.raft.ready();
        assertThat(r3.readStates()).isEmpty();
        carryOut(leader, r1);
        carryOut(leader, r2);
        carryOut(leader, r3);
        leader.drain();
        assertThat(leader.readStates).containsExactly(new ReadState(1, 3));
    }

    @Test
    void anOutOfOrderAdvanceIsRefusedAndChangesNothing() {
        TestNode leader = FlowControlTest.leaderReplicatingTo2(c -> c);
        leader.propose("a");
        Ready r1 = leader.raft.ready();
        leader.propose("b");
        Ready r2 = leader.raft.ready();
        leader.raft.step(ackOf(r1.messages(), 2));
        leader.raft.step(ackOf(r2.messages(), 2));
        long commit = leader.raft.commitIndex();
        leader.persist(r1);
        leader.persist(r2);

        assertThatIllegalStateException().isThrownBy(() -> leader.raft.advance(r2)).withMessageContaining("oldest");
        assertThatIllegalStateException().isThrownBy(() -> leader.raft.advance(null));
        Ready forged = new Ready(r1.snapshot(), r1.hardState(), r1.entries(), r1.messages(), r1.committedEntries(), r1.role(),
                r1.leaderId(), r1.readStates());
        assertThatIllegalStateException().isThrownBy(() -> leader.raft.advance(forged));
        assertThat(leader.raft.commitIndex()).as("no entry became stable").isEqualTo(commit);
        assertThat(leader.raft.readiesInFlight()).isEqualTo(2);

        leader.raft.advance(r1);
        assertThatIllegalStateException().as("advanced twice").isThrownBy(() -> leader.raft.advance(r1));
        leader.raft.advance(r2);
        assertThat(leader.raft.readiesInFlight()).isZero();
        assertThatIllegalStateException().isThrownBy(() -> leader.raft.advance(r2)).withMessageContaining("without");
        assertThat(leader.raft.commitIndex()).isEqualTo(r2.entries().getLast().index());
        leader.drain();
        assertThat(leader.appliedCommands()).containsExactly("e1@1", "a", "b");
    }
}
