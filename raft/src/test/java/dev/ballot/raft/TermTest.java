package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.AppendEntriesResponse;
import dev.ballot.raft.Message.Heartbeat;
import dev.ballot.raft.Message.HeartbeatResponse;
import dev.ballot.raft.Message.RequestVote;
import dev.ballot.raft.Message.RequestVoteResponse;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Terms (Raft paper §5.1, Figure 2 "Rules for Servers"): a node that sees a higher term in any
 * message adopts it and becomes a follower with no vote in the new term; a message from an older
 * term changes nothing. The two exceptions are the pre-vote's own messages (see {@link PreVoteTest})
 * and the leader lease of check-quorum (see {@link CheckQuorumTest}).
 */
class TermTest {

    /** Each fixture is node 1 of {1, 2, 3} at term 5, with log [1, 1, 4] (a leader also has its NOOP 4@5). */
    static Stream<Named<Supplier<TestNode>>> receivers() {
        return Stream.of(
                Named.of("follower with no leader", () ->
                        TestNode.create(config(1, 3), new HardState(5, 3, 0), 1, 1, 4)),
                Named.of("candidate", () -> {
                    TestNode n = TestNode.create(config(1, 3).withPreVote(false), new HardState(4, RaftNode.NONE, 0), 1, 1, 4);
                    n.tickUntil(r -> r.role() == Role.CANDIDATE);
                    return n;
                }),
                Named.of("leader (check-quorum off)", () -> {
                    TestNode n = TestNode.create(config(1, 3).withCheckQuorum(false), new HardState(4, RaftNode.NONE, 0), 1, 1, 4);
                    n.becomeLeader();
                    return n;
                }));
    }

    /** Messages from node 2 in term 7, chosen so that nothing but the term can move the receiver. */
    static Stream<Named<Message>> higherTermMessages() {
        return Stream.of(
                Named.of("RequestVote (stale log, so not granted)", new RequestVote(2, 1, 7, 1, 1, false)),
                Named.of("RequestVoteResponse", new RequestVoteResponse(2, 1, 7, false, false)),
                Named.of("rejected pre-vote response", new RequestVoteResponse(2, 1, 7, false, true)),
                Named.of("AppendEntries (empty)", new AppendEntries(2, 1, 7, 0, 0, List.of(), 0)),
                Named.of("AppendEntriesResponse", AppendEntriesResponse.rejected(2, 1, 7, 1, 0, 1)),
                Named.of("Heartbeat", new Heartbeat(2, 1, 7, 0, 0)),
                Named.of("HeartbeatResponse", new HeartbeatResponse(2, 1, 7, 0)));
    }

    static Stream<Arguments> receiversTimesHigherTermMessages() {
        return receivers().flatMap(r -> higherTermMessages().map(m -> Arguments.of(r, m)));
    }

    @ParameterizedTest(name = "{0} gets {1}")
    @MethodSource("receiversTimesHigherTermMessages")
    void aHigherTermInAnyMessageIsAdoptedAndTheNodeBecomesAFollowerWithoutAVote(Supplier<TestNode> receiver, Message m) {
        TestNode n = receiver.get();
        assertThat(n.raft.currentTerm()).isEqualTo(5);
        List<Entry> logBefore = n.log();

        n.step(m);

        assertThat(n.raft.currentTerm()).isEqualTo(7);
        assertThat(n.raft.role()).isEqualTo(Role.FOLLOWER);
        assertThat(n.raft.votedFor()).isEqualTo(RaftNode.NONE);
        assertThat(n.hardState).as("persisted").isEqualTo(new HardState(7, RaftNode.NONE, n.raft.commitIndex()));
        boolean fromLeader = m instanceof AppendEntries || m instanceof Heartbeat;
        assertThat(n.raft.leaderId()).isEqualTo(fromLeader ? 2 : RaftNode.NONE);
        assertThat(n.log()).isEqualTo(logBefore);
    }

