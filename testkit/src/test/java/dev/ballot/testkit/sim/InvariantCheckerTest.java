package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;
import dev.ballot.raft.ReadState;
import dev.ballot.raft.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each invariant, broken by hand: the checker must notice, and must not cry wolf on legal states. */
class InvariantCheckerTest {

    private final FakeNode a = new FakeNode(1);
    private final FakeNode b = new FakeNode(2);
    private final FakeNode c = new FakeNode(3);
    private final InvariantChecker checker = new InvariantChecker(List.of(a, b, c));

    @Test
    void electionSafety() {
        leader(a, 2);
        checker.afterEvent(a);
        leader(b, 3);
        checker.afterEvent(b); // another term: fine
        a.role = Role.FOLLOWER;
        checker.afterEvent(a);
        leader(c, 2);
        assertViolation(() -> checker.afterEvent(c), "Election Safety");
    }

    @Test
    void electionSafetyRemembersLeadersOfPastTerms() {
        leader(a, 1);
        checker.afterEvent(a);
        a.up = false; // the leader of term 1 crashed long ago
        checker.onCrash(a);
        leader(b, 1);
        assertViolation(() -> checker.afterEvent(b), "Election Safety");
    }

    @Test
    void leaderAppendOnly() {
        a.append(1, 1, 2);
        leader(a, 2);
        checker.afterEvent(a);
        a.append(2);
        checker.afterEvent(a); // growing is fine
        a.log.remove(a.log.size() - 1);
        assertViolation(() -> checker.afterEvent(a), "Leader Append-Only");
    }

    @Test
    void leaderAppendOnlyOnDisk() {
        a.append(1, 1);
        leader(a, 2);
        assertViolation(() -> checker.onPersisted(a, List.of(Entry.command(2, 2, new byte[0])), 2, Role.LEADER, 2),
                "Leader Append-Only");
        assertViolation(() -> checker.onPersisted(a, List.of(Entry.command(3, 1, new byte[0])), 2, Role.LEADER, 2),
                "Leader Append-Only");
        a.store.append(List.of(Entry.command(3, 2, new byte[0])));
        assertThatCode(() -> checker.onPersisted(a, List.of(Entry.command(3, 2, new byte[0])), 2, Role.LEADER, 2))
                .doesNotThrowAnyException();
    }

    @Test
    void logMatching() {
        a.append(1, 1, 2);
        checker.onPersisted(a, a.store.log().all(), 0, Role.FOLLOWER, 2);
        b.append(1, 1, 2);
        checker.onPersisted(b, b.store.log().all(), 0, Role.FOLLOWER, 2); // identical logs: fine
        // Same entry 3@2 at the end, but a different entry at index 2: the logs do not match.
        c.append(1);
        c.store.append(List.of(Entry.command(2, 1, "other".getBytes()), Entry.command(3, 2, "e3@2".getBytes())));
        assertViolation(() -> checker.onPersisted(c, c.store.log().all(), 0, Role.FOLLOWER, 2), "Log Matching");
    }

    @Test
    void leaderCompletenessAtElection() {
        a.append(1, 1, 1);
        a.term = 1;
        a.commit = 3;
        checker.afterEvent(a); // index 1..3 committed in term 1
        b.append(1, 1);
        leader(b, 2);
        assertViolation(() -> checker.afterEvent(b), "Leader Completeness");
    }

    @Test
    void leaderCompletenessForSittingLeaders() {
        b.append(1, 1);
        leader(b, 2);
        checker.afterEvent(b);
        a.append(1, 1, 1);
        a.term = 1;
        a.commit = 3; // committed in term 1, but the leader of term 2 lacks index 3
        assertViolation(() -> checker.afterEvent(a), "Leader Completeness");
    }

    @Test
    void aStaleLeaderElectedLateIsNotBlamedForLaterCommits() {
        // Index 3 was committed in term 3; a leader of term 2 that shows up late need not have it.
        a.append(1, 1, 3);
        a.term = 3;
        a.commit = 3;
        checker.afterEvent(a);
        b.append(1, 1);
        leader(b, 2);
        assertThatCode(() -> checker.afterEvent(b)).doesNotThrowAnyException();
    }

    @Test
    void stateMachineSafetyOnCommit() {
        a.append(1, 1);
        a.term = 1;
        a.commit = 2;
        checker.afterEvent(a);
        b.append(1, 2);
        b.term = 2;
        b.commit = 2;
        assertViolation(() -> checker.afterEvent(b), "State Machine Safety");
    }

    @Test
    void stateMachineSafetyOnApply() {
        a.append(1);
        a.commit = 1;
        checker.onProposed(a.entry(1).data());
        checker.onApplied(a, a.entry(1));
        b.store.append(List.of(Entry.command(1, 1, "different".getBytes())));
        b.log.add(1L);
        b.commit = 1;
        assertViolation(() -> checker.onApplied(b, Entry.command(1, 1, "different".getBytes())), "State Machine Safety");
    }

    @Test
    void aSnapshotMustHoldExactlyTheCommittedPrefix() {
        a.append(1, 1, 2);
        a.term = 2;
        a.commit = 3;
        checker.afterEvent(a);
        checker.onProposed(a.entry(1).data());
        checker.onApplied(a, a.entry(1));
        assertThatCode(() -> checker.onSnapshotInstalled(b, List.of(a.entry(1), a.entry(2), a.entry(3))))
                .doesNotThrowAnyException();
        assertViolation(() -> checker.onSnapshotInstalled(b, List.of(Entry.command(1, 1, "other".getBytes()))),
                "State Machine Safety (snapshot)");
        assertViolation(() -> checker.onSnapshotInstalled(b, List.of(a.entry(1), Entry.command(2, 2, new byte[0]))),
                "State Machine Safety (snapshot)");
        FakeNode d = new FakeNode(4);
        d.append(1, 1, 2, 2);
        assertViolation(() -> checker.onSnapshotInstalled(b, List.of(d.entry(1), d.entry(2), d.entry(3), d.entry(4))),
                "only 3 entries were ever committed");
        b.stateMachine = 3;
        assertViolation(() -> checker.onSnapshotInstalled(b, List.of(a.entry(1), a.entry(2))), "over a state machine at 3");
    }

