package dev.ballot.testkit.chaos;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ballot chaos}: one Jepsen-style run against real server processes. Exit status 0 when
 * every check passes, 1 when one fails (or is undecided), 2 on bad usage.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a workload against a local cluster of real ballot server processes while a nemesis "
                + "kills, pauses and partitions nodes and drops or delays messages; then heals everything and checks "
                + "linearizability, that acknowledged writes survived, that the replicas agree and that the cluster "
                + "serves again. Results (summary.txt, history.edn, nemesis.log, latency.svg) go to --results."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every check passed", "1:a check failed or could not decide", "2:bad usage"})
public final class ChaosMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--time-limit", paramLabel = "DURATION", description = "how long the faults and the workload run, e.g. 60s, 10m, 1h (default: 60s)")
    String timeLimit = "60s";

    @Option(names = "--nemesis", paramLabel = "LIST", description = "all, none, or a list of kill,pause,partition,loss,delay (default: all)")
    String nemesis = "all";

    @Option(names = "--plan", paramLabel = "STEPS",
            description = "an explicit fault plan instead of one drawn from the seed, e.g. kill-leader@2s,restart@6s,partition-ring@8s,heal@12s")
    String plan;

    @Option(names = "--fault-interval", paramLabel = "DURATION", description = "rhythm of the drawn plan (default: 5s)")
    String faultInterval = "5s";

    @Option(names = "--snapshot-entries", paramLabel = "N",
            description = "nodes snapshot every N entries, keep none behind and use 4 KiB segments, so followers are "
                    + "repaired by snapshot under the faults (default: the server's defaults)")
    private Long snapshotEntries;

    @Option(names = "--nodes", paramLabel = "N", description = "cluster size (default: 5)")
    int nodes = 5;

    @Option(names = "--workload", paramLabel = "NAME", description = "register or multi-key (default: register)")
    String workload = "register";

    @Option(names = "--clients", paramLabel = "N", description = "concurrent clients (default: 10)")
    int clients = 10;

    @Option(names = "--rate", paramLabel = "OPS", description = "operations per second over all clients, 0 = unlimited (default: 500)")
    int rate = ChaosOptions.DEFAULT_RATE;

    @Option(names = "--keys", paramLabel = "N", description = "keys (default: 3 for register, 8 for multi-key)")
    int keys;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the plan and the random choices (default: random)")
    Long seed;

    @Option(names = "--results", paramLabel = "DIR", description = "results directory (default: target/chaos/<timestamp>-<seed>)")
    Path results;

    @Option(names = "--check-budget", paramLabel = "DURATION",
            description = "time allowed to the linearizability checker (default: 60s, or a fifth of --time-limit if longer)")
    String checkBudget;

    @Option(names = "--unsafe-local-reads", description = "start the nodes with the deliberately broken local reads (to see the checker catch them)")
    boolean unsafeLocalReads;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ChaosMain());
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("ballot chaos: " + e.getMessage());
            err.println("Try 'ballot chaos --help' for the options.");
            err.flush();
            return 2;
        });
        return cli;
    }

    /** The options as a {@link ChaosOptions}; an IllegalArgumentException names what is wrong. */
    ChaosOptions options() {
        ChaosOptions d = ChaosOptions.defaults();
        long s = seed != null ? seed : System.nanoTime() & Long.MAX_VALUE;
        Duration limit = DurationText.parse(timeLimit);
        // A soak run's history grows with its length; so does the time it may take to check.
        Duration budget = checkBudget != null ? DurationText.parse(checkBudget)
                : Collections.max(List.of(Duration.ofSeconds(60), limit.dividedBy(5)));
        if (snapshotEntries != null && snapshotEntries < 1) {
            throw new IllegalArgumentException("--snapshot-entries must be >= 1, was " + snapshotEntries);
        }
        ChaosOptions o = new ChaosOptions(nodes, limit, FaultFamily.parseList(nemesis), plan, workload, clients, rate,
                keys, s, DurationText.parse(faultInterval), results, d.serverArgs(), unsafeLocalReads, budget);
        return snapshotEntries == null ? o : o.withSnapshotEvery(snapshotEntries);
    }

    @Override
    public Integer call() throws Exception {
        ChaosOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("ballot chaos: " + e.getMessage());
            err.flush();
            return 2;
        }
        ChaosResult result = ChaosRun.run(options, System.out);
        return result.passed() ? 0 : 1;
    }
}
