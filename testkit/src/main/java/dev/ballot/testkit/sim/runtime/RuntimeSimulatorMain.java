package dev.ballot.testkit.sim.runtime;

import dev.ballot.kv.ReadMode;
import dev.ballot.node.RuntimeSabotage;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.ballot.testkit.sim.CliValues.number;
import static dev.ballot.testkit.sim.CliValues.positive;
import static dev.ballot.testkit.sim.CliValues.value;

/** {@code ./ballot simulate --runtime}: many full-runtime runs, one seed each, in parallel. */
public final class RuntimeSimulatorMain {

    static final String USAGE = """
            usage: ./ballot simulate --runtime [options]

            Runs the production node runtime (RaftServer, the KV state machine, the RESP connection
            handlers) in virtual time, with simulated loops, network, disks and clock, under
            pipelining Redis clients and a nemesis: crashes and power losses, partitions, lossy and
            reordering networks, stalled and failing disks, client connection resets. Each run checks
            Raft's invariants after every event, then heals and checks convergence, equal replica
            digests, acknowledged writes, each connection's order and linearizability.

            options:
              --runs N          number of runs (default 100)
              --seed S          seed of the first run; run i uses seed S+i (default 1)
              --nodes N         cluster size (default 5)
              --fault-ms MS     virtual length of each run's fault window (default %d)
              --workload W      register (GET/SET/CAS) or append (APPEND/GET) (default: drawn from each seed)
              --lin-budget-ms MS  time the linearizability checker may take per run (default 1000);
                                a run it cannot decide in time passes and is counted
              --threads N       parallel runs (default: number of processors)
              --print-results   one line per run
              --sabotage B      put back a runtime defect, to see the checks catch it (repeatable):
                                retry-out-of-order (a refused forwarded write retried after later
                                writes of its connection), reuse-forward-ids (forwarded request ids
                                restart at every boot, replies' senders unchecked), local-reads
                                (GETs served without ReadIndex; also --unsafe-local-reads), amnesia
                                (a crashed node restarts with an empty disk), early-ack (the disk
                                acknowledges writes before it syncs them)
              --help            this text

            exit status: 0 all runs passed, 1 a run failed (its report and replay command are printed),
            2 bad arguments.
            """.formatted(RuntimeSimulation.Options.defaults().faultMillis());

    record Args(long runs, long seed, int threads, boolean printResults, RuntimeSimulation.Options options,
                boolean help) {}

    private RuntimeSimulatorMain() {}

    public static void main(String[] argv) {
        quietLogs();
        System.exit(run(argv, System.out, System.err));
    }

