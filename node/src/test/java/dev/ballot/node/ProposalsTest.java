package dev.ballot.node;

import dev.ballot.raft.Entry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Writes registered by log index hear at once when another leader's entry takes their place. */
class ProposalsTest {

    private final Proposals proposals = new Proposals();

    private static PendingWrite proposed() {
        PendingWrite w = new PendingWrite(new byte[] {1}, null);
        w.claim();
        return w;
    }

    private static RequestFailure failure(CompletableFuture<byte[]> f) {
        assertThat(f).isDone();
        return (RequestFailure) catchThrowableOfType(ExecutionException.class, f::get).getCause();
    }

    @Test
    void aWriteWhoseEntryIsAppliedWithItsTermCompletesWithTheResult() throws Exception {
        PendingWrite w = proposed();
        proposals.register(5, 2, w, 1);
        proposals.applied(Entry.command(5, 2, new byte[] {1}), new byte[] {42}, 1);
        assertThat(w.future.get()).containsExactly(42);
        assertThat(proposals.size()).isZero();
    }

    @Test
    void aWriteWhoseIndexIsOverwrittenInTheLogFailsAtOnceAsNotApplied() {
        PendingWrite w = proposed();
        proposals.register(5, 2, w, 1);
        proposals.logWritten(List.of(Entry.command(4, 2, new byte[0]), Entry.command(5, 3, new byte[0])), 3);
        RequestFailure f = failure(w.future);
        assertThat(f.kind()).isEqualTo(RequestFailure.Kind.NOT_LEADER);
        assertThat(f.retryable()).isTrue();
        assertThat(f.leaderHint()).isEqualTo(3);
        assertThat(proposals.size()).isZero();
    }

    @Test
    void rewritingTheSameEntryLeavesTheWriteWaiting() {
        PendingWrite w = proposed();
        proposals.register(5, 2, w, 1);
        proposals.logWritten(List.of(Entry.command(5, 2, new byte[0])), 1);
        assertThat(w.future).isNotDone();
    }

    @Test
    void aNewProposalAtTheSameIndexInALaterTermEndsTheEarlierWriteAtOnce() {
        PendingWrite first = proposed();
        PendingWrite second = proposed();
        proposals.register(5, 2, first, 1);
        proposals.register(5, 4, second, 1); // this node led again and wrote another entry at index 5
        assertThat(failure(first.future).kind()).isEqualTo(RequestFailure.Kind.NOT_LEADER);
        assertThat(second.future).isNotDone();
    }

    @Test
    void anEntryOfAnotherTermAppliedAtTheIndexEndsTheWriteAsNotApplied() {
        PendingWrite w = proposed();
        proposals.register(5, 2, w, 1);
        proposals.applied(Entry.command(5, 3, new byte[0]), null, 3);
        assertThat(failure(w.future).kind()).isEqualTo(RequestFailure.Kind.NOT_LEADER);
    }
}
