package dev.ballot.node;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlinesTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final Deadlines deadlines = new Deadlines(200, now::get);

    @Test
    void anUnansweredRequestTimesOutAtTheFirstSweepAtOrAfterItsDeadlineAndNotBefore() {
        AtomicInteger fired = new AtomicInteger();
        deadlines.watch(new CompletableFuture<Void>(), fired::incrementAndGet);
        now.addAndGet(199);
        deadlines.sweep();
        assertThat(fired).hasValue(0);
        now.addAndGet(1);
        deadlines.sweep();
        assertThat(fired).hasValue(1);
        deadlines.sweep();
        assertThat(fired).as("fires once").hasValue(1);
        assertThat(deadlines.size()).isZero();
    }

    @Test
    void anAnsweredRequestNeverTimesOutAndLaterOnesStillDo() {
        AtomicInteger answeredFired = new AtomicInteger();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        deadlines.watch(answered, answeredFired::incrementAndGet);
        answered.complete(null);
        now.addAndGet(50);
        CompletableFuture<Void> unanswered = new CompletableFuture<>();
        deadlines.watch(unanswered, () -> unanswered.completeExceptionally(new IllegalStateException("timeout")));
        now.addAndGet(200);
        deadlines.sweep();
        assertThat(unanswered).isCompletedExceptionally();
        assertThat(answeredFired).hasValue(0);
    }

    @Test
    void aFailingTimeoutActionDoesNotStopLaterOnes() {
        AtomicInteger fired = new AtomicInteger();
        deadlines.watch(new CompletableFuture<Void>(), () -> { throw new IllegalStateException("boom"); });
        deadlines.watch(new CompletableFuture<Void>(), fired::incrementAndGet);
        now.addAndGet(500);
        deadlines.sweep();
        assertThat(fired).hasValue(1);
    }
}
