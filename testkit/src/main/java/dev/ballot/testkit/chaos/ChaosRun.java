package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.CheckResult;
import dev.ballot.testkit.lin.LinearizabilityChecker;
import redis.clients.jedis.HostAndPort;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Jepsen-style run against real {@code ballot server} processes: start a {@link ChaosCluster};
 * run the workload clients and the nemesis for the time limit; heal everything; then check that
 * (1) the history is linearizable, (2) every acknowledged write is present, (3) all replicas are
 * identical, (4) the cluster served again soon after healing. Writes the results directory
 * ({@link RunReport}).
 */
public final class ChaosRun {

    /** Bounds of the checks after healing. */
    static final Duration OP_TIMEOUT = Duration.ofSeconds(1);
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(30);
    static final Duration STARTUP_LEADER_BOUND = Duration.ofSeconds(30);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /** Mixed into the seed for the nemesis's own choices, so they do not mirror the plan's draws. */
    private static final long NEMESIS_SALT = 0x6e656d65736973L;

    private ChaosRun() {}

    public static ChaosResult run(ChaosOptions options, PrintStream out) throws IOException, InterruptedException {
        Path dir = options.resultsDir() != null ? options.resultsDir() : defaultResultsDir(options.seed());
        List<Step> steps = options.steps();
        String plan = steps.isEmpty() ? "(no faults)" : Plan.format(steps);
        out.println("chaos: seed " + options.seed() + ", results in " + dir);
        out.println("chaos: plan " + plan);
        out.println("chaos: reproduce with " + options.reproduceCommand());

        Workload workload = Workload.named(options.workload(), options.keys());
        try (ChaosCluster cluster = ChaosCluster.create(dir.resolve("cluster"), options.nodes(),
                options.effectiveServerArgs())) {
            cluster.start();
            awaitLeader(cluster);
            List<HostAndPort> endpoints = cluster.ids().stream()
                    .map(id -> new HostAndPort("127.0.0.1", cluster.redisPort(id))).toList();

            // 1. Workload and nemesis for the time limit.
            History history = new History(System.nanoTime());
            NemesisLog nemesisLog = new NemesisLog();
            Nemesis nemesis = new Nemesis(new ChaosClusterControl(cluster),
                    new SplittableRandom(options.seed() ^ NEMESIS_SALT), nemesisLog, history::now, false);
            AtomicInteger processIds = new AtomicInteger(options.clients());
            runWorkload(options, workload, history, endpoints, processIds, nemesis, steps, nemesisLog, out);

            // 2. Heal, then see the cluster serve, read the final values, wait for the replicas to agree.
            nemesis.healEverything();
            long healedAt = history.now();
            Optional<Duration> recovery = RecoveryProbe.firstWrite(endpoints, RECOVERY_BOUND, OP_TIMEOUT);
            String recovered = recovery.map(d -> d.toMillis() + " ms")
                    .orElse("not within " + RECOVERY_BOUND.toSeconds() + " s");
            out.println("chaos: healed at " + healedAt / 1_000_000 + " ms; time to recover: " + recovered);
            Map<String, String> finals = FinalReads.read(workload, history, endpoints, processIds, RECOVERY_BOUND,
                    OP_TIMEOUT);
            CheckOutcome convergence = ReplicaConvergence.await(cluster, CONVERGENCE_BOUND);
            long endedAt = history.now();

            // 3. The checks.
            out.println("chaos: checking " + history.events().size() + " events for linearizability (budget "
                    + options.checkBudget().toSeconds() + " s)");
            CheckResult lin = LinearizabilityChecker.check(history.events(), workload.model(), options.checkBudget());
            List<CheckOutcome> checks = List.of(linearizability(lin),
                    acknowledgedWrites(workload, history, finals), convergence, servesAgain(recovery));

            // 4. The results directory.
            LatencyStats stats = LatencyStats.of(history.samples());
            Map<Long, Path> logs = new LinkedHashMap<>();
            for (long id : cluster.ids()) logs.put(id, cluster.logFile(id));
            RunReport.write(dir, new RunReport.Contents(options, plan, checks, lin, stats, nemesisLog.windows(endedAt),
                    nemesisLog.lines(), recovered, cluster.digests(), logs, history.events(), history.samples(),
                    endedAt));
            ChaosResult result = new ChaosResult(dir, checks, lin, stats);
            checks.forEach(check -> out.println("chaos: " + check));
            out.println("chaos: " + stats.describe());
            out.println("chaos: " + (result.passed() ? "PASS" : "FAIL") + " (details in " + dir.resolve("summary.txt")
                    + ")");
            return result;
        }
    }

