package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static dev.ballot.raft.TestNode.entries;
import static dev.ballot.raft.TestNode.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.AppendEntriesResponse;
import dev.ballot.raft.Message.Heartbeat;
import dev.ballot.raft.Message.HeartbeatResponse;
import dev.ballot.raft.Message.RequestVote;
import dev.ballot.raft.Message.RequestVoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input: messages a correct peer would not send, or that the network mangled (duplicated,
 * reordered, misdelivered). None may corrupt a node's term, vote, log or commit index. (Messages
 * from older terms are covered in {@link TermTest}.)
 */
class BadInputTest {

    // ---------------------------------------------------------------- who is talking to whom

    /** A node at term 2 of {1, 2, 3}; {@code peer} is another member, {@code elsewhere} a third id. */
    record Receiver(String name, Supplier<TestNode> make, long peer, long elsewhere) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Receiver> receivers() {
        return Stream.of(
                new Receiver("follower that knows no leader", () ->
                        TestNode.create(config(2, 3), new HardState(2, RaftNode.NONE, 1), 1, 1, 2), 3, 1),
                new Receiver("leader", () -> {
                    TestNode n = TestNode.create(config(1, 3), new HardState(1, RaftNode.NONE, 1), 1, 1);
                    n.becomeLeader();
                    return n;
                }, 3, 2));
    }

    /** Each would move its receiver if it were meant for it: higher term, up-to-date log, good entries. */
    static Stream<Named<BiFunction<Long, Long, Message>>> messages() {
        return Stream.of(
                Named.of("RequestVote", (f, t) -> new RequestVote(f, t, 3, 10, 2, false)),
                Named.of("pre-vote", (f, t) -> new RequestVote(f, t, 3, 10, 2, true)),
                Named.of("RequestVoteResponse", (f, t) -> new RequestVoteResponse(f, t, 3, true, false)),
                Named.of("AppendEntries", (f, t) -> new AppendEntries(f, t, 3, 2, 1, entries(3, 3, 3), 4)),
                Named.of("AppendEntriesResponse", (f, t) -> AppendEntriesResponse.accepted(f, t, 3, 3)),
                Named.of("Heartbeat", (f, t) -> new Heartbeat(f, t, 3, 2, 0)),
                Named.of("HeartbeatResponse", (f, t) -> new HeartbeatResponse(f, t, 3, 0)));
    }

    static Stream<Arguments> receiversTimesMessages() {
        return receivers().flatMap(r -> messages().map(m -> Arguments.of(r, m)));
    }

    @ParameterizedTest(name = "{0} gets {1} from node 9")
    @MethodSource("receiversTimesMessages")
    void aMessageFromANodeOutsideTheClusterIsIgnored(Receiver receiver, BiFunction<Long, Long, Message> message) {
        TestNode n = receiver.make().get();
        TestNode.Snapshot before = n.snapshot();
        List<Message> sent = n.step(message.apply(9L, n.raft.id()));
        assertThat(n.snapshot()).isEqualTo(before);
        assertThat(sent).isEmpty();
    }

    @ParameterizedTest(name = "{0} gets {1} meant for another node")
    @MethodSource("receiversTimesMessages")
    void aMessageAddressedToAnotherNodeIsIgnored(Receiver receiver, BiFunction<Long, Long, Message> message) {
        TestNode n = receiver.make().get();
        TestNode.Snapshot before = n.snapshot();
        List<Message> sent = n.step(message.apply(receiver.peer(), receiver.elsewhere()));
        assertThat(n.snapshot()).isEqualTo(before);
        assertThat(sent).isEmpty();
    }

    // ---------------------------------------------------------------- AppendEntries out of range

    @Test
    void anAppendEntriesFarBeyondTheLogIsRejectedAndChangesNothing() {
        TestNode n = TestNode.create(config(2, 3), new HardState(2, 1, 1), 1, 1, 2);
        TestNode.Snapshot before = n.snapshot();
        List<Message> sent = n.step(new AppendEntries(1, 2, 2, 100, 2, entries(101, 2), 100));

        assertThat(Msgs.single(sent, AppendEntriesResponse.class, 1))
                .isEqualTo(AppendEntriesResponse.rejected(2, 1, 2, 100, 0, 4));
        assertThat(n.snapshot()).isEqualTo(new TestNode.Snapshot(2, 1, Role.FOLLOWER, 1, 1, before.log()));
    }

