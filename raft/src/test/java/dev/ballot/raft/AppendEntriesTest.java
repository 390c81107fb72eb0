package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static dev.ballot.raft.TestNode.entries;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.AppendEntriesResponse;
import dev.ballot.raft.Message.Heartbeat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AppendEntries on the follower (Raft paper §5.3, Figure 2 "AppendEntries RPC, receiver
 * implementation"): the consistency check on prevLogIndex/prevLogTerm, replacing a conflicting
 * suffix, never deleting matching entries, and commitIndex = min(leaderCommit, last new entry).
 * Here node 2 is the follower and node 1 the leader.
 */
class AppendEntriesTest {

    static TestNode follower(long term, long commit, long... log) {
        return TestNode.create(config(2, 3), new HardState(term, RaftNode.NONE, commit), log);
    }

    static AppendEntriesResponse response(List<Message> sent) {
        return Msgs.single(sent, AppendEntriesResponse.class, 1);
    }

    /** The follower holds [1, 1, 2]; the leader (term 3) sends one entry of term 3 after (prevIndex, prevTerm). */
    @ParameterizedTest(name = "prev {0}@{1} -> accepted {2}")
    @CsvSource({
            "0, 0, true",   // the empty prefix always matches
            "1, 1, true",
            "2, 1, true",
            "3, 2, true",   // the last entry
            "3, 1, false",  // right index, wrong term
            "3, 3, false",
            "2, 2, false",
            "4, 2, false",  // one past the end
            "5, 3, false",  // far past the end
    })
    void theConsistencyCheckAcceptsOnlyAMatchingPrevEntry(long prevIndex, long prevTerm, boolean accepted) {
        TestNode n = follower(3, 0, 1, 1, 2);
        List<Message> sent = n.step(new AppendEntries(1, 2, 3, prevIndex, prevTerm, entries(prevIndex + 1, 3), 0));

        AppendEntriesResponse r = response(sent);
        assertThat(r.success()).isEqualTo(accepted);
        if (accepted) {
            assertThat(r.matchIndex()).isEqualTo(prevIndex + 1);
            List<Long> expected = new java.util.ArrayList<>(List.of(1L, 1L, 2L).subList(0, (int) prevIndex));
            expected.add(3L);
            assertThat(n.logTerms()).isEqualTo(expected);
        } else {
            assertThat(r.rejectedIndex()).isEqualTo(prevIndex);
            assertThat(n.logTerms()).containsExactly(1L, 1L, 2L);
        }
    }

    @Test
    void aConflictingSuffixIsReplacedByTheLeadersEntries() {
        TestNode n = follower(2, 0, 1, 1, 2, 2);
        List<Message> sent = n.step(new AppendEntries(1, 2, 3, 2, 1, entries(3, 3), 0));
        assertThat(n.logTerms()).containsExactly(1L, 1L, 3L);
        assertThat(n.storage.all()).isEqualTo(entries(1, 1, 1, 3));
        assertThat(response(sent)).isEqualTo(AppendEntriesResponse.accepted(2, 1, 3, 3));
    }

    @Test
    void matchingEntriesAreKeptAndOnlyNewOnesAppended() {
        TestNode n = follower(2, 0, 1, 1, 2, 2);
        List<Entry> before = n.storage.all();
        List<Message> sent = n.step(new AppendEntries(1, 2, 3, 2, 1, entries(3, 2, 2, 3), 0));
        assertThat(n.logTerms()).containsExactly(1L, 1L, 2L, 2L, 3L);
        assertThat(n.storage.all().subList(0, 4)).isEqualTo(before);
        assertThat(response(sent).matchIndex()).isEqualTo(5);
    }

    @Test
    void aShorterAppendEntriesThatMatchesDoesNotTruncateTheLog() {
        // E.g. an old AppendEntries delivered late: everything it carries is already there.
        TestNode n = follower(2, 0, 1, 1, 2, 2);
        List<Message> sent = n.step(new AppendEntries(1, 2, 2, 1, 1, entries(2, 1), 0));
        assertThat(n.logTerms()).containsExactly(1L, 1L, 2L, 2L);
        assertThat(response(sent)).as("vouches only for what the message covers")
                .isEqualTo(AppendEntriesResponse.accepted(2, 1, 2, 2));
    }

    /** The follower holds [1, 1, 1, 1]; the leader (term 1) sends {count} entries after prev, with leaderCommit. */
    @ParameterizedTest(name = "prev {0}, {1} entries, leaderCommit {2} -> commit {3}")
    @CsvSource({
            "1, 1, 4, 2",   // entries 3 and 4 are not known to match the leader's: commit only to 2
            "2, 0, 4, 2",   // same with no entries: the last entry the message vouches for is prev
            "4, 1, 3, 3",   // the leader's commit is the limit
            "4, 2, 9, 6",
            "4, 0, 4, 4",
            "0, 0, 4, 0",
    })
    void commitIndexIsTheLeadersCommitCappedAtTheLastNewEntry(long prev, int count, long leaderCommit, long commit) {
        TestNode n = follower(1, 0, 1, 1, 1, 1);
        long[] terms = new long[count];
        java.util.Arrays.fill(terms, 1);
        n.step(new AppendEntries(1, 2, 1, prev, prev == 0 ? 0 : 1, entries(prev + 1, terms), leaderCommit));
        assertThat(n.raft.commitIndex()).isEqualTo(commit);
    }

    @Test
    void commitIndexNeverGoesBack() {
        TestNode n = follower(1, 3, 1, 1, 1, 1);
        n.step(new AppendEntries(1, 2, 1, 4, 1, List.of(), 1));
        assertThat(n.raft.commitIndex()).isEqualTo(3);
    }

    @Test
    void aHeartbeatAdvancesTheCommitIndex() {
        TestNode n = follower(1, 0, 1, 1, 1);
        List<Message> sent = n.step(new Heartbeat(1, 2, 1, 2, 0));
        assertThat(n.raft.commitIndex()).isEqualTo(2);
        assertThat(Msgs.ofType(sent, Message.HeartbeatResponse.class))
                .containsExactly(new Message.HeartbeatResponse(2, 1, 1, 0));
    }

    @Test
    void aCandidateThatHearsFromALeaderOfItsOwnTermFollowsIt() {
        // Another node won this term; the candidate's vote (for itself) stays as it was.
        TestNode n = TestNode.create(config(2, 3).withPreVote(false), new HardState(4, RaftNode.NONE, 0), 1);
        n.tickUntil(r -> r.role() == Role.CANDIDATE);
        List<Message> sent = n.step(new AppendEntries(1, 2, 5, 1, 1, entries(2, 5), 0));
        assertThat(n.raft.role()).isEqualTo(Role.FOLLOWER);
        assertThat(n.raft.currentTerm()).isEqualTo(5);
        assertThat(n.raft.votedFor()).isEqualTo(2);
        assertThat(n.raft.leaderId()).isEqualTo(1);
        assertThat(response(sent).success()).isTrue();
    }

    @Test
    void aPreCandidateThatHearsFromALeaderOfItsTermFollowsIt() {
        TestNode n = TestNode.create(config(2, 3), new HardState(4, RaftNode.NONE, 0), 1);
        n.tickUntil(r -> r.role() == Role.PRE_CANDIDATE);
        n.step(new Heartbeat(1, 2, 4, 0, 0));
        assertThat(n.raft.role()).isEqualTo(Role.FOLLOWER);
        assertThat(n.raft.currentTerm()).isEqualTo(4);
        assertThat(n.raft.leaderId()).isEqualTo(1);
    }

    @Test
    void afterCompactionTheConsistencyCheckStillWorksAtTheCompactionPoint() {
        // The log was compacted up to 10@3 (all committed); the term of index 10 is still known.
        MemoryLogStorage storage = new MemoryLogStorage(10, 3);
        TestNode n = new TestNode(config(2, 3), storage, new HardState(3, RaftNode.NONE, 10), 2);

        assertThat(response(n.step(new AppendEntries(1, 2, 4, 10, 2, entries(11, 4), 11))).success())
                .as("wrong term at the compaction point").isFalse();
        List<Message> sent = n.step(new AppendEntries(1, 2, 4, 10, 3, entries(11, 4), 11));
        assertThat(response(sent)).isEqualTo(AppendEntriesResponse.accepted(2, 1, 4, 11));
        assertThat(n.storage.all()).isEqualTo(entries(11, 4));
        assertThat(n.raft.commitIndex()).isEqualTo(11);
        assertThat(n.applied).isEqualTo(entries(11, 4));
    }
}
