package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.AppendEntriesResponse;
import dev.ballot.raft.Message.HeartbeatResponse;
import dev.ballot.raft.Message.InstallSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The snapshot rules (paper §7): a leader whose follower needs compacted entries asks the runtime
 * to send it a snapshot and waits; the follower installs a snapshot only if it goes beyond what
 * it has; the leader resumes replication once the follower's log continues its own.
 *
 * <p>Leader tests: node 1 leads {1, 2, 3} in term 2 with log [1@1, 2@2 NOOP, 3..5@2], all
 * committed with node 3's help; its storage is then compacted up to index 4, and node 2, which
 * never answered, turns out to have an empty log.
 */
class SnapshotTest {

    static final long TERM = 2;

    /** The leader described above, with node 2 asked for its snapshot; {@code sent} gets what it sent last. */
    static TestNode leaderSendingSnapshotTo2(List<Message> sent) {
        List<Message> first = new ArrayList<>();
        TestNode n = FlowControlTest.leader(c -> c, first);
        FlowControlTest.ackUntilQuiet(n, first, 3);
        List<Message> more = new ArrayList<>();
        for (String data : List.of("a", "b", "c")) more.addAll(FlowControlTest.proposeAndDrain(n, data));
        FlowControlTest.ackUntilQuiet(n, more, 3);
        assertThat(n.raft.commitIndex()).isEqualTo(5);
        n.storage.compact(4);
        AppendEntries probe = Msgs.single(first, AppendEntries.class, 2);
        // Node 2 has nothing: its rejection points at index 1, which was compacted away.
        sent.addAll(n.step(AppendEntriesResponse.rejected(2, 1, TERM, probe.prevLogIndex(), 0, 1)));
        return n;
    }

    @Test
    void aFollowerThatNeedsCompactedEntriesIsSentASnapshotAndNothingElse() {
        List<Message> sent = new ArrayList<>();
        TestNode n = leaderSendingSnapshotTo2(sent);
        InstallSnapshot ask = Msgs.single(sent, InstallSnapshot.class, 2);
        assertThat(ask).isEqualTo(new InstallSnapshot(1, 2, TERM, 4, TERM));
        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.SNAPSHOT);
        assertThat(Msgs.ofType(sent, AppendEntries.class, 2)).isEmpty();

