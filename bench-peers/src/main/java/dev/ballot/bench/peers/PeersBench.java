package dev.ballot.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./ballot bench peers}: runs each system in its own child JVM ({@link SystemRunner}), one
 * after the other, and writes the tables, {@code results.csv}, {@code results.json} and
 * {@code writes-per-second.svg} into the results directory. With {@code --verify-fsync} each
 * child runs under strace instead, briefly, and the report counts syncs per write per node.
 */
@Command(name = "bench peers", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Side by side: 3-node clusters of Ballot and other Java Raft libraries, each in its own JVM, "
                + "loopback TCP, fsync on, the same counter state machine, a closed loop of K writes on the leader.")
public final class PeersBench implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(PeersBench.class);

    @Option(names = "--systems", split = ",", description = "which systems, in order (default: all: ${DEFAULT-VALUE})",
            defaultValue = "ballot,ratis,jraft,microraft,jgroups-raft")
    List<String> systems;

    @Option(names = "--k", split = ",", description = "writes in flight, one measurement per value (default 1,16,64,256; 1 with --verify-fsync)")
    List<Integer> ks;

    @Option(names = "--warmup", description = "seconds of warm-up before the first K, all systems but Ratis (default 10; 3 with --verify-fsync)")
    Integer warmup;

    @Option(names = "--ratis-warmup", description = "seconds of warm-up before the first K for Ratis (default 60; 3 with --verify-fsync)")
    Integer ratisWarmup;

    @Option(names = "--k-warmup", defaultValue = "5", description = "seconds of warm-up before each later K (default ${DEFAULT-VALUE})")
    int kWarmup;

    @Option(names = "--duration", description = "measured seconds per K (default 20; 5 with --verify-fsync)")
    Integer duration;

    @Option(names = "--payload", defaultValue = "128", description = "bytes per write (default ${DEFAULT-VALUE})")
    int payload;

    @Option(names = "--results", description = "where results go (default bench-peers/results/<date-time>)")
    Path results;

    @Option(names = "--data-dir", description = "where the nodes' files go (default: a new directory in java.io.tmpdir)")
    Path dataDir;

    @Option(names = "--keep-data", description = "keep the nodes' files after each system")
    boolean keepData;

    @Option(names = "--jvm-opts", defaultValue = "-Xms2g -Xmx2g -XX:+UseG1GC",
            description = "options for each system's JVM (default: ${DEFAULT-VALUE})")
    String jvmOpts;

    @Option(names = "--note", defaultValue = "", description = "a line for the tables and the chart, e.g. 'smoke run'")
    String note;

    @Option(names = "--verify-fsync", description = "run each system briefly under strace and count fsync/fdatasync per write per node")
    boolean verifyFsync;

    @Option(names = "--strace", defaultValue = "/usr/bin/strace", description = "strace binary for --verify-fsync (default ${DEFAULT-VALUE})")
    Path strace;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PeersBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (String s : systems) { // fail now on an unknown name, not after an hour
            if (!Systems.ALL.contains(s)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--systems: unknown system '" + s + "'; known: " + String.join(",", Systems.ALL));
            }
        }
        List<Integer> kList = ks != null ? ks : verifyFsync ? List.of(1) : List.of(1, 16, 64, 256);
        int measure = duration != null ? duration : verifyFsync ? 5 : 20;
        if (verifyFsync && !Files.isExecutable(strace)) {
            throw new CommandLine.ParameterException(new CommandLine(this), strace + " is not executable; "
                    + "--verify-fsync needs strace (apt-get install strace) or --strace PATH");
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = results != null ? results
                : Path.of("bench-peers", "results", stamp + (verifyFsync ? "-verify-fsync" : ""));
        Files.createDirectories(out);
        Path data = dataDir != null ? dataDir : Files.createTempDirectory("ballot-bench-peers-");
        Files.createDirectories(data);
        MachineInfo machine = MachineInfo.collect(data);
        if (machine.dataDirFileSystem().startsWith("tmpfs")) {
            log.warn("the data directory {} is on tmpfs: fsync costs nothing there; use --data-dir on a disk", data);
        }
        log.info("results in {}, node data in {} ({})", out, data, machine.dataDirFileSystem());

        List<SystemResult> done = new ArrayList<>();
        Map<String, Map<Integer, FsyncTrace.Window>> traces = new LinkedHashMap<>();
        StringBuilder fsyncReport = new StringBuilder();
        for (String system : systems) {
            int w = system.equals("ratis")
                    ? (ratisWarmup != null ? ratisWarmup : verifyFsync ? 3 : (int) Systems.defaultWarmup(system).toSeconds())
                    : (warmup != null ? warmup : verifyFsync ? 3 : (int) Systems.defaultWarmup(system).toSeconds());
            Path systemData = data.resolve(system);
            Path json = out.resolve(system + ".json");
            Path childLog = out.resolve(system + ".log");
            Path trace = out.resolve(system + ".strace");
            List<String> cmd = childCommand(system, kList, w, measure, systemData, json, out);
            if (verifyFsync) {
                List<String> traced = new ArrayList<>(List.of(strace.toString(), "-f", "--seccomp-bpf", "-qq", "-y",
                        "-e", "trace=" + FsyncTrace.TRACED, "-e", "signal=none", "-o", trace.toString()));
                traced.addAll(cmd);
                cmd = traced;
            }
            long budget = w + (long) (kList.size() - 1) * kWarmup + (long) kList.size() * measure + 180;
            if (verifyFsync) budget *= 3;
            log.info("{}: running (warm-up {} s, {} x {} s measured; about {} s; log {})", system, w, kList.size(),
                    measure, w + (kList.size() - 1) * kWarmup + kList.size() * measure + 10, childLog);
            SystemResult r = runChild(system, cmd, childLog, json, Duration.ofSeconds(budget));
            done.add(r);
            for (KResult k : r.results()) {
                log.info("{}: K={} {} writes/s, p50 {} ms, p99 {} ms, p99.9 {} ms", system, k.k(),
                        Math.round(k.writesPerSecond()), round(k.p50Ms()), round(k.p99Ms()), round(k.p999Ms()));
            }
            if (r.failure() != null) log.warn("{}: {}", system, r.failure());
            if (verifyFsync && Files.exists(trace)) {
                Map<Integer, FsyncTrace.Window> windows = FsyncTrace.parse(trace, kList);
                traces.put(system, windows);
                String text = Report.fsync(r, windows);
                fsyncReport.append(text).append('\n');
                System.out.print(text);
            }
            if (!keepData) deleteTree(systemData);
        }
        if (dataDir == null && !keepData) deleteTree(data);

        String header = String.format("3 nodes in one JVM per system, loopback TCP, %d-byte writes, fsync on, %d s measured%s",
                payload, measure, verifyFsync ? ", UNDER STRACE (slow)" : "") + (note.isBlank() ? "" : "; " + note);
        String tables = Report.tables(kList, done, header);
        System.out.print(tables);
        Files.writeString(out.resolve("results.txt"), machineText(machine) + tables);
        Files.writeString(out.resolve("results.csv"), Report.csv(done));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("started", stamp);
        all.put("machine", machine);
        all.put("options", Map.of("systems", systems, "k", kList, "warmupSeconds", warmup != null ? warmup : 10,
                "ratisWarmupSeconds", ratisWarmup != null ? ratisWarmup : 60, "kWarmupSeconds", kWarmup,
                "durationSeconds", measure, "payloadBytes", payload, "jvmOpts", jvmOpts, "verifyFsync", verifyFsync,
                "note", note));
        all.put("systems", done);
        if (verifyFsync) all.put("fsync", traces);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), all);
        if (verifyFsync) {
            Files.writeString(out.resolve("fsync.txt"), fsyncReport.toString());
        } else {
            String subtitle = machine.cores() + " cores (" + machine.cpu() + "), " + machine.dataDirFileSystem()
                    + ", " + stamp + (note.isBlank() ? "" : " — " + note);
            Files.writeString(out.resolve("writes-per-second.svg"), SvgChart.render(
                    "Writes/s, 3-node clusters, " + payload + " B writes, fsync on", subtitle, kList, done));
        }
        log.info("wrote {}", out.toAbsolutePath());
        boolean ok = done.stream().allMatch(r -> r.failure() == null && r.check().startsWith("ok"));
        return ok ? 0 : 1;
    }

    private List<String> childCommand(String system, List<Integer> kList, int warm, int measure, Path systemData,
                                      Path json, Path out) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : jvmOpts.trim().split("\\s+")) if (!o.isEmpty()) cmd.add(o);
        if (Runtime.version().feature() >= 24) {
            // Keeps the libraries' use of sun.misc.Unsafe and JNI from printing warnings; changes nothing else.
            cmd.add("--sun-misc-unsafe-memory-access=allow");
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-Djava.net.preferIPv4Stack=true");                         // JGroups on 127.0.0.1
        cmd.add("-Dlogging.path=" + out.resolve("sofa-logs").toAbsolutePath()); // Bolt's own log files
        String commit = System.getProperty("ballot.commit");
        if (commit != null) cmd.add("-Dballot.commit=" + commit);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SystemRunner.class.getName());
        cmd.addAll(List.of("--system", system, "--k", join(kList), "--warmup", String.valueOf(warm),
                "--k-warmup", String.valueOf(kWarmup), "--duration", String.valueOf(measure),
                "--payload", String.valueOf(payload), "--data-dir", systemData.toAbsolutePath().toString(),
                "--out", json.toAbsolutePath().toString()));
        if (verifyFsync) cmd.add("--fsync-markers");
        return cmd;
    }

    private static SystemResult runChild(String system, List<String> cmd, Path childLog, Path json, Duration budget)
            throws IOException, InterruptedException {
        Files.deleteIfExists(json);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
        if (!p.waitFor(budget.toSeconds(), TimeUnit.SECONDS)) {
            log.error("{}: still running after {} s; killing it", system, budget.toSeconds());
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (Files.exists(json)) {
            return new ObjectMapper().readValue(json.toFile(), SystemResult.class);
        }
        return new SystemResult(system, system, "", List.of(), "not run",
                "the child JVM exited with " + (p.isAlive() ? "no exit (killed)" : p.exitValue())
                        + " and wrote no result; see " + childLog, 0, 0);
    }

    private static String machineText(MachineInfo m) {
        return "machine: " + m.cores() + " cores, " + m.cpu() + ", " + m.memory() + ", " + m.os() + "\n"
                + "java:    " + m.java() + "\n"
                + "data:    " + m.dataDir() + " on " + m.dataDirFileSystem() + "\n"
                + "load average at start: " + m.loadAverage() + "\n";
    }

    private static String join(List<Integer> values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append(v);
        }
        return sb.toString();
    }

    private static String round(double ms) {
        return String.format("%.2f", ms);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
