package dev.ballot.bench.failover;

import dev.ballot.node.RaftServerConfig;
import dev.ballot.server.ClusterLayout;
import dev.ballot.server.ServerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ballot bench failover}: how long a local cluster of real {@code ballot server} processes
 * takes, after a SIGKILL of its leader, until a new leader has acknowledged a write. See
 * docs/benchmarks.md, "Failover".
 */
@Command(name = "bench failover", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a local cluster of real `ballot server` processes under a light write load,",
                "SIGKILLs the leader --kills times (restarting it and waiting until every node has",
                "caught up in between), and reports for each kill the time until a new leader was",
                "seen and until it acknowledged a write. See docs/benchmarks.md, \"Failover\"."})
public final class FailoverBenchmark implements Callable<Integer> {

    /** Marks a directory this benchmark made, so that a later run may empty it. */
    static final String MARKER = ".ballot-bench-failover";

    @Option(names = "--nodes", paramLabel = "N", description = "cluster size, 3..9 (default: ${DEFAULT-VALUE})")
    int nodes = 5;

    @Option(names = "--kills", paramLabel = "K", description = "how many times to kill the leader (default: ${DEFAULT-VALUE})")
    int kills = 20;

    @Option(names = "--tick-ms", paramLabel = "MS",
            description = "passed to every `ballot server` (default: the server's, 20)")
    Integer tickMs;

    @Option(names = "--election-ticks", paramLabel = "N",
            description = "passed to every `ballot server`: election timeout in ticks, randomised up to twice this "
                    + "(default: the server's, 15)")
    Integer electionTicks;

    @Option(names = "--heartbeat-ticks", paramLabel = "N",
            description = "passed to every `ballot server` (default: the server's, 5)")
    Integer heartbeatTicks;

    @Option(names = "--no-fsync", description = "start the nodes with --no-fsync")
    boolean noFsync;

    @Option(names = "--warmup", paramLabel = "SECONDS",
            description = "probe load before the first kill (default: ${DEFAULT-VALUE})")
    int warmupSeconds = 5;

    @Option(names = "--settle-ms", paramLabel = "MS",
            description = "pause after the cluster has caught up, before the next kill (default: ${DEFAULT-VALUE})")
    int settleMillis = 1000;

    @Option(names = "--probe-interval-ms", paramLabel = "MS",
            description = "one probe SET to each live node every MS (default: ${DEFAULT-VALUE})")
    int probeIntervalMillis = 10;

    @Option(names = "--poll-ms", paramLabel = "MS",
            description = "status poll interval per node while waiting for the new leader (default: ${DEFAULT-VALUE})")
    int pollMillis = 5;

    @Option(names = "--failover-timeout-s", paramLabel = "S",
            description = "give up on one failover after S seconds without an acknowledged write (default: ${DEFAULT-VALUE})")
    int failoverTimeoutSeconds = 30;

    @Option(names = "--base-dir", paramLabel = "DIR",
            description = "node N keeps its data in DIR/N/data and its log in DIR/N/node.log; emptied at the start "
                    + "if an earlier run of this benchmark made it (default: ${DEFAULT-VALUE})")
    Path baseDir = Path.of("data", "bench-failover");

    @Option(names = "--peer-port-base", paramLabel = "PORT", description = "node N's peer port is this + N - 1 (default: ${DEFAULT-VALUE})")
    int peerPortBase = 27101;

    @Option(names = "--redis-port-base", paramLabel = "PORT", description = "node N's RESP port is this + N - 1 (default: ${DEFAULT-VALUE})")
    int redisPortBase = 26401;

    @Option(names = "--http-port-base", paramLabel = "PORT", description = "node N's HTTP port is this + N - 1 (default: ${DEFAULT-VALUE})")
    int httpPortBase = 28401;

    @Option(names = "--json", paramLabel = "FILE", description = "also write settings, samples and summary as JSON")
    Path json;

    private final PrintStream out;

    public FailoverBenchmark(PrintStream out) {
        this.out = out;
    }

