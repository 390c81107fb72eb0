package dev.ballot.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FailoverBenchmarkTest {

    private static FailoverBenchmark parse(String... args) {
        FailoverBenchmark b = new FailoverBenchmark(new PrintStream(OutputStream.nullOutputStream()));
        new CommandLine(b).parseArgs(args);
        return b;
    }

    @Test
    void withoutTimeoutFlagsTheServerDefaultsApplyAndNothingIsPassedOn() {
        FailoverBenchmark b = parse();
        FailoverSettings s = b.settings();

        assertThat(b.serverFlags()).isEmpty();
        assertThat(s.defaultTimeouts()).isTrue();
        assertThat(s.tickMs()).isEqualTo(20);
        assertThat(s.electionTicks()).isEqualTo(15);
        assertThat(s.heartbeatTicks()).isEqualTo(5);
        assertThat(s.electionMinMillis()).isEqualTo(300);
        assertThat(s.electionMaxMillis()).isEqualTo(600);
        assertThat(s.heartbeatMillis()).isEqualTo(100);
        assertThat(s.nodes()).isEqualTo(5);
        assertThat(s.kills()).isEqualTo(20);
    }

    @Test
    void timeoutFlagsArePassedToEveryServerAsGiven() {
        FailoverBenchmark b = parse("--tick-ms", "10", "--election-ticks", "15", "--heartbeat-ticks", "3", "--nodes", "3");
        FailoverSettings s = b.settings();

        assertThat(b.serverFlags())
                .containsExactly("--tick-ms", "10", "--election-ticks", "15", "--heartbeat-ticks", "3");
        assertThat(s.defaultTimeouts()).isFalse();
        assertThat(s.electionMinMillis()).isEqualTo(150);
        assertThat(s.electionMaxMillis()).isEqualTo(300);
        assertThat(s.heartbeatMillis()).isEqualTo(30);
        assertThat(s.nodes()).isEqualTo(3);
    }

    @Test
    void badSettingsAreRefusedByTheServersOwnRulesNamingTheFlag() {
        assertThatThrownBy(() -> parse("--election-ticks", "5", "--heartbeat-ticks", "5").settings())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--election-ticks")
                .hasMessageContaining("--heartbeat-ticks");
        assertThatThrownBy(() -> parse("--tick-ms", "0").settings()).hasMessageContaining("--tick-ms");
        assertThatThrownBy(() -> parse("--nodes", "2").settings()).hasMessageContaining("--nodes");
        assertThatThrownBy(() -> parse("--kills", "0").settings()).hasMessageContaining("--kills");
    }

    @Test
    void aBaseDirOfAnEarlierRunIsEmptiedAndAnyOtherNonEmptyOneRefused(@TempDir Path tmp) throws IOException {
        Path ours = tmp.resolve("ours");
        FailoverBenchmark.prepareBaseDir(ours);
        Files.createDirectories(ours.resolve("1/data"));
        Files.writeString(ours.resolve("1/node.log"), "old run");

        FailoverBenchmark.prepareBaseDir(ours);

        assertThat(ours.resolve("1")).doesNotExist();
        assertThat(ours.resolve(FailoverBenchmark.MARKER)).exists();

        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("precious.txt"), "keep me");
        assertThatThrownBy(() -> FailoverBenchmark.prepareBaseDir(foreign))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not made by this benchmark");
        assertThat(foreign.resolve("precious.txt")).hasContent("keep me");

        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        FailoverBenchmark.prepareBaseDir(empty);
        assertThat(empty.resolve(FailoverBenchmark.MARKER)).exists();
    }
}
