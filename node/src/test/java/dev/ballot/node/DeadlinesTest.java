package dev.ballot.node;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeadlinesTest {

    @Test
    void anUnansweredRequestTimesOutNoSoonerThanItsDeadline() {
        Deadlines deadlines = new Deadlines(Duration.ofMillis(200), "test-timer");
        deadlines.start();
        try {
            CompletableFuture<Void> f = new CompletableFuture<>();
            AtomicLong firedAfter = new AtomicLong(-1);
            long start = System.nanoTime();
            deadlines.watch(f, () -> firedAfter.set(System.nanoTime() - start));
            await().atMost(Duration.ofSeconds(10)).until(() -> firedAfter.get() >= 0);
            assertThat(firedAfter.get()).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        } finally {
            deadlines.close();
        }
    }

    @Test
    void anAnsweredRequestNeverTimesOutAndLaterOnesStillDo() {
        Deadlines deadlines = new Deadlines(Duration.ofMillis(100), "test-timer");
        deadlines.start();
        try {
            AtomicInteger answeredFired = new AtomicInteger();
            CompletableFuture<Void> answered = new CompletableFuture<>();
            deadlines.watch(answered, answeredFired::incrementAndGet);
            answered.complete(null);
            CompletableFuture<Void> unanswered = new CompletableFuture<>();
            deadlines.watch(unanswered, () -> unanswered.completeExceptionally(new IllegalStateException("timeout")));
            await().atMost(Duration.ofSeconds(10)).until(unanswered::isDone);
            assertThat(unanswered).isCompletedExceptionally();
            assertThat(answeredFired.get()).isZero();
        } finally {
            deadlines.close();
        }
    }
}
