package dev.ballot.node.transport;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void doublesUpToTheMaximumWithJitterBetweenHalfAndAll() {
        Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), new SplittableRandom(42));
        long[] ceilings = {10, 20, 40, 80, 100, 100, 100};
        for (long ceiling : ceilings) {
            assertThat(b.nextDelayMillis()).isBetween(ceiling - ceiling / 2, ceiling);
        }
        b.reset();
        assertThat(b.nextDelayMillis()).isBetween(5L, 10L);
    }

    @Test
    void jitterSpreadsTheDelays() {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000), new SplittableRandom(7));
        long min = Long.MAX_VALUE, max = 0;
        for (int i = 0; i < 200; i++) {
            long d = b.nextDelayMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(600);
        assertThat(max).isGreaterThan(900);
    }

    @Test
    void rejectsABadRange() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(10), Duration.ofMillis(5), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