    /**
     * Thousands of node boots a minute, and nodes that stop themselves on purpose (injected disk
     * failures, reported in each run's events): only warnings are worth printing, and not the
     * runtime's own report of a node that stopped. Call before anything logs; a value already set
     * (e.g. with -D) wins.
     */
    public static void quietLogs() {
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.dev.ballot.node.RaftLoop", "off");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.dev.ballot.storage.Segment", "error");
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("ballot simulate --runtime: " + e.getMessage());
            err.println("try: ./ballot simulate --runtime --help");
            return 2;
        }
        if (args.help()) {
            out.print(USAGE);
            return 0;
        }
        return soak(args, out, err);
    }

    static Args parse(String[] argv) {
        long runs = 100;
        long seed = 1;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean print = false;
        boolean help = false;
        RuntimeSimulation.Options o = RuntimeSimulation.Options.defaults();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--runtime" -> { }
                case "--runs" -> runs = positive(a, value(argv, ++i, a));
                case "--seed" -> seed = number(a, value(argv, ++i, a));
                case "--nodes" -> {
                    long n = positive(a, value(argv, ++i, a));
                    if (n > 9) throw new IllegalArgumentException("--nodes must be 1..9, was " + n);
                    o = o.withNodes((int) n);
                }
                case "--fault-ms" -> o = o.withFaultMillis(positive(a, value(argv, ++i, a)));
                case "--workload" -> o = o.withWorkload(workload(value(argv, ++i, a)));
                case "--lin-budget-ms" -> o = o.withLinBudget(java.time.Duration.ofMillis(positive(a, value(argv, ++i, a))));
                case "--threads" -> threads = (int) positive(a, value(argv, ++i, a));
                case "--print-results" -> print = true;
                case "--unsafe-local-reads" -> o = o.withReadMode(ReadMode.UNSAFE_LOCAL);
                case "--sabotage" -> {
                    String name = value(argv, ++i, a);
                    o = switch (name) {
                        case "local-reads" -> o.withReadMode(ReadMode.UNSAFE_LOCAL);
                        case "amnesia" -> o.withBrokenDisk(BrokenDisk.AMNESIA);
                        case "early-ack" -> o.withBrokenDisk(BrokenDisk.EARLY_ACK);
                        default -> o.withSabotage(sabotage(name));
                    };
                }
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        return new Args(runs, seed, threads, print, o, help);
    }

    private static RuntimeSabotage sabotage(String name) {
        for (RuntimeSabotage s : RuntimeSabotage.values()) {
            if (s.name().equalsIgnoreCase(name.replace('-', '_'))) return s;
        }
        throw new IllegalArgumentException("--sabotage must be retry-out-of-order, reuse-forward-ids, local-reads, amnesia or"
                + " early-ack, got '"
                + name + "'");
    }

    private static Workload workload(String name) {
        for (Workload w : Workload.values()) {
            if (w.name().equalsIgnoreCase(name)) return w;
        }
        throw new IllegalArgumentException("--workload must be register or append, got '" + name + "'");
    }

    private static int soak(Args args, PrintStream out, PrintStream err) {
        out.printf(Locale.ROOT, "ballot simulate --runtime: %,d run(s) from seed %d, %d nodes, %d ms of faults each, "
                + "%d thread(s)%n", args.runs(), args.seed(), args.options().nodes(), args.options().faultMillis(),
                args.threads());
        RuntimeSoak soak = new RuntimeSoak();
        AtomicLong next = new AtomicLong();
        AtomicReference<RuntimeRunResult> failure = new AtomicReference<>();
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(args.threads());
        for (int t = 0; t < args.threads(); t++) {
            pool.execute(() -> {
                while (failure.get() == null) {
                    long i = next.getAndIncrement();
                    if (i >= args.runs()) return;
                    RuntimeRunResult r = RuntimeSimulation.run(args.seed() + i, args.options());
                    if (args.printResults()) out.println(r.passed() ? r.detail() : "seed " + r.seed() + " FAILED");
                    if (!r.passed()) {
                        failure.compareAndSet(null, r);
                        return;
                    }
                    long now = System.nanoTime();
                    synchronized (soak) {
                        soak.add(r);
                        if (now - lastProgress.get() > TimeUnit.SECONDS.toNanos(10)) {
                            lastProgress.set(now);
                            out.printf(Locale.ROOT, "  ... %,d runs passed (%.0f s, %.1f runs/s)%n", soak.runs(),
                                    (now - start) / 1e9, soak.runs() / ((now - start) / 1e9));
                        }
                    }
                }
            });
        }
        pool.shutdown();
        try {
            while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                // a long soak may take hours
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("ballot simulate --runtime: interrupted");
            return 1;
        }
        out.println(soak.render((System.nanoTime() - start) / 1_000_000));
        RuntimeRunResult f = failure.get();
        if (f != null) {
            err.println();
            err.println("FAILED at seed " + f.seed() + " (" + f.failedCheck() + ")");
            err.println(f.detail());
            return 1;
        }
        if (soak.runs() != args.runs()) {
            err.println("ballot simulate --runtime: only " + soak.runs() + " of " + args.runs() + " runs finished");
            return 1;
        }
        out.println("all " + soak.runs() + " runs passed");
        return 0;
    }
}
