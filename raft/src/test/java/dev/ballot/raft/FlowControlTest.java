package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.AppendEntriesResponse;
import dev.ballot.raft.Message.HeartbeatResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flow control, as etcd's raft does it: a follower in PROBE (the leader does not yet know where
 * their logs agree) gets one AppendEntries at a time; a follower in REPLICATE gets a pipeline of up
 * to maxInflightMessages, each of at most maxBytesPerMessage (but at least one entry).
 *
 * <p>Node 1 leads {1, 2, 3} in term 2 with log [1@1, 2@2 (its NOOP)]; node 2's answers are
 * written by hand.
 */
class FlowControlTest {

    static final long TERM = 2;

    static TestNode leader(UnaryOperator<Config> tweak, List<Message> sentAsLeader) {
        TestNode n = TestNode.create(tweak.apply(config(1, 3)), new HardState(1, RaftNode.NONE, 0), 1);
        sentAsLeader.addAll(n.becomeLeader());
        assertThat(n.raft.currentTerm()).isEqualTo(TERM);
        return n;
    }

    /** Acknowledges every AppendEntries to {@code peer}, and every one that follows, until none is left. */
    static void ackUntilQuiet(TestNode leader, List<Message> sent, long peer) {
        List<AppendEntries> pending = Msgs.ofType(sent, AppendEntries.class, peer);
        while (!pending.isEmpty()) {
            List<Message> next = new ArrayList<>();
            for (AppendEntries ae : pending) next.addAll(leader.step(Msgs.ack(ae)));
            pending = Msgs.ofType(next, AppendEntries.class, peer);
        }
    }