    /** The effective settings, checked the way `ballot server` checks them; an error names the flag. */
    FailoverSettings settings() {
        require(nodes >= 3 && nodes <= ClusterLayout.MAX_NODES, "--nodes must be 3.." + ClusterLayout.MAX_NODES
                + " (a leader's failure needs a majority left), was " + nodes);
        require(kills >= 1, "--kills must be >= 1, was " + kills);
        require(warmupSeconds >= 0, "--warmup must be >= 0, was " + warmupSeconds);
        require(settleMillis >= 0, "--settle-ms must be >= 0, was " + settleMillis);
        require(probeIntervalMillis >= 1, "--probe-interval-ms must be >= 1, was " + probeIntervalMillis);
        require(pollMillis >= 1, "--poll-ms must be >= 1, was " + pollMillis);
        require(failoverTimeoutSeconds >= 1, "--failover-timeout-s must be >= 1, was " + failoverTimeoutSeconds);
        ServerSettings server = new ServerSettings();
        List<String> flags = serverFlags();
        for (int i = 0; i < flags.size(); i += 2) {
            server.put(flags.get(i).substring(2), flags.get(i + 1), flags.get(i));
        }
        RaftServerConfig raft = server.toConfig().raft(); // the server's own checks and defaults
        return new FailoverSettings(nodes, kills, Math.toIntExact(raft.tickInterval().toMillis()), raft.electionTicks(),
                raft.heartbeatTicks(), tickMs == null && electionTicks == null && heartbeatTicks == null, !noFsync,
                Duration.ofSeconds(warmupSeconds), Duration.ofMillis(probeIntervalMillis), Duration.ofMillis(pollMillis),
                Duration.ofMillis(settleMillis), Duration.ofSeconds(failoverTimeoutSeconds), baseDir.toAbsolutePath());
    }

    /** The timeout flags given, as `ballot server` flags: name, value, name, value... */
    List<String> serverFlags() {
        List<String> flags = new ArrayList<>();
        if (tickMs != null) flags.addAll(List.of("--tick-ms", tickMs.toString()));
        if (electionTicks != null) flags.addAll(List.of("--election-ticks", electionTicks.toString()));
        if (heartbeatTicks != null) flags.addAll(List.of("--heartbeat-ticks", heartbeatTicks.toString()));
        return flags;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        FailoverSettings settings = settings();
        ClusterLayout layout = new ClusterLayout(nodes, settings.baseDir(), "127.0.0.1", peerPortBase, redisPortBase,
                httpPortBase, settings.fsync());
        List<ClusterLayout.Port> busy = LocalCluster.busyPorts(layout);
        if (!busy.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (ClusterLayout.Port p : busy) {
                b.append(String.format("port %d (%s) is already in use on 127.0.0.1; stop what uses it (`ss -ltnp | grep %d`)"
                        + " or move it with %s%n", p.port(), p.purpose(), p.port(), p.flag()));
            }
            throw new IllegalArgumentException(b.toString().strip());
        }
        prepareBaseDir(settings.baseDir());
        out.print(FailoverReport.settings(settings));
        out.println("machine:  " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + ", Java " + Runtime.version() + (loadAverage().isEmpty() ? "" : ", " + loadAverage()));
        out.flush();
        List<FailoverSample> samples;
        try (LocalCluster cluster = new LocalCluster(layout, serverFlags(), LocalCluster.currentJava(),
                System.getProperty("java.class.path"));
             WriteProber prober = new WriteProber("127.0.0.1", settings.probeInterval(), Duration.ofSeconds(10), 1000)) {
            out.println("node 1:   " + String.join(" ", cluster.command(1)));
            out.printf("starting %d nodes...%n", nodes);
            out.flush();
            cluster.startAll(Duration.ofSeconds(60));
            samples = new FailoverRun(cluster, prober, settings, out).run();
        }
        out.print(FailoverReport.summary(settings, samples));
        if (!loadAverage().isEmpty()) out.println("machine at the end: " + loadAverage());
        if (json != null) {
            Files.writeString(json, FailoverReport.json(settings, samples) + System.lineSeparator(), StandardCharsets.UTF_8);
            out.println("JSON: " + json.toAbsolutePath());
        }
        return samples.stream().allMatch(FailoverSample::acked) ? 0 : 1;
    }

    /** Creates {@code dir}, or empties it if an earlier run made it; refuses any other non-empty directory. */
    static void prepareBaseDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty) {
                if (!Files.exists(dir.resolve(MARKER))) {
                    throw new IllegalArgumentException("--base-dir " + dir + " is not empty and was not made by this "
                            + "benchmark (no " + MARKER + " in it); choose another directory or empty it yourself");
                }
                try (Stream<Path> all = Files.walk(dir)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        if (!p.equals(dir)) Files.delete(p);
                    }
                }
            }
        } else if (Files.exists(dir)) {
            throw new IllegalArgumentException("--base-dir " + dir + " exists and is not a directory");
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by ./ballot bench failover; emptied by its next run\n");
    }

    /** "load average 1.2 0.9 0.8" from /proc/loadavg (Linux), or "" where there is none. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f.length >= 3 ? "load average " + f[0] + " " + f[1] + " " + f[2] : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new FailoverBenchmark(System.out));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("bench failover: " + e.getMessage());
                return 2;
            }
            if (e instanceof IllegalStateException) {
                commandLine.getErr().println("bench failover: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
