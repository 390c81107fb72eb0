package dev.ballot.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PeersTest {

    @Test
    void parsesTheCommandLineForm() {
        Peers p = Peers.parse("--peers", "3=10.0.0.3:7103, 1=127.0.0.1:7101,2=[::1]:7102");
        assertThat(p.ids()).containsExactly(1L, 2L, 3L);
        assertThat(p.address(2)).isEqualTo(new PeerAddress("::1", 7102));
        assertThat(p.address(3)).isEqualTo(new PeerAddress("10.0.0.3", 7103));
        assertThat(p).hasToString("1=127.0.0.1:7101,2=[::1]:7102,3=10.0.0.3:7103");
        assertThat(Peers.parse("--peers", p.toString())).isEqualTo(p);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                  | --peers is empty",
            "1=127.0.0.1:7101,                   | empty member",
            "1=127.0.0.1:7101,,2=127.0.0.1:7102  | empty member",
            "127.0.0.1:7101                      | is not id=host:port",
            "x=127.0.0.1:7101                    | node id 'x' is not a number",
            "0=127.0.0.1:7101                    | node id 0 must be >= 1",
            "-2=127.0.0.1:7101                   | node id -2 must be >= 1",
            "1=127.0.0.1                         | is not host:port",
            "1=::1:7101                          | write IPv6 addresses as [addr]:port",
            "1=[::1]7101                         | is not [ipv6]:port",
            "1=:7101                             | the host is empty",
            "1=127.0.0.1:http                    | port 'http' is not a number",
            "1=127.0.0.1:0                       | port 0 is not in 1..65535",
            "1=127.0.0.1:70000                   | port 70000 is not in 1..65535",
            "1=127.0.0.1:7101,1=127.0.0.1:7102   | node id 1 appears twice",
            "1=127.0.0.1:7101,2=127.0.0.1:7101   | address 127.0.0.1:7101 is given to two nodes",
    })
    void rejectsMistakesWithTheSettingAndThePartNamed(String text, String expected) {
        assertThatThrownBy(() -> Peers.parse("--peers", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--peers")
                .hasMessageContaining(expected.strip());
    }
}
