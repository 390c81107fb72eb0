package dev.ballot.kv.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PercentDecodingTest {

    @Test
    void decodesEscapesToBytesAndRejectsBadOnes() {
        assertThat(PercentDecoding.decode("a%20b%2f%FF+é")).isEqualTo(
                new byte[] {'a', ' ', 'b', '/', (byte) 0xFF, '+', (byte) 0xC3, (byte) 0xA9});
        assertThat(PercentDecoding.decode("")).isEmpty();
        assertThatThrownBy(() -> PercentDecoding.decode("a%2")).hasMessageContaining("incomplete escape");
        assertThatThrownBy(() -> PercentDecoding.decode("%g0")).hasMessageContaining("invalid escape '%g0'");
    }
}
