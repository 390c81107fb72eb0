package dev.ballot.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void twentySamplesGiveTheMeanOfTheMiddleTwoAndTheEighteenthAsP90() {
        List<Double> samples = new ArrayList<>();
        for (int i = 1; i <= 20; i++) samples.add(i * 10.0); // 10, 20, .. 200
        Collections.shuffle(samples, new java.util.Random(3)); // order must not matter

        Summary s = Summary.of(samples);

        assertThat(s.count()).isEqualTo(20);
        assertThat(s.median()).isEqualTo(105.0); // (100 + 110) / 2
        assertThat(s.p90()).isEqualTo(180.0);    // rank ceil(0.9 * 20) = 18
        assertThat(s.worst()).isEqualTo(200.0);
    }

    @Test
    void anOddCountHasTheMiddleSampleAsMedian() {
        Summary s = Summary.of(List.of(500.0, 300.0, 400.0));

        assertThat(s.median()).isEqualTo(400.0);
        assertThat(s.p90()).isEqualTo(500.0); // rank ceil(2.7) = 3
        assertThat(s.worst()).isEqualTo(500.0);
    }

    @Test
    void nearestRankRoundsUp() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        assertThat(Summary.nearestRank(sorted, 90)).isEqualTo(10); // ceil(9.9) = 10
        assertThat(Summary.nearestRank(sorted, 50)).isEqualTo(6);  // ceil(5.5) = 6
        assertThat(Summary.nearestRank(sorted, 100)).isEqualTo(11);
        assertThat(Summary.nearestRank(new double[] {7}, 1)).isEqualTo(7);
    }

    @Test
    void noSamplesGiveNaNAndANaNSampleIsRefused() {
        Summary empty = Summary.of(List.of());
        assertThat(empty.count()).isZero();
        assertThat(empty.median()).isNaN();
        assertThat(empty.worst()).isNaN();
        assertThatThrownBy(() -> Summary.of(List.of(1.0, Double.NaN))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Summary.nearestRank(new double[] {1}, 0)).hasMessageContaining("percentile");
    }
}
