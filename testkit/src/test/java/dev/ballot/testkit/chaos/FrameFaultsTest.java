package dev.ballot.testkit.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameFaultsTest {

    private static List<FrameFaults.Verdict> draws(long seed) {
        FrameFaults faults = new FrameFaults(seed);
        faults.setLoss(0.5);
        faults.setDelay(Duration.ofMillis(5), Duration.ofMillis(50));
        return IntStream.range(0, 200).mapToObj(i -> faults.next(true)).toList();
    }

    @Test
    void theSameSeedDrawsTheSameFates() {
        assertThat(draws(9)).isEqualTo(draws(9)).isNotEqualTo(draws(10));
    }

    @Test
    void delaysStayWithinTheBoundsAndKeptFramesAreNeverDropped() {
        FrameFaults faults = new FrameFaults(3);
        faults.setLoss(1.0);
        faults.setDelay(Duration.ofMillis(5), Duration.ofMillis(50));
        for (int i = 0; i < 1_000; i++) {
            FrameFaults.Verdict v = faults.next(false);
            assertThat(v.dropped()).isFalse();
            assertThat(v.delayNanos()).isBetween(Duration.ofMillis(5).toNanos(), Duration.ofMillis(50).toNanos());
        }
        assertThat(faults.dropped()).isZero();
        assertThat(faults.next(true).dropped()).isTrue();
        assertThat(faults.dropped()).isEqualTo(1);
    }

    @Test
    void rejectsImpossibleSettings() {
        FrameFaults faults = new FrameFaults(1);
        assertThatThrownBy(() -> faults.setLoss(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.setLoss(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.setDelay(Duration.ofMillis(10), Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.setDelay(Duration.ofMillis(-1), Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
