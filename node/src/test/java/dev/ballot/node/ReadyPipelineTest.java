package dev.ballot.node;

import dev.ballot.raft.Config;
import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.MemoryLogStorage;
import dev.ballot.raft.Message;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.Ready;
import dev.ballot.raft.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The Ready policy, rule by rule, on a real engine (node 1 of three; the test plays nodes 2 and 3). */
class ReadyPipelineTest {

    /** A persist the pipeline asked for, not yet done. */
    private record Write(Ready ready, List<Entry> entries, HardState hardState, Runnable durable) {}

    private final MemoryLogStorage log = new MemoryLogStorage();
    private final List<Write> writes = new ArrayList<>();
    private final List<Message> sent = new ArrayList<>();
    private final List<Entry> applied = new ArrayList<>();
    private RaftNode node;
    private ReadyPipeline pipeline;

    @BeforeEach
    void start() {
        node = new RaftNode(Config.of(1, Set.of(1L, 2L, 3L)).withPreVote(false), log, HardState.INITIAL,
                new SplittableRandom(1));
        pipeline = new ReadyPipeline(node, HardState.INITIAL, 2, new ReadyPipeline.Actions() {
            @Override public void persist(Ready ready, List<Entry> entries, HardState hardState, Runnable durable) {
                writes.add(new Write(ready, entries, hardState, durable));
            }

            @Override public void send(List<Message> messages) {
                sent.addAll(messages);
            }

            @Override public void apply(Ready ready) {
                applied.addAll(ready.committedEntries());
            }
        });
    }

    /** The storage finishes the oldest write. */
    private void finishWrite() {
        Write w = writes.removeFirst();
        if (!w.entries().isEmpty()) log.append(w.entries());
        w.durable().run();
    }

    private void campaign() {
        while (node.role() != Role.CANDIDATE) node.tick();
        pipeline.drain();
    }

    private void winElection() {
        campaign();
        finishWrite();
        sent.clear();
        node.step(new Message.RequestVoteResponse(2, 1, node.currentTerm(), true, false));
        pipeline.drain();
    }

    @Test
    void aCandidatesVoteRequestsWaitUntilItsTermAndVoteAreDurable() {
        campaign();
        assertThat(writes).hasSize(1);
        assertThat(writes.getFirst().hardState()).isEqualTo(new HardState(1, 1, 0));
        assertThat(sent).as("nothing before the disk").isEmpty();
        finishWrite();
        assertThat(sent).hasSize(2).allMatch(m -> m instanceof Message.RequestVote);
    }

    @Test
    void aLeaderSendsItsAppendEntriesBeforeItsOwnWriteAndCountsItselfOnlyAfter() {
        winElection();
        assertThat(node.role()).isEqualTo(Role.LEADER);
        assertThat(writes).as("the leader's no-op entry is being written").hasSize(1);
        assertThat(writes.getFirst().hardState()).as("term and vote are unchanged: no hard state to sync").isNull();
        assertThat(sent).as("AppendEntries left before the write finished")
                .isNotEmpty().allMatch(m -> m instanceof Message.AppendEntries);
        long noop = writes.getFirst().entries().getFirst().index();

        // A follower acknowledges: that alone is not a majority while the leader's own copy is not durable.
        node.step(Message.AppendEntriesResponse.accepted(2, 1, node.currentTerm(), noop));
        pipeline.drain();
        assertThat(node.commitIndex()).isLessThan(noop);
        finishWrite();
        pipeline.drain();
        assertThat(node.commitIndex()).isEqualTo(noop);
    }

    @Test
    void aCommitAloneCostsNoWriteAndItsEntriesAreAppliedAtOnce() {
        winElection();
        finishWrite();
        long noop = node.lastIndex();
        node.step(Message.AppendEntriesResponse.accepted(2, 1, node.currentTerm(), noop));
        pipeline.drain();
        assertThat(writes).as("only the commit index changed: nothing to sync").isEmpty();
        assertThat(applied).extracting(Entry::index).containsExactly(noop);
    }

    @Test
    void readiesFinishInTheOrderTheyWereTakenEvenWhenAWriteIsFasterThanAnEarlierOne() {
        winElection();                                // Ready 1: the no-op, in flight
        node.propose(new byte[] {7});
        pipeline.drain();                             // Ready 2: entry 2, in flight
        assertThat(writes).hasSize(2);
        assertThat(pipeline.inFlight()).isEqualTo(2);
        Write second = writes.remove(1);
        log.append(writes.getFirst().entries());
        log.append(second.entries());
        second.durable().run();                       // the later write reports first
        assertThat(pipeline.inFlight()).as("it waits for the one before it").isEqualTo(2);
        writes.removeFirst().durable().run();
        assertThat(pipeline.inFlight()).isZero();
    }

    @Test
    void theBrokenPipelineForTestsSendsVoteRequestsBeforeTheDisk() {
        pipeline = ReadyPipeline.sendingBeforePersistForTests(node, HardState.INITIAL, 1, new ReadyPipeline.Actions() {
            @Override public void persist(Ready ready, List<Entry> entries, HardState hardState, Runnable durable) {
                writes.add(new Write(ready, entries, hardState, durable));
            }

            @Override public void send(List<Message> messages) {
                sent.addAll(messages);
            }

            @Override public void apply(Ready ready) {
            }
        });
        campaign();
        assertThat(writes).hasSize(1);
        assertThat(sent).hasSize(2).allMatch(m -> m instanceof Message.RequestVote);
    }

    @Test
    void aSnapshotToInstallIsPersistedAndItsAcknowledgementWaitsForIt() {
        node.step(new Message.Heartbeat(2, 1, 1, 0, 0)); // follow node 2 in term 1
        pipeline.drain();
        finishWrite();
        sent.clear();
        node.step(new Message.InstallSnapshot(2, 1, 1, 5, 1)); // same term: no term or vote to fsync
        pipeline.drain();
        assertThat(writes).as("the install is a write").hasSize(1);
        assertThat(writes.getFirst().ready().snapshot()).isEqualTo(new dev.ballot.raft.SnapshotMetadata(5, 1));
        assertThat(sent).as("no acknowledgement before the snapshot is installed").isEmpty();
        Write w = writes.removeFirst();
        log.restore(5, 1);
        w.durable().run();
        assertThat(sent).containsExactly(Message.AppendEntriesResponse.accepted(1, 2, 1, 5));
        assertThat(node.appliedIndex()).isEqualTo(5);
    }
}