    /** Follower 2's log was compacted up to 10@3; it holds 11..13 of term 3 and knows 12 is committed. */
    @ParameterizedTest(name = "prev {0}@{1}")
    @CsvSource({
            "5, 2",    // before the log's first index
            "10, 3",   // the compaction point itself
            "11, 3",   // held, but below the commit index
    })
    void anAppendEntriesBelowTheCommitIndexIsAnsweredWithTheCommitIndexWithoutTouchingTheLog(long prevIndex, long prevTerm) {
        MemoryLogStorage storage = new MemoryLogStorage(10, 3);
        storage.append(entries(11, 3, 3, 3));
        TestNode n = new TestNode(config(2, 3), storage, new HardState(3, RaftNode.NONE, 12), 2);
        List<Entry> before = n.log();

        long[] terms = new long[(int) (14 - prevIndex - 1)];
        java.util.Arrays.fill(terms, 3);
        List<Message> sent = n.step(new AppendEntries(1, 2, 3, prevIndex, prevTerm, entries(prevIndex + 1, terms), 13));

        assertThat(Msgs.single(sent, AppendEntriesResponse.class, 1))
                .isEqualTo(AppendEntriesResponse.accepted(2, 1, 3, 12));
        assertThat(n.log()).isEqualTo(before);
        assertThat(n.raft.firstIndex()).isEqualTo(11);
        assertThat(n.raft.commitIndex()).isEqualTo(12);
    }

    @Test
    void committedEntriesAreNeverOverwritten() {
        // [1, 1, 2, 2] with 3 committed; a (buggy) leader claims 2 and 3 are of another term.
        TestNode n = TestNode.create(config(2, 3), new HardState(2, RaftNode.NONE, 3), 1, 1, 2, 2);
        List<Entry> before = n.log();
        List<Message> sent = n.step(new AppendEntries(1, 2, 2, 1, 1, entries(2, 2, 2), 3));
        assertThat(n.log()).isEqualTo(before);
        assertThat(n.raft.commitIndex()).isEqualTo(3);
        assertThat(Msgs.single(sent, AppendEntriesResponse.class, 1))
                .isEqualTo(AppendEntriesResponse.accepted(2, 1, 2, 3));
    }

    @Test
    void anAcknowledgementBeyondTheLeadersLogIsNotBelieved() {
        List<Message> sent = new ArrayList<>();
        TestNode leader = FlowControlTest.leader(c -> c, sent);
        TestNode.Snapshot before = leader.snapshot();

        leader.step(AppendEntriesResponse.accepted(2, 1, 2, 50));

        assertThat(leader.snapshot()).isEqualTo(before);
        ProgressView p = leader.raft.progress(2);
        assertThat(p.matchIndex()).isLessThanOrEqualTo(leader.raft.lastIndex());
        assertThat(p.nextIndex()).isLessThanOrEqualTo(leader.raft.lastIndex() + 1);
    }

    // ---------------------------------------------------------------- duplicated and reordered

    @Test
    void anOldAppendEntriesReplayedAfterANewerOneTruncatesNothing() {
        TestNode n = TestNode.create(config(2, 3), new HardState(1, RaftNode.NONE, 0));
        AppendEntries older = new AppendEntries(1, 2, 1, 0, 0, entries(1, 1), 0);
        AppendEntries newer = new AppendEntries(1, 2, 1, 1, 1, entries(2, 1, 1), 2);
        n.step(older);
        n.step(newer);

        List<Message> sent = n.step(older);

        assertThat(n.log()).isEqualTo(entries(1, 1, 1, 1));
        assertThat(n.raft.commitIndex()).isEqualTo(2);
        assertThat(Msgs.single(sent, AppendEntriesResponse.class, 1).success()).isTrue();
    }