    /** Messages from node 2 in term 3, each of which would change the receiver if it were current. */
    static Stream<Named<Message>> lowerTermMessages() {
        return Stream.of(
                Named.of("RequestVote", new RequestVote(2, 1, 3, 10, 3, false)),
                Named.of("pre-vote", new RequestVote(2, 1, 4, 10, 3, true)),
                Named.of("RequestVoteResponse", new RequestVoteResponse(2, 1, 3, true, false)),
                Named.of("pre-vote response", new RequestVoteResponse(2, 1, 4, true, true)),
                Named.of("AppendEntries", new AppendEntries(2, 1, 3, 1, 1, TestNode.entries(2, 3, 3), 3)),
                Named.of("AppendEntriesResponse", AppendEntriesResponse.accepted(2, 1, 3, 3)),
                Named.of("Heartbeat", new Heartbeat(2, 1, 3, 3, 0)),
                Named.of("HeartbeatResponse", new HeartbeatResponse(2, 1, 3, 0)));
    }

    static Stream<Arguments> receiversTimesLowerTermMessages() {
        return receivers().flatMap(r -> lowerTermMessages().map(m -> Arguments.of(r, m)));
    }

    @ParameterizedTest(name = "{0} gets {1}")
    @MethodSource("receiversTimesLowerTermMessages")
    void aMessageFromAnOlderTermChangesNothing(Supplier<TestNode> receiver, Message m) {
        TestNode n = receiver.get();
        TestNode.Snapshot before = n.snapshot();
        HardState persisted = n.hardState;

        List<Message> sent = n.step(m);

        assertThat(n.snapshot()).isEqualTo(before);
        assertThat(n.hardState).isEqualTo(persisted);
        assertThat(sent).noneMatch(Msgs::isYes);
    }

    static Stream<Arguments> receiversTimesStaleLeaderMessages() {
        return receiversTimesLowerTermMessages()
                .filter(a -> ((Named<?>) a.get()[1]).getPayload() instanceof AppendEntries
                        || ((Named<?>) a.get()[1]).getPayload() instanceof Heartbeat);
    }

    @ParameterizedTest(name = "{0} gets {1}")
    @MethodSource("receiversTimesStaleLeaderMessages")
    void aStaleLeaderIsAnsweredWithTheNewerTermSoItStepsDown(Supplier<TestNode> receiver, Message m) {
        TestNode n = receiver.get();
        List<Message> sent = n.step(m);
        assertThat(sent).as("answer to a stale leader").isNotEmpty().allSatisfy(r -> {
            assertThat(r.to()).isEqualTo(2);
            assertThat(r.term()).isEqualTo(5);
            assertThat(Msgs.isYes(r)).isFalse();
        });
    }

    static Stream<Arguments> receiversTimesStaleVoteRequests() {
        return receiversTimesLowerTermMessages()
                .filter(a -> ((Named<?>) a.get()[1]).getPayload() instanceof RequestVote);
    }

    @ParameterizedTest(name = "{0} gets {1}")
    @MethodSource("receiversTimesStaleVoteRequests")
    void aStaleCandidateIsRefusedWithTheNewerTerm(Supplier<TestNode> receiver, Message m) {
        // Figure 2, RequestVote receiver: "Reply false if term < currentTerm".
        TestNode n = receiver.get();
        List<Message> sent = n.step(m);
        assertThat(sent).containsExactly(new RequestVoteResponse(1, 2, 5, false, ((RequestVote) m).preVote()));
    }

    static Stream<Arguments> receiversTimesStaleResponses() {
        return receiversTimesLowerTermMessages()
                .filter(a -> ((Named<?>) a.get()[1]).getPayload() instanceof RequestVoteResponse
                        || ((Named<?>) a.get()[1]).getPayload() instanceof AppendEntriesResponse
                        || ((Named<?>) a.get()[1]).getPayload() instanceof HeartbeatResponse);
    }

    @ParameterizedTest(name = "{0} gets {1}")
    @MethodSource("receiversTimesStaleResponses")
    void aStaleResponseIsDroppedWithoutAnswer(Supplier<TestNode> receiver, Message m) {
        TestNode n = receiver.get();
        assertThat(n.step(m)).isEmpty();
    }
}
