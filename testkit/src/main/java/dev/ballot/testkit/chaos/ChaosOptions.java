package dev.ballot.testkit.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a chaos run needs to know.
 *
 * @param nodes            cluster size (at least 3)
 * @param timeLimit        how long the workload and the nemesis run
 * @param nemesis          the fault families drawn from when there is no {@code plan}
 * @param plan             an explicit nemesis plan ({@link Plan}), or null to draw one from the seed
 * @param workload         {@code register} or {@code multi-key}
 * @param clients          concurrent workload clients
 * @param rate             operations per second over all clients, 0 = as fast as they go (a
 *                         bounded rate keeps the history small enough for the checker)
 * @param keys             keys of the workload, 0 = its default
 * @param seed             seeds the plan, the nemesis's choices and the clients' operations
 * @param faultInterval    the rhythm of the drawn plan (see {@link RandomSchedule})
 * @param resultsDir       where to write the results, or null for {@code target/chaos/<timestamp>-<seed>}
 * @param serverArgs       extra {@code ballot server} flags for every node
 * @param unsafeLocalReads start the nodes with the test-only {@code --unsafe-local-reads} (deliberately broken reads)
 * @param checkBudget      time allowed to the linearizability checker
 */
public record ChaosOptions(int nodes, Duration timeLimit, List<FaultFamily> nemesis, String plan, String workload,
                           int clients, int rate, int keys, long seed, Duration faultInterval, Path resultsDir,
                           List<String> serverArgs, boolean unsafeLocalReads, Duration checkBudget) {

    /** Fast Raft timeouts so that a run sees many elections. */
    public static final List<String> DEFAULT_SERVER_ARGS = List.of("--tick-ms", "10");
    public static final int DEFAULT_RATE = 500;

    public ChaosOptions {
        if (nodes < 3) throw new IllegalArgumentException("a chaos run needs at least 3 nodes, got " + nodes);
        if (clients < 1) throw new IllegalArgumentException("a chaos run needs at least 1 client, got " + clients);
        if (rate < 0) throw new IllegalArgumentException("--rate must not be negative, got " + rate);
        if (keys < 0) throw new IllegalArgumentException("--keys must not be negative, got " + keys);
        if (timeLimit.isNegative() || timeLimit.isZero()) throw new IllegalArgumentException("the time limit must be positive, got " + timeLimit);
        if (!workload.equals("register") && !workload.equals("multi-key")) {
            throw new IllegalArgumentException("unknown workload '" + workload + "': use register or multi-key");
        }
        nemesis = List.copyOf(nemesis);
        serverArgs = List.copyOf(serverArgs);
        if (plan != null) Plan.parse(plan); // fail early on a bad plan
    }

    public static ChaosOptions defaults() {
        return new ChaosOptions(5, Duration.ofSeconds(60), List.of(FaultFamily.values()), null, "register", 10, DEFAULT_RATE, 0, 1,
                Duration.ofSeconds(5), null, DEFAULT_SERVER_ARGS, false, Duration.ofSeconds(60));
    }

    /** Adds {@code ballot server} flags for every node (after the defaults, so they win). */
    public ChaosOptions withServerArgs(List<String> more) {
        List<String> all = new java.util.ArrayList<>(serverArgs);
        all.addAll(more);
        return new ChaosOptions(nodes, timeLimit, nemesis, plan, workload, clients, rate, keys, seed, faultInterval, resultsDir, all, unsafeLocalReads, checkBudget);
    }

    /**
     * Nodes that snapshot every {@code entries} entries, keep none behind, and use small segments,
     * so snapshots are taken, logs compacted and followers repaired by snapshot under the nemesis.
     */
    public ChaosOptions withSnapshotEvery(long entries) {
        return withServerArgs(List.of("--snapshot-entries", Long.toString(entries), "--snapshot-catch-up-entries", "0",
                "--segment-bytes", "4096"));
    }

    public ChaosOptions withNodes(int n) {
        return new ChaosOptions(n, timeLimit, nemesis, plan, workload, clients, rate, keys, seed, faultInterval, resultsDir, serverArgs, unsafeLocalReads, checkBudget);
    }

    public ChaosOptions withTimeLimit(Duration d) {
        return new ChaosOptions(nodes, d, nemesis, plan, workload, clients, rate, keys, seed, faultInterval, resultsDir, serverArgs, unsafeLocalReads, checkBudget);
    }

    public ChaosOptions withNemesis(List<FaultFamily> families) {
        return new ChaosOptions(nodes, timeLimit, families, plan, workload, clients, rate, keys, seed, faultInterval, resultsDir, serverArgs, unsafeLocalReads, checkBudget);
    }

    public ChaosOptions withPlan(String p) {
        return new ChaosOptions(nodes, timeLimit, nemesis, p, workload, clients, rate, keys, seed, faultInterval, resultsDir, serverArgs, unsafeLocalReads, checkBudget);
    }

    public ChaosOptions withWorkload(String w, int keyCount) {
        return new ChaosOptions(nodes, timeLimit, nemesis, plan, w, clients, rate, keyCount, seed, faultInterval, resultsDir, serverArgs, unsafeLocalReads, checkBudget);
    }

    public ChaosOptions withClients(int c) {
        return new ChaosOptions(nodes, timeLimit, nemesis, plan, workload, c, rate, keys, seed, faultInterval, resultsDir, serverArgs, unsafeLocalReads, checkBudget);
    }

    public ChaosOptions withRate(int r) {
        return new ChaosOptions(nodes, timeLimit, nemesis, plan, workload, clients, r, keys, seed, faultInterval, resultsDir, serverArgs, unsafeLocalReads, checkBudget);
    }

    public ChaosOptions withSeed(long s) {
        return new ChaosOptions(nodes, timeLimit, nemesis, plan, workload, clients, rate, keys, s, faultInterval, resultsDir, serverArgs, unsafeLocalReads, checkBudget);
    }

    public ChaosOptions withFaultInterval(Duration d) {
        return new ChaosOptions(nodes, timeLimit, nemesis, plan, workload, clients, rate, keys, seed, d, resultsDir, serverArgs, unsafeLocalReads, checkBudget);
    }

    public ChaosOptions withResultsDir(Path dir) {
        return new ChaosOptions(nodes, timeLimit, nemesis, plan, workload, clients, rate, keys, seed, faultInterval, dir, serverArgs, unsafeLocalReads, checkBudget);
    }

    public ChaosOptions withUnsafeLocalReads(boolean unsafe) {
        return new ChaosOptions(nodes, timeLimit, nemesis, plan, workload, clients, rate, keys, seed, faultInterval, resultsDir, serverArgs, unsafe, checkBudget);
    }

    /** The least time between two operations of one client (zero when the rate is unlimited). */
    public Duration clientPace() {
        return rate == 0 ? Duration.ZERO : Duration.ofNanos(1_000_000_000L * clients / rate);
    }

    /** The nemesis steps of this run: the explicit plan, or the one drawn from the seed. */
    public List<Step> steps() {
        return plan != null ? Plan.parse(plan) : RandomSchedule.generate(seed, nemesis, timeLimit, faultInterval);
    }

    /** The flags every node is started with. */
    public List<String> effectiveServerArgs() {
        List<String> args = new ArrayList<>(serverArgs);
        if (unsafeLocalReads) args.add("--unsafe-local-reads");
        return args;
    }

    /** A command line that repeats this run (same seed, same plan). */
    public String reproduceCommand() {
        return "./ballot chaos --nodes " + nodes + " --time-limit " + timeLimit.toMillis() + "ms --workload " + workload
                + " --clients " + clients + " --rate " + rate + (keys > 0 ? " --keys " + keys : "") + " --seed " + seed
                + " --plan '" + Plan.format(steps()) + "'" + (unsafeLocalReads ? " --unsafe-local-reads" : "")
                + (serverArgs.contains("--snapshot-entries")
                        ? " --snapshot-entries " + serverArgs.get(serverArgs.lastIndexOf("--snapshot-entries") + 1) : "");
    }
}
