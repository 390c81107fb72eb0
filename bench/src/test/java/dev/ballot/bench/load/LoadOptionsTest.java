package dev.ballot.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    private static LoadOptions with(List<Integer> ports, int clients, int pipeline, double readRatio, Duration duration) {
        return new LoadOptions("127.0.0.1", ports, clients, pipeline, 100, readRatio, 10,
                duration, Duration.ZERO, 1L, 0, Duration.ofSeconds(1));
    }

    @Test
    void badValuesNameTheOption() {
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> with(List.of(), 1, 1, 0, s)).hasMessageContaining("--ports");
        assertThatThrownBy(() -> with(List.of(70000), 1, 1, 0, s)).hasMessageContaining("70000");
        assertThatThrownBy(() -> with(List.of(1), 0, 1, 0, s)).hasMessageContaining("--clients");
        assertThatThrownBy(() -> with(List.of(1), 1, 0, 0, s)).hasMessageContaining("--pipeline");
        assertThatThrownBy(() -> with(List.of(1), 1, 1, 1.5, s)).hasMessageContaining("--read-ratio");
        assertThatThrownBy(() -> with(List.of(1), 1, 1, 0, Duration.ZERO)).hasMessageContaining("--duration");
        assertThatThrownBy(() -> new LoadOptions("127.0.0.1", List.of(1), 1, 1, 100, 0, 10, s, Duration.ZERO, 1L, 0,
                Duration.ofSeconds(1), 15)).hasMessageContaining("--key-size");
    }

    @Test
    void clientsGoRoundRobinOverThePorts() {
        LoadOptions options = with(List.of(6401, 6402, 6403), 5, 1, 0, Duration.ofSeconds(1));
        assertThat(List.of(options.portOf(0), options.portOf(1), options.portOf(2), options.portOf(3), options.portOf(4)))
                .containsExactly(6401, 6402, 6403, 6401, 6402);
    }
}