        List<Message> later = new ArrayList<>(FlowControlTest.proposeAndDrain(n, "d"));
        later.addAll(n.tick(Config.DEFAULT_HEARTBEAT_TICKS));
        later.addAll(n.step(new HeartbeatResponse(2, 1, TERM, 0)));
        assertThat(Msgs.ofType(later, AppendEntries.class, 2)).as("paused while the snapshot is on its way").isEmpty();
        assertThat(Msgs.ofType(later, InstallSnapshot.class, 2)).as("asked once").isEmpty();
        assertThat(Msgs.appendsWithEntries(later, 3)).as("other followers are served as before").isNotEmpty();
    }

    @Test
    void theFollowersAnswerAfterInstallingResumesReplicationRightAfterTheSnapshot() {
        TestNode n = leaderSendingSnapshotTo2(new ArrayList<>());
        List<Message> sent = n.step(AppendEntriesResponse.accepted(2, 1, TERM, 4));
        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.REPLICATE);
        assertThat(n.raft.progress(2).matchIndex()).isEqualTo(4);
        AppendEntries next = Msgs.single(sent, AppendEntries.class, 2);
        assertThat(next.prevLogIndex()).isEqualTo(4);
        assertThat(next.entries()).extracting(Entry::index).containsExactly(5L);
    }

    @Test
    void anAnswerStillBelowTheLogsStartKeepsWaitingForTheSnapshot() {
        TestNode n = leaderSendingSnapshotTo2(new ArrayList<>());
        List<Message> sent = n.step(AppendEntriesResponse.accepted(2, 1, TERM, 2)); // e.g. a late answer
        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.SNAPSHOT);
        assertThat(Msgs.ofType(sent, AppendEntries.class, 2)).isEmpty();
    }

    @Test
    void aRejectionWhileTheSnapshotIsOnItsWayIsStaleAndIgnored() {
        TestNode n = leaderSendingSnapshotTo2(new ArrayList<>());
        List<Message> sent = n.step(AppendEntriesResponse.rejected(2, 1, TERM, 1, 0, 1));
        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.SNAPSHOT);
        assertThat(sent).isEmpty();
    }

    @Test
    void aDeliveredSnapshotIsProbedRightAfterItsIndex() {
        TestNode n = leaderSendingSnapshotTo2(new ArrayList<>());
        n.raft.reportSnapshot(2, true);
        List<Message> sent = n.drain();
        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.PROBE);
        assertThat(Msgs.single(sent, AppendEntries.class, 2).prevLogIndex()).isEqualTo(4);
    }

    @Test
    void anAbandonedTransferIsAskedForAgainAtTheNextHeartbeatAnswer() {
        TestNode n = leaderSendingSnapshotTo2(new ArrayList<>());
        n.raft.reportSnapshot(2, false);
        assertThat(n.drain()).as("no busy retry").isEmpty();
        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.PROBE);
        List<Message> sent = n.step(new HeartbeatResponse(2, 1, TERM, 0));
        assertThat(Msgs.single(sent, InstallSnapshot.class, 2).lastIncludedIndex()).isEqualTo(4);
        assertThat(n.raft.progress(2).state()).isEqualTo(Progress.State.SNAPSHOT);
    }

    @Test
    void aReportForAFollowerNotWaitingForASnapshotChangesNothing() {
        TestNode n = leaderSendingSnapshotTo2(new ArrayList<>());
        n.raft.reportSnapshot(3, false);
        assertThat(n.drain()).isEmpty();
        assertThat(n.raft.progress(3).state()).isEqualTo(Progress.State.REPLICATE);
    }

    // ---------------------------------------------------------------- the follower's side

    /** Node 2 of {1, 2, 3} in term 1 with log [1@1, 2@1, 3@1], commit 1 (applied once drained). */
    static TestNode follower() {
        TestNode f = TestNode.create(config(2, 3), new HardState(1, RaftNode.NONE, 1), 1, 1, 1);
        f.drain();
        return f;
    }

    @Test
    void aSnapshotBeyondTheLogReplacesItAndIsAcknowledgedOnceInstalled() {
        TestNode f = follower();
        List<Message> sent = f.step(new InstallSnapshot(1, 2, TERM, 5, TERM));
        assertThat(f.installed).containsExactly(new SnapshotMetadata(5, TERM));
        assertThat(f.raft.currentTerm()).isEqualTo(TERM);
        assertThat(f.raft.leaderId()).isEqualTo(1);
        assertThat(f.raft.firstIndex()).isEqualTo(6);
        assertThat(f.raft.lastIndex()).isEqualTo(5);
        assertThat(f.raft.term(5)).isEqualTo(TERM);
        assertThat(f.raft.commitIndex()).isEqualTo(5);
        assertThat(f.raft.appliedIndex()).isEqualTo(5);
        assertThat(f.hardState.commitIndex()).isEqualTo(5);
        // TestNode.send checked that the storage held index 5 before this acknowledgement left.
        assertThat(Msgs.single(sent, AppendEntriesResponse.class, 1)).isEqualTo(AppendEntriesResponse.accepted(2, 1, TERM, 5));

        f.step(new AppendEntries(1, 2, TERM, 5, TERM, TestNode.entries(6, TERM), 6));
        assertThat(f.applied).as("entries after the snapshot are applied, none it covers")
                .extracting(Entry::index).containsExactly(1L, 6L);
    }

    @Test
    void aSnapshotWhoseLastEntryTheLogHoldsOnlyMovesTheCommitIndex() {
        TestNode f = TestNode.create(config(2, 3), new HardState(2, RaftNode.NONE, 0), 1, 1, 2);
        List<Message> sent = f.step(new InstallSnapshot(1, 2, TERM, 2, 1));
        assertThat(f.installed).isEmpty();
        assertThat(f.logTerms()).as("the log after it is kept").containsExactly(1L, 1L, 2L);
        assertThat(f.raft.commitIndex()).isEqualTo(2);
        assertThat(f.applied).extracting(Entry::index).containsExactly(1L, 2L);
        assertThat(Msgs.single(sent, AppendEntriesResponse.class, 1)).isEqualTo(AppendEntriesResponse.accepted(2, 1, TERM, 2));
    }

    @Test
    void aSnapshotThatCoversNoMoreThanTheCommitIndexIsStale() {
        TestNode f = TestNode.create(config(2, 3), new HardState(2, RaftNode.NONE, 3), 1, 1, 2);
        f.drain();
        List<Entry> log = f.log();
        List<Message> sent = f.step(new InstallSnapshot(1, 2, TERM, 2, 1));
        assertThat(f.installed).isEmpty();
        assertThat(f.log()).isEqualTo(log);
        assertThat(f.raft.commitIndex()).isEqualTo(3);
        assertThat(f.raft.leaderId()).as("it still comes from the leader").isEqualTo(1);
        assertThat(Msgs.single(sent, AppendEntriesResponse.class, 1)).isEqualTo(AppendEntriesResponse.accepted(2, 1, TERM, 3));
    }

    @Test
    void aSnapshotOfAnOlderTermIsAnsweredWithOurTermAndChangesNothing() {
        TestNode f = TestNode.create(config(2, 3), new HardState(3, RaftNode.NONE, 0), 1);
        TestNode.Snapshot before = f.snapshot();
        List<Message> sent = f.step(new InstallSnapshot(1, 2, TERM, 5, TERM));
        assertThat(f.installed).isEmpty();
        assertThat(f.snapshot()).isEqualTo(before);
        AppendEntriesResponse r = Msgs.single(sent, AppendEntriesResponse.class, 1);
        assertThat(r.success()).isFalse();
        assertThat(r.term()).isEqualTo(3);
    }

    @Test
    void aCandidateThatGetsTheTermsSnapshotFollowsItsSender() {
        TestNode c = TestNode.create(config(2, 3).withPreVote(false), new HardState(1, RaftNode.NONE, 0), 1);
        c.tickUntil(r -> r.role() == Role.CANDIDATE);
        long term = c.raft.currentTerm();
        c.step(new InstallSnapshot(3, 2, term, 4, 1));
        assertThat(c.raft.role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.raft.leaderId()).isEqualTo(3);
        assertThat(c.installed).containsExactly(new SnapshotMetadata(4, 1));
    }

    @Test
    void aLeaderDropsASnapshotOfItsOwnTerm() {
        List<Message> first = new ArrayList<>();
        TestNode n = FlowControlTest.leader(c -> c, first);
        long dropped = n.raft.droppedMessages();
        assertThat(n.step(new InstallSnapshot(3, 1, TERM, 9, TERM))).isEmpty();
        assertThat(n.raft.droppedMessages()).isEqualTo(dropped + 1);
        assertThat(n.raft.role()).isEqualTo(Role.LEADER);
    }

    @Test
    void aMalformedSnapshotPositionIsDropped() {
        TestNode f = follower();
        TestNode.Snapshot before = f.snapshot();
        assertThat(f.step(new InstallSnapshot(1, 2, TERM, 5, TERM + 1))).as("a term from the future").isEmpty();
        assertThat(f.step(new InstallSnapshot(1, 2, TERM, 0, 1))).as("index 0").isEmpty();
        assertThat(f.snapshot()).isEqualTo(before);
        assertThat(f.raft.droppedMessages()).isEqualTo(2);
    }

    @Test
    void withReadiesInFlightTheSnapshotIsInstalledAfterTheOlderOnesAndNothingItCoversIsApplied() {
        MemoryLogStorage storage = TestNode.storage(1);
        RaftNode f = new RaftNode(config(2, 3), storage, new HardState(TERM, RaftNode.NONE, 0), new SplittableRandom(2));
        f.step(new AppendEntries(1, 2, TERM, 1, 1, TestNode.entries(2, TERM, TERM), 1));
        Ready older = f.ready();
        assertThat(older.entries()).hasSize(2);
        f.step(new InstallSnapshot(1, 2, TERM, 10, TERM));
        Ready install = f.ready();
        assertThat(install.snapshot()).isEqualTo(new SnapshotMetadata(10, TERM));
        assertThat(install.committedEntries()).isEmpty();
        // Persisted in order: the older Ready's entries, then the snapshot replaces the log.
        storage.append(older.entries());
        storage.restore(10, TERM);
        f.advance(older);
        f.advance(install);
        assertThat(f.hasReady()).isFalse();
        assertThat(f.firstIndex()).isEqualTo(11);
        assertThat(f.lastIndex()).isEqualTo(10);
        assertThat(f.commitIndex()).isEqualTo(10);
        assertThat(f.appliedIndex()).isEqualTo(10);
    }

    // ---------------------------------------------------------------- restart

    @Test
    void aNodeRestoredFromASnapshotAtBootAppliesOnlyWhatFollowsIt() {
        TestNode n = new TestNode(config(2, 3), TestNode.storage(1, 1, 1, 1, 1), new HardState(1, RaftNode.NONE, 5), 3, 2);
        assertThat(n.raft.appliedIndex()).isEqualTo(3);
        n.drain();
        assertThat(n.applied).extracting(Entry::index).containsExactly(4L, 5L);
    }

    @Test
    void aSnapshotAtBootBeyondTheLogIsRefused() {
        assertThatThrownBy(() -> new RaftNode(config(2, 3), TestNode.storage(1, 1), new HardState(1, RaftNode.NONE, 0), 5,
                new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the log ends at 2");
    }
}