    /** A leader whose follower 2 is in REPLICATE with nothing in flight. */
    static TestNode leaderReplicatingTo2(UnaryOperator<Config> tweak) {
        List<Message> sent = new ArrayList<>();
        TestNode n = leader(tweak, sent);
        ackUntilQuiet(n, sent, 2);
        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.REPLICATE);
        assertThat(n.raft.progress(2).inflight()).isZero();
        return n;
    }

    static List<Message> proposeAndDrain(TestNode leader, String data) {
        leader.raft.propose(data.getBytes(StandardCharsets.UTF_8));
        return leader.drain();
    }

    @Test
    void aNewLeaderProbesEachFollowerWithOneMessageThenWaits() {
        List<Message> sent = new ArrayList<>();
        TestNode n = leader(c -> c, sent);
        AppendEntries probe = Msgs.single(sent, AppendEntries.class, 2);
        assertThat(probe.prevLogIndex()).as("optimistically from the leader's last index").isEqualTo(1);
        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.PROBE);

        List<Message> later = new ArrayList<>();
        later.addAll(proposeAndDrain(n, "x"));
        later.addAll(proposeAndDrain(n, "y"));
        later.addAll(n.tick(Config.DEFAULT_HEARTBEAT_TICKS));
        assertThat(Msgs.ofType(later, AppendEntries.class, 2)).as("nothing more until node 2 answers").isEmpty();
    }

    @Test
    void inProbeAHeartbeatResponseReleasesTheNextProbe() {
        List<Message> sent = new ArrayList<>();
        TestNode n = leader(c -> c, sent);
        proposeAndDrain(n, "x");

        List<Message> after = n.step(new HeartbeatResponse(2, 1, TERM, 0));
        AppendEntries probe = Msgs.single(after, AppendEntries.class, 2);
        assertThat(probe.prevLogIndex()).isEqualTo(1);
        assertThat(probe.entries()).extracting(Entry::index).containsExactly(2L, 3L);
        assertThat(Msgs.ofType(after, AppendEntries.class, 3)).as("node 3 still waits").isEmpty();
    }

    @Test
    void aSuccessfulResponseMovesAProbedFollowerToReplicate() {
        List<Message> sent = new ArrayList<>();
        TestNode n = leader(c -> c, sent);
        n.step(Msgs.ack(Msgs.single(sent, AppendEntries.class, 2)));

        ProgressView p = n.raft.progress(2);
        assertThat(p.state()).isEqualTo(Progress.State.REPLICATE);
        assertThat(p.matchIndex()).isEqualTo(2);
        assertThat(p.nextIndex()).isEqualTo(3);
        assertThat(n.raft.progress(3).state()).as("node 3 has not answered").isEqualTo(Progress.State.PROBE);
    }

    @Test
    void inReplicateTheLeaderPipelinesUpToMaxInflightMessages() {
        TestNode n = leaderReplicatingTo2(c -> c.withMaxInflightMessages(3));
        List<Message> sent = new ArrayList<>();
        for (String s : List.of("a", "b", "c", "d", "e")) sent.addAll(proposeAndDrain(n, s));

        List<AppendEntries> pipelined = Msgs.appendsWithEntries(sent, 2);
        assertThat(pipelined).as("sent without waiting for answers").hasSize(3);
        assertThat(n.raft.progress(2).inflight()).isEqualTo(3);

        List<Message> afterOneAck = n.step(Msgs.ack(pipelined.get(0)));
        assertThat(Msgs.appendsWithEntries(afterOneAck, 2)).as("one answer frees one slot").hasSize(1);
        assertThat(n.raft.progress(2).inflight()).isEqualTo(3);
    }

    @ParameterizedTest(name = "entries of {0} data bytes, cap 100")
    @ValueSource(ints = {10, 30, 500})
    void eachAppendEntriesCarriesAtMostMaxBytesButAtLeastOneEntry(int dataBytes) {
        TestNode n = leaderReplicatingTo2(c -> c.withMaxBytesPerMessage(100));
        long first = n.raft.lastIndex() + 1;
        for (int i = 0; i < 6; i++) n.raft.propose(new byte[dataBytes]);

        // Acknowledge whatever comes until node 2 has everything.
        List<AppendEntries> all = new ArrayList<>();
        List<AppendEntries> pending = Msgs.ofType(n.drain(), AppendEntries.class, 2);
        while (!pending.isEmpty()) {
            all.addAll(pending);
            List<Message> next = new ArrayList<>();
            for (AppendEntries ae : pending) next.addAll(n.step(Msgs.ack(ae)));
            pending = Msgs.ofType(next, AppendEntries.class, 2);
        }

        for (AppendEntries ae : all) {
            long bytes = ae.entries().stream().mapToLong(Entry::sizeBytes).sum();
            assertThat(bytes <= 100 || ae.entries().size() == 1).as("%d bytes in %s", bytes, ae.entries()).isTrue();
        }
        List<Long> delivered = all.stream().flatMap(ae -> ae.entries().stream()).map(Entry::index).toList();
        assertThat(delivered).containsExactly(first, first + 1, first + 2, first + 3, first + 4, first + 5);
    }

    @Test
    void aRejectionMovesAReplicatingFollowerBackToProbe() {
        TestNode n = leaderReplicatingTo2(c -> c);
        List<Message> sent = new ArrayList<>();
        for (String s : List.of("a", "b", "c")) sent.addAll(proposeAndDrain(n, s));
        List<AppendEntries> pipelined = Msgs.appendsWithEntries(sent, 2);
        assertThat(pipelined).extracting(AppendEntries::prevLogIndex).containsExactly(2L, 3L, 4L);

        // The first was lost; node 2 rejects the second: it has nothing at 3, its log ends at 2.
        List<Message> after = n.step(AppendEntriesResponse.rejected(2, 1, TERM, 3, 0, 3));

        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.PROBE);
        assertThat(n.raft.progress(2).matchIndex()).isEqualTo(2);
        assertThat(Msgs.single(after, AppendEntries.class, 2).prevLogIndex()).as("probes from where node 2 is")
                .isEqualTo(2);
    }

    /**
     * Probe recovery (etcd raft does the same): in PROBE, a success at or above matchIndex shows
     * where the logs agree, which is all a probe asks, so replication resumes at once, even if the
     * answer moves nothing forward. Node 2 (matchIndex 2) lost the AppendEntries with 3, rejected
     * the one after it, and is being probed from 3; then an answer arrives: a stale one (1), the
     * network's copy of its answer to the NOOP (2), or that of the delayed AppendEntries with 3 (3).
     */
    @ParameterizedTest(name = "success for {0} while probing with matchIndex 2 -> {1}, sends [{2}]")
    @CsvSource({
            "1, PROBE,     ''",     // says less than we know: the probe is still out, keep waiting
            "2, REPLICATE, 3 4 5",  // the logs agree at matchIndex: stream from matchIndex + 1 now
            "3, REPLICATE, 4 5",
    })
    void inProbeASuccessAtOrAboveMatchIndexResumesReplicationAtOnce(long index, Progress.State state, String sends) {
        TestNode n = leaderReplicatingTo2(c -> c);
        for (String s : List.of("a", "b", "c")) proposeAndDrain(n, s);
        List<Message> probe = n.step(AppendEntriesResponse.rejected(2, 1, TERM, 3, 0, 3));
        assertThat(Msgs.single(probe, AppendEntries.class, 2).prevLogIndex()).isEqualTo(2);
        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.PROBE);
        assertThat(n.raft.progress(2).matchIndex()).isEqualTo(2);

        List<Message> after = n.step(AppendEntriesResponse.accepted(2, 1, TERM, index));

        assertThat(n.raft.progress(2).state()).isEqualTo(state);
        assertThat(n.raft.progress(2).matchIndex()).isEqualTo(Math.max(2, index));
        List<Long> sent = Msgs.appendsWithEntries(after, 2).stream()
                .flatMap(ae -> ae.entries().stream()).map(Entry::index).toList();
        assertThat(sent).as("entries sent to node 2 at once").isEqualTo(QuorumTest.ids(sends).stream().toList());
    }

    @ParameterizedTest(name = "maxInflightMessages={0}")
    @ValueSource(ints = {2, 256})
    void aReplicatingFollowerThatLostItsPipelineCatchesUpAfterTheNextHeartbeat(int maxInflight) {
        Cluster c = Cluster.of(3, cfg -> cfg.withMaxInflightMessages(maxInflight));
        TestNode leader = c.electLeader(1);
        assertThat(leader.raft.progress(2).state()).isEqualTo(Progress.State.REPLICATE);

        c.drop(m -> m instanceof AppendEntries && m.to() == 2);
        for (String s : List.of("a", "b", "c", "d", "e")) {
            leader.raft.propose(s.getBytes(StandardCharsets.UTF_8));
            c.stabilize();
        }
        assertThat(c.node(2).appliedCommands()).isEmpty();

        c.heal();
        for (int i = 0; i < 2 * Config.DEFAULT_HEARTBEAT_TICKS; i++) c.tick(1);
        assertThat(c.node(2).log()).isEqualTo(leader.log());
        assertThat(c.node(2).appliedCommands()).containsExactly("a", "b", "c", "d", "e");
    }
}