    private static CheckOutcome acknowledgedWrites(Workload workload, History history, Map<String, String> finals) {
        if (finals.size() != workload.keys().size()) {
            return CheckOutcome.fail(AcknowledgedWritesCheck.NAME,
                    "only " + finals.keySet() + " of " + workload.keys() + " could be read after healing");
        }
        return AcknowledgedWritesCheck.check(workload.name(), history.events(), finals);
    }

    private static CheckOutcome servesAgain(Optional<Duration> recovery) {
        String name = "serves after healing";
        return recovery.isPresent()
                ? CheckOutcome.pass(name, "first acknowledged write " + recovery.get().toMillis() + " ms after healing")
                : CheckOutcome.fail(name, "no write acknowledged within " + RECOVERY_BOUND.toSeconds() + " s of healing");
    }

    private static void runWorkload(ChaosOptions options, Workload workload, History history, List<HostAndPort> endpoints,
                                    AtomicInteger processIds, Nemesis nemesis, List<Step> steps, NemesisLog nemesisLog,
                                    PrintStream out) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.clients(); i++) {
            WorkloadClient client = new WorkloadClient(i, workload, history, endpoints, processIds,
                    new SplittableRandom(options.seed() + i), stop, OP_TIMEOUT, options.clientPace());
            threads.add(Thread.ofPlatform().name("chaos-client-" + i).start(client));
        }
        Thread nemesisThread = Thread.ofPlatform().name("chaos-nemesis")
                .start(new NemesisRunner(nemesis, steps, history.originNanos(), stopped, nemesisLog));
        reportProgressUntil(options.timeLimit(), history, nemesisLog, out);
        stop.set(true);
        stopped.countDown();
        nemesisThread.join();
        // Every operation times out within OP_TIMEOUT, so the clients end soon after.
        for (Thread t : threads) {
            if (!t.join(OP_TIMEOUT.multipliedBy(10))) throw new IllegalStateException(t.getName() + " did not stop");
        }
    }

    /** Waits out the time limit, printing a progress line every {@link #PROGRESS_EVERY} (a soak runs for hours). */
    private static void reportProgressUntil(Duration limit, History history, NemesisLog nemesisLog, PrintStream out)
            throws InterruptedException {
        long end = history.now() + limit.toNanos();
        for (long left = end - history.now(); left > 0; left = end - history.now()) {
            Thread.sleep(Duration.ofNanos(Math.min(left, PROGRESS_EVERY.toNanos())));
            if (end - history.now() <= 0) break;
            History.Counts c = history.counts();
            List<String> faults = nemesisLog.activeFaults();
            out.printf(Locale.ROOT, "chaos: %ds of %ds: %,d ok, %,d fail, %,d info; faults now: %s%n",
                    history.now() / 1_000_000_000L, limit.toSeconds(), c.ok(), c.fail(), c.info(),
                    faults.isEmpty() ? "none" : String.join("; ", faults));
        }
    }

    private static void awaitLeader(ChaosCluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_LEADER_BOUND.toNanos();
        while (cluster.leader().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leader within " + STARTUP_LEADER_BOUND.toSeconds()
                        + " s of starting the cluster");
            }
            Thread.sleep(50);
        }
    }

    static CheckOutcome linearizability(CheckResult lin) {
        String first = lin.explanation() == null ? "" : lin.explanation().lines().findFirst().orElse("");
        // The checker's explanation already starts with the verdict; do not say it twice.
        String detail = first.startsWith(lin.verdict().name().replace('_', ' ')) ? first
                : lin.verdict() + (lin.failingKey() != null ? " (key " + lin.failingKey() + ")" : "")
                        + (first.isEmpty() ? "" : ": " + first);
        CheckOutcome.Status status = switch (lin.verdict()) {
            case LINEARIZABLE -> CheckOutcome.Status.PASS;
            case NOT_LINEARIZABLE -> CheckOutcome.Status.FAIL;
            case UNKNOWN -> CheckOutcome.Status.UNKNOWN;
        };
        return new CheckOutcome("linearizable", status, detail);
    }

    static Path defaultResultsDir(long seed) {
        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("target", "chaos", started + "-" + seed);
    }
}
