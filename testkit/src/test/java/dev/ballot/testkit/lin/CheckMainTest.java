package dev.ballot.testkit.lin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CheckMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLinearizableJepsenLogExitsZero() throws Exception {
        Path log = PublishedHistoriesTest.resource("etcd-jepsen/etcd_002.log");
        assertThat(run("--model", "register", log.toString())).isZero();
        assertThat(out()).startsWith("LINEARIZABLE: ");
    }

    @Test
    void aNonLinearizableEdnHistoryExitsOneWithTheExplanation() throws Exception {
        Path file = PublishedHistoriesTest.resource("kv-append/c10-bad.txt");
        assertThat(run("--model", "kv", "--budget-seconds", "20", file.toString())).isEqualTo(1);
        assertThat(out()).startsWith("NOT LINEARIZABLE: key ").contains("longest linearizable prefix", "had to take effect");
    }

    @Test
    void anExhaustedBudgetExitsThree() throws Exception {
        Path file = PublishedHistoriesTest.resource("kv-append/c10-bad.txt");
        assertThat(run("--model", "kv", "--budget-seconds", "0", file.toString())).isEqualTo(3);
        assertThat(out()).startsWith("UNKNOWN: ");
    }

    @Test
    void badUsageExitsTwo() throws Exception {
        Path log = PublishedHistoriesTest.resource("etcd-jepsen/etcd_002.log");
        assertThat(run(log.toString())).isEqualTo(2);
        assertThat(err()).contains("--model is required", "usage: CheckMain");
        assertThat(run("--model", "queue", log.toString())).isEqualTo(2);
        assertThat(err()).contains("--model must be register or kv, got 'queue'");
        assertThat(run("--model", "register", "--budget-seconds", "soon", log.toString())).isEqualTo(2);
        assertThat(run("--model", "register", dir.resolve("missing.log").toString())).isEqualTo(2);
        assertThat(err()).contains("no such file");
        // The register model cannot check a kv history.
        Path kv = PublishedHistoriesTest.resource("kv-append/c01-ok.txt");
        assertThat(run("--model", "register", kv.toString())).isEqualTo(2);
        assertThat(err()).contains("register model has read, write and cas, not 'append'");
        Path garbage = Files.writeString(dir.resolve("garbage.edn"), "{:process 0\n");
        assertThat(run("--model", "kv", garbage.toString())).isEqualTo(2);
        assertThat(err()).contains("garbage.edn:1: ");
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("--model register", "--budget-seconds N", "exit status: 0 linearizable");
    }
}
