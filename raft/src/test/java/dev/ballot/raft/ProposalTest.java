package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.Heartbeat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proposals: only a leader appends a client command; anyone else answers NotLeader with the leader
 * it knows, so the client can retry there. A leader sends everything proposed since the last Ready
 * to each follower in one AppendEntries.
 */
class ProposalTest {

    static Stream<Arguments> nonLeaders() {
        return Stream.of(
                Arguments.of("follower that knows leader 2", 2L, (Supplier<TestNode>) () -> {
                    TestNode n = TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 0), 1);
                    n.step(new Heartbeat(2, 1, 1, 0, 0));
                    return n;
                }),
                Arguments.of("follower that knows no leader", RaftNode.NONE, (Supplier<TestNode>) () ->
                        TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 0), 1)),
                Arguments.of("pre-candidate", RaftNode.NONE, (Supplier<TestNode>) () -> {
                    TestNode n = TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 0), 1);
                    n.tickUntil(r -> r.role() == Role.PRE_CANDIDATE);
                    return n;
                }),
                Arguments.of("candidate", RaftNode.NONE, (Supplier<TestNode>) () -> {
                    TestNode n = TestNode.create(config(1, 3).withPreVote(false), new HardState(1, RaftNode.NONE, 0), 1);
                    n.tickUntil(r -> r.role() == Role.CANDIDATE);
                    return n;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonLeaders")
    void aNonLeaderAnswersNotLeaderWithTheLeaderItKnowsAndAppendsNothing(String name, long leader, Supplier<TestNode> node) {
        TestNode n = node.get();
        List<Entry> before = n.log();

        ProposeResult r = n.raft.propose("x".getBytes(StandardCharsets.UTF_8));

        assertThat(r).isEqualTo(new ProposeResult.NotLeader(leader));
        assertThat(n.log()).isEqualTo(before);
        n.drain();
        assertThat(n.storage.all()).isEqualTo(before);
    }

    @Test
    void theLeaderAppendsAProposalAtTheEndOfItsLogInItsTerm() {
        TestNode n = TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 0), 1);
        n.becomeLeader();
        ProposeResult.Accepted a = n.propose("x");
        ProposeResult.Accepted b = n.propose("y");
        assertThat(a).isEqualTo(new ProposeResult.Accepted(3, 2));
        assertThat(b).isEqualTo(new ProposeResult.Accepted(4, 2));
        assertThat(n.raft.entries(3, 5)).containsExactly(
                Entry.command(3, 2, "x".getBytes(StandardCharsets.UTF_8)),
                Entry.command(4, 2, "y".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void proposalsMadeBeforeOneReadyGoToEachFollowerInOneAppendEntries() {
        List<Message> sent = new ArrayList<>();
        TestNode n = FlowControlTest.leader(c -> c, sent);
        FlowControlTest.ackUntilQuiet(n, sent, 2);
        FlowControlTest.ackUntilQuiet(n, sent, 3);

        for (String s : List.of("a", "b", "c")) n.raft.propose(s.getBytes(StandardCharsets.UTF_8));
        List<Message> out = n.drain();

        for (long peer : List.of(2L, 3L)) {
            AppendEntries ae = Msgs.single(out, AppendEntries.class, peer);
            assertThat(ae.entries()).extracting(e -> new String(e.data(), StandardCharsets.UTF_8))
                    .containsExactly("a", "b", "c");
        }
    }
}
