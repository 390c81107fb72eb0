package dev.ballot.node;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class InboxTest {

    @Test
    void pollWithATimeoutReturnsNullWhenNothingArrives() throws InterruptedException {
        Inbox<String> inbox = new Inbox<>();
        long start = System.nanoTime();
        assertThat(inbox.poll(TimeUnit.MILLISECONDS.toNanos(50))).isNull();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void anElementAddedByAnotherThreadWakesAWaitingConsumer() {
        Inbox<String> inbox = new Inbox<>();
        CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return inbox.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        inbox.add("x");
        assertThat(taken).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("x");
    }

    /** Many producers, one consumer that parks often: nothing is lost, each producer's order is kept. */
    @Test
    void noElementIsLostUnderConcurrentProducers() throws Exception {
        Inbox<long[]> inbox = new Inbox<>();
        int producers = 4;
        int each = 50_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) inbox.add(new long[] {id, i});
            }));
        }
        long[] next = new long[producers];
        for (int n = 0; n < producers * each; n++) {
            long[] e = inbox.poll(TimeUnit.SECONDS.toNanos(10));
            assertThat(e).as("element %d of %d", n, producers * each).isNotNull();
            assertThat(e[1]).isEqualTo(next[(int) e[0]]);
            next[(int) e[0]]++;
        }
        for (Thread t : threads) t.join();
        assertThat(inbox.poll()).isNull();
        assertThat(next).containsOnly(each);
    }
}