    @Test
    void appendEntriesArrivingOutOfOrderAreRejectedThenAccepted() {
        TestNode n = TestNode.create(config(2, 3), new HardState(1, RaftNode.NONE, 0));
        AppendEntries first = new AppendEntries(1, 2, 1, 0, 0, entries(1, 1), 0);
        AppendEntries second = new AppendEntries(1, 2, 1, 1, 1, entries(2, 1), 0);

        assertThat(Msgs.single(n.step(second), AppendEntriesResponse.class, 1).success()).isFalse();
        assertThat(n.log()).isEmpty();
        assertThat(Msgs.single(n.step(first), AppendEntriesResponse.class, 1).success()).isTrue();
        assertThat(n.log()).isEqualTo(entries(1, 1));
    }

    @Test
    void aDuplicatedAcknowledgementChangesNothing() {
        TestNode leader = FlowControlTest.leaderReplicatingTo2(c -> c);
        leader.propose("x");
        AppendEntries ae = Msgs.single(leader.drain(), AppendEntries.class, 2);
        leader.step(Msgs.ack(ae));
        ProgressView once = leader.raft.progress(2);
        TestNode.Snapshot before = leader.snapshot();

        leader.step(Msgs.ack(ae));

        assertThat(leader.raft.progress(2)).isEqualTo(once);
        assertThat(leader.snapshot()).isEqualTo(before);
    }

    @Test
    void aDelayedRejectionOfAnAlreadyMatchedIndexIsIgnored() {
        TestNode leader = FlowControlTest.leaderReplicatingTo2(c -> c);
        ProgressView before = leader.raft.progress(2);
        long commit = leader.raft.commitIndex();

        leader.step(AppendEntriesResponse.rejected(2, 1, 2, 1, 0, 1));

        assertThat(leader.raft.progress(2).matchIndex()).as("matchIndex never goes back").isEqualTo(before.matchIndex());
        assertThat(leader.raft.progress(2).state()).isEqualTo(Progress.State.REPLICATE);
        assertThat(leader.raft.commitIndex()).isEqualTo(commit);
    }

    @ParameterizedTest(name = "preVote={0}")
    @ValueSource(booleans = {true, false})
    void aDuplicatedVoteIsCountedOnce(boolean preVote) {
        TestNode n = TestNode.create(config(1, 5).withPreVote(preVote), HardState.INITIAL);
        n.tickUntil(r -> r.role() != Role.FOLLOWER);
        Role campaigning = n.raft.role();
        long term = n.raft.currentTerm() + (preVote ? 1 : 0);

        n.step(new RequestVoteResponse(2, 1, term, true, preVote));
        n.step(new RequestVoteResponse(2, 1, term, true, preVote));
        assertThat(n.raft.role()).as("two votes of five, one of them twice").isEqualTo(campaigning);

        n.step(new RequestVoteResponse(3, 1, term, true, preVote));
        assertThat(n.raft.role()).as("three votes of five").isNotEqualTo(campaigning);
    }

    // ---------------------------------------------------------------- malformed

    /** Follower 2 at term 2 holds [1, 1, 2] with 1 committed; each message from its leader 1 is malformed. */
    static Stream<Named<AppendEntries>> malformed() {
        return Stream.of(
                Named.of("entries with a gap", new AppendEntries(1, 2, 2, 3, 2, List.of(entry(4, 2), entry(6, 2)), 6)),
                Named.of("first entry not right after prev", new AppendEntries(1, 2, 2, 3, 2, List.of(entry(5, 2)), 5)),
                Named.of("entries out of order", new AppendEntries(1, 2, 2, 3, 2, List.of(entry(5, 2), entry(4, 2)), 5)),
                Named.of("entry term above the message term", new AppendEntries(1, 2, 2, 3, 2, List.of(entry(4, 3)), 4)),
                Named.of("entry terms going down", new AppendEntries(1, 2, 2, 3, 2, List.of(entry(4, 2), entry(5, 1)), 5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedAppendEntriesIsIgnored(AppendEntries m) {
        TestNode n = TestNode.create(config(2, 3), new HardState(2, RaftNode.NONE, 1), 1, 1, 2);
        n.step(new Heartbeat(1, 2, 2, 1, 0));
        TestNode.Snapshot before = n.snapshot();

        List<Message> sent = n.step(m);

        assertThat(n.snapshot()).isEqualTo(before);
        assertThat(n.storage.all()).isEqualTo(entries(1, 1, 1, 2));
        assertThat(sent).noneMatch(Msgs::isYes);
    }
}
