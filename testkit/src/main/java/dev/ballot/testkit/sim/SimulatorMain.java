package dev.ballot.testkit.sim;

import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.ballot.testkit.sim.CliValues.number;
import static dev.ballot.testkit.sim.CliValues.positive;
import static dev.ballot.testkit.sim.CliValues.value;

/**
 * The simulator's command line: {@code ./ballot simulate [options]}. Runs randomized seeds (see
 * {@link RandomizedRun}), prints a summary, and on the first failure prints it with the seed and the
 * replay command and exits with status 1.
 */
public final class SimulatorMain {

    static final String USAGE = """
            usage: ./ballot simulate [options]

            Runs randomized simulations of a Raft cluster: crashes, restarts, partitions, message loss,
            duplication and reordering, crashes in the middle of persisting. Raft's invariants are
            checked after every event; each run ends by healing and checking that a leader is elected,
            a final command commits everywhere and every acknowledged command survived.

            options:
              --runs N      number of runs (default 100; 1 with --verbose)
              --seed S      seed of the first run; run i uses seed S+i (default 1)
              --nodes N     cluster size for every run: 3, 5 or 7 (default: drawn from each seed)
              --steps N     events in the fault phase of each run (default %d)
              --threads N   parallel runs (default: number of processors)
              --verbose     print every event of the run(s) (implies --threads 1)
              --print-results  print one line per run (counts and the digest of its trace)
              --sabotage B  run a deliberately broken runtime to see the checker catch it:
                            send-before-persist, amnesia (disk lost on restart), forget-vote,
                            local-read (reads served without ReadIndex)
              --runtime     simulate the production node runtime instead of bare engines, with
                            Redis clients and a linearizability check (./ballot simulate --runtime --help)
              --help        this text

            exit status: 0 all runs passed, 1 a run failed (its seed and replay command are printed),
            2 bad arguments.

            examples:
              ./ballot simulate --runs 1000000                 a long soak
              ./ballot simulate --seed 42 --runs 1 --verbose   replay one seed event by event
            """.formatted(RandomizedRun.DEFAULT_STEPS);

    /** Parsed command-line options. */
    record Args(long runs, long seed, int nodes, long steps, int threads, boolean verbose, boolean printResults,
                Sabotage sabotage, boolean help) {}

    private SimulatorMain() {}

    public static void main(String[] argv) {
        if (java.util.Arrays.asList(argv).contains("--runtime")) dev.ballot.testkit.sim.runtime.RuntimeSimulatorMain.quietLogs();
        System.exit(run(argv, System.out, System.err));
    }

    /** Runs the command line; returns the exit status. */
    static int run(String[] argv, PrintStream out, PrintStream err) {
        if (java.util.Arrays.asList(argv).contains("--runtime")) {
            return dev.ballot.testkit.sim.runtime.RuntimeSimulatorMain.run(argv, out, err);
        }
        Args args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("ballot simulate: " + e.getMessage());
            err.println("try: ./ballot simulate --help");
            return 2;
        }
        if (args.help()) {
            out.print(USAGE);
            return 0;
        }
        return simulate(args, out, err);
    }

    static Args parse(String[] argv) {
        long runs = -1;
        long seed = 1;
        int nodes = 0;
        long steps = RandomizedRun.DEFAULT_STEPS;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean verbose = false;
        boolean printResults = false;
        Sabotage sabotage = Sabotage.NONE;
        boolean help = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--runs" -> runs = positive(a, value(argv, ++i, a));
                case "--seed" -> seed = number(a, value(argv, ++i, a));
                case "--nodes" -> {
                    nodes = (int) number(a, value(argv, ++i, a));
                    if (nodes != 3 && nodes != 5 && nodes != 7) {
                        throw new IllegalArgumentException("--nodes must be 3, 5 or 7, was " + nodes);
                    }
                }
                case "--steps" -> steps = positive(a, value(argv, ++i, a));
                case "--threads" -> threads = (int) positive(a, value(argv, ++i, a));
                case "--verbose", "-v" -> verbose = true;
                case "--print-results" -> printResults = true;
                case "--sabotage" -> sabotage = sabotage(value(argv, ++i, a));
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (runs < 0) runs = verbose ? 1 : 100;
        if (verbose) threads = 1;
        return new Args(runs, seed, nodes, steps, threads, verbose, printResults, sabotage, help);
    }

    static Sabotage sabotage(String name) {
        for (Sabotage s : Sabotage.values()) {
            if (s.name().equalsIgnoreCase(name.replace('-', '_'))) return s;
        }
        throw new IllegalArgumentException("--sabotage must be one of send-before-persist, amnesia, forget-vote, local-read, none; got '"
                + name + "'");
    }

    private static int simulate(Args args, PrintStream out, PrintStream err) {
        RandomizedRun.Options options = new RandomizedRun.Options(args.nodes(), args.steps(),
                args.verbose() ? out::println : null, args.sabotage(), true);
        out.printf("ballot simulate: %,d run(s) from seed %d, %s nodes, %,d fault-phase events each, %d thread(s)%s%n",
                args.runs(), args.seed(), args.nodes() == 0 ? "3/5/7" : String.valueOf(args.nodes()), args.steps(),
                args.threads(), args.sabotage() == Sabotage.NONE ? "" : ", SABOTAGED: " + args.sabotage());
        SoakSummary summary = new SoakSummary();
        AtomicLong next = new AtomicLong();
        AtomicReference<SimulationFailure> failure = new AtomicReference<>();
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(args.threads());
        for (int t = 0; t < args.threads(); t++) {
            pool.execute(() -> {
                while (failure.get() == null) {
                    long i = next.getAndIncrement();
                    if (i >= args.runs()) return;
                    long seed = args.seed() + i;
                    try {
                        RunResult r = RandomizedRun.run(seed, options);
                        if (args.verbose() || args.printResults()) out.println(r);
                        synchronized (summary) {
                            summary.add(r);
                            long now = System.nanoTime();
                            if (now - lastProgress.get() > TimeUnit.SECONDS.toNanos(10)) {
                                lastProgress.set(now);
                                out.printf("  ... %,d runs passed (%.0f s)%n", summary.runs(), (now - start) / 1e9);
                            }
                        }
                    } catch (SimulationFailure f) {
                        failure.compareAndSet(null, f);
                    } catch (RuntimeException | Error e) {
                        // An Error too (a missing class, say): a run that did not finish never counts as passed.
                        failure.compareAndSet(null, new SimulationFailure(seed, "Unexpected exception",
                                "seed " + seed + ": " + e, e));
                    }
                }
            });
        }
        pool.shutdown();
        try {
            while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                // keep waiting: a long soak may take hours
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("ballot simulate: interrupted");
            return 1;
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        out.println(summary.render(wallMillis));
        SimulationFailure f = failure.get();
        if (f != null) {
            err.println();
            err.println("FAILED at seed " + f.seed() + " (" + f.invariant() + ")");
            err.println(f.getMessage());
            err.println("replay: " + RandomizedRun.replayCommand(f.seed(), options));
            return 1;
        }
        if (summary.runs() != args.runs()) {
            err.println("ballot simulate: only " + summary.runs() + " of " + args.runs() + " runs finished");
            return 1;
        }
        out.println("all " + summary.runs() + " runs passed");
        return 0;
    }
}
