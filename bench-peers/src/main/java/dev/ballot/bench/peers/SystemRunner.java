package dev.ballot.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The child JVM: runs one system through every K and writes a {@link SystemResult} as JSON. The
 * launcher ({@link PeersBench}) starts one of these per system; it can also be run by hand.
 */
@Command(name = "bench-peers-run", mixinStandardHelpOptions = true,
        description = "Runs one Raft system (3 nodes in this JVM) through a closed loop of K writes per K.")
public final class SystemRunner implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(SystemRunner.class);

    @Option(names = "--system", required = true, description = "one of ${COMPLETION-CANDIDATES}",
            completionCandidates = SystemNames.class)
    String system;

    @Option(names = "--k", split = ",", defaultValue = "1,16,64,256", description = "writes in flight, one run per value")
    List<Integer> ks;

    @Option(names = "--warmup", description = "seconds of warm-up before the first K (default: 60 for ratis, 10 otherwise)")
    Integer warmupSeconds;

    @Option(names = "--k-warmup", defaultValue = "5", description = "seconds of warm-up before each later K")
    int kWarmupSeconds;

    @Option(names = "--duration", defaultValue = "20", description = "measured seconds per K")
    int durationSeconds;

    @Option(names = "--payload", defaultValue = "128", description = "bytes per write")
    int payloadBytes;

    @Option(names = "--data-dir", required = true, description = "where the nodes keep their files (node-1, node-2, node-3)")
    Path dataDir;

    @Option(names = "--out", required = true, description = "the JSON result file")
    Path out;

    @Option(names = "--fsync-markers", description = "fsync marker files around each measured window (for --verify-fsync)")
    boolean markers;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SystemRunner()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dataDir);
        Duration warmup = warmupSeconds != null ? Duration.ofSeconds(warmupSeconds) : Systems.defaultWarmup(system);
        double loadBefore = load();
        List<KResult> results = new ArrayList<>();
        String failure = null;
        String check;
        RaftSystem s = Systems.create(system);
        long acked = 0;
        long maxCounter = 0;
        try {
            log.info("{}: starting 3 nodes under {}", system, dataDir);
            long t0 = System.nanoTime();
            s.start(dataDir);
            log.info("{}: leader ready after {} ms", system, (System.nanoTime() - t0) / 1_000_000);
            for (int i = 0; i < ks.size(); i++) {
                int k = ks.get(i);
                Duration w = i == 0 ? warmup : Duration.ofSeconds(kWarmupSeconds);
                log.info("{}: K={} warm-up {} s, measure {} s", system, k, w.toSeconds(), durationSeconds);
                long[] terms = new long[2];
                ClosedLoop.Phases phases = new ClosedLoop.Phases() {
                    @Override public void measureStarts() {
                        terms[0] = s.term();
                        if (markers) FsyncMarker.mark(dataDir, FsyncMarker.begin(k));
                    }

                    @Override public void measureEnds() {
                        if (markers) FsyncMarker.mark(dataDir, FsyncMarker.end(k));
                        terms[1] = s.term();
                    }
                };
                ClosedLoop.Outcome o = new ClosedLoop(s, k, payloadBytes, 42 + k)
                        .run(w, Duration.ofSeconds(durationSeconds), phases);
                acked += o.acked();
                maxCounter = Math.max(maxCounter, o.maxCounter());
                KResult r = KResult.of(k, o, markers, terms[1] - terms[0]);
                results.add(r);
                log.info("{}: K={} {} writes/s, p50 {} ms, p99 {} ms, p99.9 {} ms, errors {}", system, k,
                        Math.round(r.writesPerSecond()), fmt(r.p50Ms()), fmt(r.p99Ms()), fmt(r.p999Ms()), r.errors());
            }
        } catch (Exception | Error e) {
            failure = e.toString();
            log.error("{}: failed", system, e);
        } finally {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.warn("{}: error while closing", system, e);
            }
        }
        // The counter runs on the leader: every acknowledged write must have a distinct value, so
        // the highest value returned is at least the number acknowledged (equal when nothing failed).
        check = acked == 0 ? "no writes were acknowledged"
                : maxCounter >= acked
                ? "ok: " + acked + " acknowledged writes, highest counter value returned " + maxCounter
                : "FAILED: " + acked + " acknowledged writes but the highest counter value returned is " + maxCounter;
        SystemResult result = new SystemResult(system, s.label(), s.settings(), results, check, failure,
                loadBefore, load());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        return failure == null && check.startsWith("ok") ? 0 : 1;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String fmt(double ms) {
        return String.format("%.2f", ms);
    }

    /** For picocli's completion candidates. */
    static final class SystemNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        SystemNames() {
            super(Systems.ALL);
        }
    }
}
