package dev.ballot.testkit.chaos;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChaosMainTest {

    private static ChaosMain parse(String... args) {
        ChaosMain main = new ChaosMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void optionsBecomeAChaosOptions() {
        ChaosOptions o = parse("--time-limit", "2m", "--nemesis", "kill,partition", "--nodes", "3", "--workload", "multi-key",
                "--clients", "4", "--rate", "40", "--keys", "6", "--seed", "42", "--results", "out/run", "--unsafe-local-reads").options();
        assertThat(o.timeLimit()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.nemesis()).containsExactly(FaultFamily.KILL, FaultFamily.PARTITION);
        assertThat(o.nodes()).isEqualTo(3);
        assertThat(o.workload()).isEqualTo("multi-key");
        assertThat(o.clients()).isEqualTo(4);
        assertThat(o.keys()).isEqualTo(6);
        assertThat(o.rate()).isEqualTo(40);
        assertThat(o.clientPace()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.seed()).isEqualTo(42);
        assertThat(o.resultsDir()).isEqualTo(Path.of("out/run"));
        assertThat(o.effectiveServerArgs()).containsExactly("--tick-ms", "10", "--unsafe-local-reads");
    }

    @Test
    void theCheckBudgetGrowsWithALongRunUnlessGiven() {
        assertThat(parse("--time-limit", "60s").options().checkBudget()).isEqualTo(Duration.ofSeconds(60));
        assertThat(parse("--time-limit", "1h").options().checkBudget()).isEqualTo(Duration.ofMinutes(12));
        assertThat(parse("--time-limit", "1h", "--check-budget", "30s").options().checkBudget())
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void defaultsAreAllFaultsFiveNodesRegisterTenClientsAndARandomSeed() {
        ChaosOptions o = parse().options();
        assertThat(o.nemesis()).containsExactly(FaultFamily.values());
        assertThat(o.nodes()).isEqualTo(5);
        assertThat(o.workload()).isEqualTo("register");
        assertThat(o.clients()).isEqualTo(10);
        assertThat(o.timeLimit()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.rate()).isEqualTo(500);
        assertThat(o.withRate(0).clientPace()).isZero();
        assertThat(o.effectiveServerArgs()).doesNotContain("--unsafe-local-reads");
    }

    @Test
    void theReproduceCommandRepeatsTheSamePlan() {
        ChaosOptions o = parse("--seed", "7", "--time-limit", "90s", "--nemesis", "all").options();
        String command = o.reproduceCommand();
        assertThat(command).startsWith("./ballot chaos ").contains("--seed 7", "--time-limit 90000ms");
        String plan = command.substring(command.indexOf("--plan '") + 8, command.lastIndexOf('\''));
        assertThat(Plan.parse(plan)).isEqualTo(o.steps());
        String[] args = command.substring("./ballot chaos ".length()).replace("'", "").split(" ");
        assertThat(parse(args).options().steps()).isEqualTo(o.steps());
    }

    @Test
    void badUsageExitsWithTwo() {
        for (List<String> args : List.of(List.of("--nodes"), List.of("--bogus"), List.of("--time-limit", "soon"),
                List.of("--nemesis", "meteor"), List.of("--workload", "queue"), List.of("--nodes", "2"), List.of("--rate", "-1"), List.of("--plan", "kill"))) {
            StringWriter err = new StringWriter();
            CommandLine cli = ChaosMain.commandLine();
            cli.setErr(new PrintWriter(err));
            assertThat(cli.execute(args.toArray(String[]::new))).as(args.toString()).isEqualTo(2);
            assertThat(err.toString()).as(args.toString()).startsWith("ballot chaos: ");
        }
    }

    @Test
    void badValuesAreExplained() {
        assertThatThrownBy(() -> parse("--time-limit", "10 minutes").options()).hasMessageContaining("write e.g. 500ms, 60s, 2m or 1h");
        assertThatThrownBy(() -> parse("--nemesis", "kill,meteor").options()).hasMessageContaining("unknown nemesis 'meteor'");
        assertThatThrownBy(() -> parse("--nodes", "1").options()).hasMessageContaining("at least 3 nodes");
    }

    @Test
    void helpExitsWithZero() {
        CommandLine cli = ChaosMain.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("--unsafe-local-reads", "--plan", "Exit status");
    }
}