    @Test
    void aCommandIsAppliedAtMostAsOftenAsItWasProposed() {
        a.append(1, 1);
        a.commit = 2;
        checker.onProposed("x".getBytes());
        a.store.append(List.of(Entry.command(1, 1, "x".getBytes()), Entry.command(2, 1, "x".getBytes())));
        checker.onApplied(a, Entry.command(1, 1, "x".getBytes()));
        a.stateMachine = 1;
        assertViolation(() -> checker.onApplied(a, Entry.command(2, 1, "x".getBytes())), "exactly once");
    }

    @Test
    void termNeverDecreases() {
        a.term = 3;
        checker.afterEvent(a);
        a.term = 2;
        assertViolation(() -> checker.afterEvent(a), "Term monotonicity");
    }

    @Test
    void termNeverBelowTheDurableTermAfterRestart() {
        a.store.saveHardState(new HardState(4, 0, 0));
        a.term = 3;
        assertViolation(() -> checker.onBoot(a), "Term monotonicity");
    }

    @Test
    void commitNeverDecreasesWhileUp() {
        a.append(1, 1);
        a.commit = 2;
        checker.afterEvent(a);
        a.commit = 1;
        assertViolation(() -> checker.afterEvent(a), "Commit monotonicity");
    }

    @Test
    void appliedIsAPrefixOfCommitted() {
        a.append(1, 1);
        a.commit = 2;
        assertViolation(() -> checker.onApplied(a, a.entry(2)), "Applied is a prefix");
        a.commit = 0;
        assertViolation(() -> checker.onApplied(a, a.entry(1)), "Applied beyond commit");
    }

    @Test
    void applyOnlyWhatIsDurable() {
        a.log.add(1L); // in the engine's log, not on disk
        a.commit = 1;
        assertViolation(() -> checker.onApplied(a, a.entry(1)), "Apply before persist");
    }

    @Test
    void messagesOnlyPromiseWhatIsDurable() {
        a.store.saveHardState(new HardState(2, 0, 0));
        assertViolation(() -> checker.onSend(a, new Message.RequestVoteResponse(1, 2, 2, true, false)), "Persist before send");
        assertViolation(() -> checker.onSend(a, new Message.RequestVote(1, 2, 2, 0, 0, false)), "Persist before send");
        assertViolation(() -> checker.onSend(a, new Message.HeartbeatResponse(1, 2, 3, 0)), "Persist before send");
        assertViolation(() -> checker.onSend(a, Message.AppendEntriesResponse.accepted(1, 2, 2, 1)), "Persist before send");
        // Pre-votes promise nothing; a message of an older term is stale and harmless.
        assertThatCode(() -> checker.onSend(a, new Message.RequestVote(1, 2, 3, 0, 0, true))).doesNotThrowAnyException();
        assertThatCode(() -> checker.onSend(a, new Message.RequestVoteResponse(1, 2, 1, true, false))).doesNotThrowAnyException();
        a.store.saveHardState(new HardState(2, 2, 0));
        assertThatCode(() -> checker.onSend(a, new Message.RequestVoteResponse(1, 2, 2, true, false))).doesNotThrowAnyException();
    }

    @Test
    void engineAppliedIndexMustMatchTheStateMachine() {
        a.applied = 1;
        assertViolation(() -> checker.afterAdvance(a, true), "Applied index");
    }

    @Test
    void aReadMustSeeEverythingCommittedWhenItWasAskedFor() {
        a.append(1, 1, 1);
        a.term = 1;
        a.commit = 3;
        checker.afterEvent(a); // a committed 1..3
        b.append(1, 1);
        b.term = 2;
        b.commit = 2;
        checker.afterEvent(b);
        checker.onReadRequested(b, 7);
        checker.onReadRequested(a, 8);
        assertViolation(() -> checker.onReadReleased(b, new ReadState(7, 2)), "Linearizable read");
        assertThatCode(() -> checker.onReadReleased(a, new ReadState(8, 3))).doesNotThrowAnyException();
        assertThat(checker.readsReleased()).as("the stale one is not counted").isEqualTo(1);
    }

    @Test
    void aReadIsReleasedOnceByTheNodeThatAcceptedIt() {
        a.append(1, 1);
        leader(a, 1);
        a.commit = 2;
        checker.afterEvent(a);
        checker.onReadRequested(a, 1);
        assertViolation(() -> checker.onReadReleased(b, new ReadState(1, 2)), "Linearizable read");
        checker.onReadRequested(a, 2);
        checker.onReadReleased(a, new ReadState(2, 2));
        assertViolation(() -> checker.onReadReleased(a, new ReadState(2, 2)), "Linearizable read");
        checker.onReadRequested(a, 3);
        assertViolation(() -> checker.onReadReleased(a, new ReadState(3, 5)), "Linearizable read");
        checker.onReadRequested(a, 4);
        a.up = false;
        checker.onCrash(a);
        a.up = true;
        assertViolation(() -> checker.onReadReleased(a, new ReadState(4, 2)), "Linearizable read");
    }

    private static void leader(FakeNode n, long term) {
        n.role = Role.LEADER;
        n.term = term;
    }

    private static void assertViolation(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String invariant) {
        assertThatThrownBy(call).isInstanceOf(InvariantViolation.class).hasMessageContaining(invariant);
    }
}
