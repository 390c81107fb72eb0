package dev.ballot.testkit.sim.runtime;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule of {@link PersistBeforeSend}: a message that keeps it passes, one that breaks it is reported. */
class PersistBeforeSendTest {

    private final List<RuntimeViolation> reported = new ArrayList<>();
    private final PersistBeforeSend checks = new PersistBeforeSend(reported::add);

    /** Node 2's disk: term 3, voted for node 1, entries 1..2 of term 1 and 3 of term 3. */
    private static DurableState disk() {
        DurableState d = DurableState.empty();
        d.synced(List.of(entry(1, 1), entry(2, 1), entry(3, 3)), new HardState(3, 1, 2));
        return d;
    }

    private static Entry entry(long index, long term) {
        return Entry.command(index, term, new byte[] {(byte) index});
    }

    @Test
    void aTermBeyondTheDurableOneIsReportedExceptInAPreVote() {
        checks.check(2, new Message.RequestVote(2, 1, 4, 3, 3, true), disk());
        assertThat(reported).isEmpty();
        checks.check(2, new Message.HeartbeatResponse(2, 1, 4, 0), disk());
        assertThat(reported).singleElement().satisfies(v -> assertThat(v.getMessage()).contains("term is not durable"));
    }

    @Test
    void aGrantedVoteMustBeTheDurableOne() {
        checks.check(2, new Message.RequestVoteResponse(2, 1, 3, true, false), disk());
        checks.check(2, new Message.RequestVoteResponse(2, 5, 3, false, false), disk()); // a refusal promises nothing
        assertThat(reported).isEmpty();
        checks.check(2, new Message.RequestVoteResponse(2, 5, 3, true, false), disk());
        assertThat(reported).singleElement().satisfies(v -> assertThat(v.getMessage()).contains("vote it grants"));
    }

    @Test
    void aCandidateCampaignsOnlyWithItsOwnVoteDurable() {
        checks.check(2, new Message.RequestVote(2, 1, 3, 3, 3, false), disk()); // its vote went to node 1
        assertThat(reported).singleElement().satisfies(v -> assertThat(v.getMessage()).contains("vote for itself"));
    }

    @Test
    void anAcknowledgementCoversOnlyDurableEntriesOfTheLeadersTerms() {
        // The leader of term 3 sent entries 3..4 of term 3.
        checks.check(1, new Message.AppendEntries(1, 2, 3, 2, 1, List.of(entry(3, 3), entry(4, 3)), 0), leaderDisk());
        checks.check(2, Message.AppendEntriesResponse.accepted(2, 1, 3, 3), disk());
        assertThat(reported).isEmpty();
        checks.check(2, Message.AppendEntriesResponse.accepted(2, 1, 3, 4), disk()); // entry 4 not yet synced
        assertThat(reported).singleElement().satisfies(v -> assertThat(v.getMessage()).contains("durable log ends at 3"));
    }

    @Test
    void anAcknowledgedIndexWhoseDurableTermDiffersIsReported() {
        // Node 2's disk holds entry 3 of term 2 from an old leader; the leader of term 3 replaces it with
        // its own entry 3 of term 3, and node 2 acknowledges that before syncing it.
        DurableState stale = DurableState.empty();
        stale.synced(List.of(entry(1, 1), entry(2, 1), entry(3, 2)), new HardState(3, 1, 2));
        checks.check(1, new Message.AppendEntries(1, 2, 3, 2, 1, List.of(entry(3, 3)), 0), leaderDisk());
        checks.check(2, Message.AppendEntriesResponse.accepted(2, 1, 3, 3), stale);
        assertThat(reported).singleElement().satisfies(v -> assertThat(v.getMessage())
                .contains("durable entry 3 has term 2, the leader's has term 3"));
    }

    @Test
    void aLeaderMaySendItsOwnNewEntriesBeforeItsFsyncButNoOthers() {
        DurableState d = leaderDisk();
        checks.check(1, new Message.AppendEntries(1, 2, 3, 1, 1, List.of(entry(2, 1), entry(3, 3)), 0), d);
        assertThat(reported).isEmpty(); // 2 is durable, 3 is the leader's own
        checks.check(1, new Message.AppendEntries(1, 2, 3, 2, 1, List.of(entry(3, 2)), 0), d);
        assertThat(reported).singleElement().satisfies(v -> assertThat(v.getMessage())
                .contains("entry 3@2 is neither durable nor the leader's own"));
    }

    @Test
    void aStaleMessageOfAnOlderTermPromisesNothing() {
        checks.check(2, new Message.RequestVoteResponse(2, 5, 2, true, false), disk()); // term 2 < durable 3
        checks.check(2, Message.AppendEntriesResponse.accepted(2, 1, 2, 9), disk());
        assertThat(reported).isEmpty();
    }

    /** Node 1, leader of term 3: entries 1..2 of term 1 are on its disk. */
    private static DurableState leaderDisk() {
        DurableState d = DurableState.empty();
        d.synced(List.of(entry(1, 1), entry(2, 1)), new HardState(3, 1, 0));
        return d;
    }
}
