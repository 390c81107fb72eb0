package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static dev.ballot.raft.TestNode.entries;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.AppendEntries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The Ready contract (see {@link Ready}): committed entries are handed out in order, exactly once,
 * and only once they are durable; the leader counts its own copy of an entry towards a majority
 * only after {@link RaftNode#advance(Ready)} reports it persisted. ({@link TestNode#drain()} checks
 * the rest of the contract on every Ready of every test; {@link PipelinedReadyTest} covers several
 * Readies in flight at once.)
 */
class ReadyContractTest {

    @Test
    void aQuietNodeHasNoReady() {
        TestNode n = TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 0), 1);
        n.drain();
        assertThat(n.raft.hasReady()).isFalse();
        n.tick(1);
        assertThat(n.raft.hasReady()).isFalse();
    }

    @Test
    void everyNodeAppliesEveryCommittedEntryInOrderExactlyOnce() {
        Cluster c = Cluster.of(3);
        TestNode leader = c.electLeader(1);
        List<String> proposed = IntStream.range(0, 10).mapToObj(i -> "cmd" + i).toList();
        for (int batch = 0; batch < 10; batch += 4) {
            for (String s : proposed.subList(batch, Math.min(batch + 4, 10))) {
                leader.raft.propose(s.getBytes(StandardCharsets.UTF_8));
            }
            c.stabilize();
        }
        c.tickAll(Config.DEFAULT_HEARTBEAT_TICKS);

        for (TestNode n : c.nodes()) {
            assertThat(n.appliedCommands()).as("applied on %d", n.raft.id()).isEqualTo(proposed);
            assertThat(n.applied).extracting(Entry::index).as("applied on %d", n.raft.id())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 11).mapToObj(i -> (long) i).toList());
            assertThat(n.raft.appliedIndex()).isEqualTo(11);
        }
    }

    @Test
    void committedEntriesAreHandedOutOnlyByAReadyAfterTheOneThatPersistsThem() {
        TestNode n = TestNode.create(config(2, 3), new HardState(1, RaftNode.NONE, 0));
        n.raft.step(new AppendEntries(1, 2, 1, 0, 0, entries(1, 1, 1), 2));

        Ready first = n.raft.ready();
        assertThat(first.entries()).isEqualTo(entries(1, 1, 1));
        assertThat(first.committedEntries()).as("not yet durable").isEmpty();
        n.persist(first);
        n.send(first);
        n.raft.advance(first);

        n.drain();
        assertThat(n.applied).isEqualTo(entries(1, 1, 1));
    }

    @Test
    void theLeaderCountsItsOwnCopyOnlyAfterAdvance() {
        // Three nodes: the leader and node 2 make a majority, but only once the leader's copy is durable.
        List<Message> sent = new ArrayList<>();
        TestNode leader = FlowControlTest.leader(c -> c, sent);
        FlowControlTest.ackUntilQuiet(leader, sent, 2);
        long index = leader.propose("x").index();

        Ready r = leader.raft.ready();
        assertThat(r.entries()).extracting(Entry::index).containsExactly(index);
        leader.persist(r);
        AppendEntries ae = Msgs.single(leader.send(r), AppendEntries.class, 2);
        leader.raft.step(Msgs.ack(ae)); // node 2 was quicker than our disk
        assertThat(leader.raft.commitIndex()).as("before advance").isLessThan(index);

        leader.apply(r);
        leader.raft.advance(r);
        leader.drain();
        assertThat(leader.raft.commitIndex()).as("after advance").isEqualTo(index);
        assertThat(leader.appliedCommands()).endsWith("x");
    }

    /**
     * The exception to "send only once durable" (thesis §10.2.1): a leader may send its
     * AppendEntries before its own write. If it then crashes before that write, nothing committed is
     * lost: it never counted its own copy, so what committed is durable on a majority of followers,
     * and the restarted leader, whose log lacks it, cannot win a vote from them.
     */
    @Test
    void aLeaderThatSentBeforeItsOwnWriteAndCrashedBeforeItLosesNothingCommitted() {
        Cluster c = Cluster.of(3, cfg -> cfg.withCheckQuorum(false)); // no lease: votes are decided on the log alone
        TestNode leader = c.electLeader(1);
        long x = leader.propose("x").index();

        Ready r = leader.raft.ready(); // sent at once, never persisted
        assertThat(r.role()).isEqualTo(Role.LEADER);
        for (AppendEntries ae : Msgs.ofType(r.messages(), AppendEntries.class)) {
            for (Message answer : c.node(ae.to()).step(ae)) leader.raft.step(answer);
        }
        assertThat(leader.raft.commitIndex()).as("committed by nodes 2 and 3 alone").isEqualTo(x);
        assertThat(leader.raft.ready().committedEntries()).as("not applied before its own write").isEmpty();
        for (long f = 2; f <= 3; f++) assertThat(c.node(f).storage.lastIndex()).as("durable on %d", f).isEqualTo(x);

        TestNode restarted = new TestNode(leader.raft.config(), leader.storage, leader.hardState, 1);
        assertThat(restarted.raft.lastIndex()).as("the crash lost x on node 1").isLessThan(x);
        List<Message> asks = restarted.tickUntil(n -> n.role() == Role.PRE_CANDIDATE);
        for (Message.RequestVote rv : Msgs.ofType(asks, Message.RequestVote.class)) {
            assertThat(c.node(rv.to()).step(rv)).as("node %d's answer", rv.to()).noneMatch(Msgs::isYes);
        }
    }

    @Test
    void aNewLeaderCountsItsOwnNoopOnlyAfterAdvance() {
        TestNode n = TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 0), 1);
        n.tickUntil(r -> r.role() == Role.PRE_CANDIDATE);
        n.step(new Message.RequestVoteResponse(2, 1, 2, true, true));
        n.raft.step(new Message.RequestVoteResponse(2, 1, 2, true, false));
        assertThat(n.raft.role()).isEqualTo(Role.LEADER);

        Ready r = n.raft.ready();
        assertThat(r.entries()).containsExactly(Entry.noop(2, 2));
        n.persist(r);
        n.raft.step(Msgs.ack(Msgs.single(n.send(r), AppendEntries.class, 2)));
        assertThat(n.raft.commitIndex()).as("before advance").isLessThan(2);

        n.apply(r);
        n.raft.advance(r);
        n.drain();
        assertThat(n.raft.commitIndex()).as("after advance").isEqualTo(2);
    }

    @Test
    void aSingleNodeClusterCommitsOnlyWhatItHasPersisted() {
        TestNode n = TestNode.create(config(1, 1), HardState.INITIAL);
        // Campaign (a single node wins at once) and stop at the Ready that carries the NOOP.
        Ready withNoop = null;
        for (int tick = 0; tick < 100 && withNoop == null; tick++) {
            n.raft.tick();
            while (withNoop == null && n.raft.hasReady()) {
                Ready r = n.raft.ready();
                if (!r.entries().isEmpty()) {
                    withNoop = r;
                } else {
                    n.persist(r);
                    n.send(r);
                    n.apply(r);
                    n.raft.advance(r);
                }
            }
        }
        assertThat(withNoop).as("a Ready with the NOOP").isNotNull();
        assertThat(n.raft.role()).isEqualTo(Role.LEADER);
        assertThat(withNoop.entries()).containsExactly(Entry.noop(1, 1));
        assertThat(withNoop.committedEntries()).isEmpty();
        assertThat(n.raft.commitIndex()).as("before the NOOP is persisted").isZero();

        n.persist(withNoop);
        n.raft.advance(withNoop);
        n.drain();
        assertThat(n.raft.commitIndex()).isEqualTo(1);

        long x = n.propose("x").index();
        Ready r = n.raft.ready();
        assertThat(r.committedEntries()).extracting(Entry::index).doesNotContain(x);
        assertThat(n.raft.commitIndex()).isLessThan(x);
        n.persist(r);
        n.apply(r);
        n.raft.advance(r);
        n.drain();
        assertThat(n.raft.commitIndex()).isEqualTo(x);
        assertThat(n.appliedCommands()).containsExactly("x");
    }

    @Test
    void aRestartedNodeReappliesWhatItKnewWasCommitted() {
        TestNode n = TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 3), 1, 1, 1, 1);
        n.drain();
        assertThat(n.applied).isEqualTo(entries(1, 1, 1, 1));
        assertThat(n.raft.appliedIndex()).isEqualTo(3);
    }

    @Test
    void aReadyRecordsTheRoleAndLeaderWhenItWasMade() {
        TestNode n = TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 0), 1);
        n.tickUntil(r -> r.role() == Role.PRE_CANDIDATE);
        n.raft.step(new Message.RequestVoteResponse(2, 1, 2, true, true));
        n.raft.step(new Message.RequestVoteResponse(2, 1, 2, true, false));
        Ready r = n.raft.ready();
        assertThat(r.role()).isEqualTo(Role.LEADER);
        assertThat(r.leaderId()).isEqualTo(1);
    }

    @Test
    void advanceWithAReadyThatWasNotTheLastOneIsRefused() {
        TestNode n = TestNode.create(config(1, 1), HardState.INITIAL);
        n.tickUntil(r -> r.role() == Role.LEADER);
        n.propose("x");
        Ready r = n.raft.ready();
        Ready forged = new Ready(r.snapshot(), r.hardState(), r.entries(), r.messages(), r.committedEntries(), r.role(), r.leaderId(), r.readStates());
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> n.raft.advance(forged));
    }

    @Test
    void committedEntriesAreHandedOutInReadysOfAtMostMaxBytesPerReady() {
        // Ten entries of 24 + 9 bytes each; at most 100 bytes per Ready, but at least one entry.
        TestNode n = TestNode.create(config(1, 3).withMaxBytesPerReady(100), new HardState(1, RaftNode.NONE, 10),
                1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        List<Integer> perReady = new ArrayList<>();
        while (n.raft.hasReady()) {
            Ready r = n.raft.ready();
            long bytes = r.committedEntries().stream().mapToLong(Entry::sizeBytes).sum();
            assertThat(bytes <= 100 || r.committedEntries().size() == 1).as("%d bytes", bytes).isTrue();
            perReady.add(r.committedEntries().size());
            n.persist(r);
            n.apply(r);
            n.raft.advance(r);
        }
        assertThat(n.applied).extracting(Entry::index).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(perReady).as("entries per Ready").hasSizeGreaterThan(1);
    }
}
