package dev.ballot.testkit.sim.runtime;

import dev.ballot.kv.ReadMode;
import dev.ballot.kv.server.KvService;
import dev.ballot.node.NodeStatus;
import dev.ballot.node.RaftServerConfig;
import dev.ballot.node.SnapshotPolicy;
import dev.ballot.node.RuntimeSabotage;
import dev.ballot.storage.StorageOptions;
import dev.ballot.testkit.lin.CheckResult;
import dev.ballot.testkit.lin.LinearizabilityChecker;
import dev.ballot.testkit.lin.Verdict;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * One full-runtime simulation run (docs/simulator.md): a cluster of production nodes
 * ({@code RaftServer} + KV state machine + the RESP connection handlers) in virtual time, with
 * only the loop, the network, the disk and the clock simulated; pipelining Redis clients on every
 * node; a nemesis during the fault window; then everything healed and the checks: Raft's
 * invariants after every event, convergence, equal replica digests, acknowledged writes present
 * once, each connection's writes in order, and the client history linearizable. A pure function
 * of the seed and the options.
 */
public final class RuntimeSimulation {

    /**
     * @param nodes       cluster size
     * @param faultMillis length of the fault window (virtual ms); clients issue commands during it
     * @param clients     number of clients, 0 for 2–4 chosen by the seed (each pipelines 1–3 commands)
     * @param workload    null for one chosen by the seed
     * @param readMode    {@link ReadMode#UNSAFE_LOCAL} only to show the checks catch stale reads
     * @param linBudget   time the linearizability checker may take per run
     * @param sabotage    runtime defects to put back (tests that show the checks catch them); empty normally
     * @param brokenDisk  simulated disks that lie on purpose (to show the checks see lost or unsynced
     *                    state); empty normally
     */
    public record Options(int nodes, long faultMillis, int clients, Workload workload, ReadMode readMode,
                          Duration linBudget, Set<RuntimeSabotage> sabotage, Set<BrokenDisk> brokenDisk) {
        public Options {
            sabotage = Set.copyOf(sabotage);
            brokenDisk = Set.copyOf(brokenDisk);
        }

        public static Options defaults() {
            return new Options(5, 2000, 0, null, ReadMode.LINEARIZABLE, Duration.ofSeconds(1), Set.of(), Set.of());
        }

        public Options withNodes(int n) {
            return new Options(n, faultMillis, clients, workload, readMode, linBudget, sabotage, brokenDisk);
        }

        public Options withFaultMillis(long ms) {
            return new Options(nodes, ms, clients, workload, readMode, linBudget, sabotage, brokenDisk);
        }

        public Options withWorkload(Workload w) {
            return new Options(nodes, faultMillis, clients, w, readMode, linBudget, sabotage, brokenDisk);
        }

        public Options withLinBudget(Duration budget) {
            return new Options(nodes, faultMillis, clients, workload, readMode, budget, sabotage, brokenDisk);
        }

        public Options withReadMode(ReadMode m) {
            return new Options(nodes, faultMillis, clients, workload, m, linBudget, sabotage, brokenDisk);
        }

        public Options withBrokenDisk(BrokenDisk b) {
            java.util.EnumSet<BrokenDisk> all = java.util.EnumSet.of(b);
            all.addAll(brokenDisk);
            return new Options(nodes, faultMillis, clients, workload, readMode, linBudget, sabotage, all);
        }

        public Options withSabotage(RuntimeSabotage s) {
            java.util.EnumSet<RuntimeSabotage> all = java.util.EnumSet.noneOf(RuntimeSabotage.class);
            all.addAll(sabotage);
            all.add(s);
            return new Options(nodes, faultMillis, clients, workload, readMode, linBudget, all, brokenDisk);
        }
    }

    static final long MS = 1_000_000L;
    /** Small segments, preallocated as in production, so runs roll segments and stay small in memory. */
    static final long SEGMENT_BYTES = 256 * 1024;
    /** Segments of snapshotting runs: small, so compaction drops some within a run. */
    static final long SNAPSHOT_SEGMENT_BYTES = 4096;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final long WARM_UP = 300 * MS;
    private static final long SETTLE_LIMIT = 30_000 * MS;

    private final long seed;
    private final Options options;
    private final SplittableRandom random;
    private final Scheduler scheduler = new Scheduler();
    private final NodeEvents events = new NodeEvents(scheduler);
    private final SimNet net;
    private final List<RuntimeNode> nodes = new ArrayList<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final Map<Long, SimLogWriter.DiskTiming> timings = new HashMap<>();
    private final Set<Long> diskFaults = new HashSet<>();
    private final ClientHistory history = new ClientHistory(scheduler);
    private final RuntimeInvariants invariants;
    private final RuntimeNemesis nemesis;
    private final Workload workload;
    private final SimClient.Settings clientSettings;
    private final SnapshotPolicy snapshots;
    private RuntimeViolation violation;
    private String finalDigest = "none";

    private RuntimeSimulation(long seed, Options options) {
        this.seed = seed;
        this.options = options;
        this.random = new SplittableRandom(seed);
        this.net = new SimNet(scheduler, random.split(), events);
        this.invariants = new RuntimeInvariants(nodes, net, events);
        RuntimeNode.Checks checks = new RuntimeNode.Checks(new PersistBeforeSend(this::report),
                new ReadIndexCheck(invariants::highestCommitted, this::report));
        this.workload = options.workload() != null ? options.workload()
                : Workload.values()[random.nextInt(Workload.values().length)];
        this.clientSettings = new SimClient.Settings(2 + random.nextInt(3), 3_000 * MS, 40 * MS, 20 * MS,
                50_000, 300_000);
        this.nemesis = new RuntimeNemesis(scheduler, random.split(), nodes, timings, net, clients, events, diskFaults);
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= options.nodes(); id++) ids.add(id);
        this.snapshots = snapshotPolicy(seed);
        long segmentBytes = snapshots == SnapshotPolicy.DEFAULTS ? SEGMENT_BYTES : SNAPSHOT_SEGMENT_BYTES;
        for (long id : ids) {
            RaftServerConfig config = RaftServerConfig.of(id, ids, Path.of("/node-" + id))
                    .withStorage(StorageOptions.DEFAULTS.withSegmentBytes(segmentBytes))
                    .withSnapshots(snapshots)
                    .withRequestTimeout(REQUEST_TIMEOUT);
            SimLogWriter.DiskTiming timing = new SimLogWriter.DiskTiming();
            timings.put(id, timing);
            nodes.add(new RuntimeNode(id, config, scheduler, net, random.split(), timing, options.readMode(),
                    options.sabotage(), options.brokenDisk(), this::stoppedItself, checks));
        }
    }

    /**
     * Two runs in three snapshot and compact at a tiny threshold (every 2 to 64 entries, a few or
     * no entries kept behind, small segments, small chunks and windows), so followers need
     * snapshots often, under every fault; the rest never do. Drawn from a stream of its own, so
     * the rest of a seed's run is chosen as before.
     */
    private static SnapshotPolicy snapshotPolicy(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5EED_5AA9_5EED_5AA9L);
        if (r.nextInt(3) == 0) return SnapshotPolicy.DEFAULTS;
        return SnapshotPolicy.DEFAULTS.withThresholds(2 + r.nextInt(63), 0)
                .withCatchUpEntries(r.nextBoolean() ? 0 : r.nextInt(17))
                .withChunks(64 + r.nextInt(2048), 1 + r.nextInt(4));
    }

    /** Runs the simulation for {@code seed}. */
    public static RuntimeRunResult run(long seed, Options options) {
        return new RuntimeSimulation(seed, options).run();
    }

    /** The command that replays this run. */
    public static String replayCommand(long seed, Options o) {
        return "./ballot simulate --runtime --seed " + seed + " --nodes " + o.nodes() + " --fault-ms " + o.faultMillis()
                + (o.workload() != null ? " --workload " + o.workload().name().toLowerCase() : "")
                + (o.readMode() == ReadMode.UNSAFE_LOCAL ? " --unsafe-local-reads" : "")
                + (o.linBudget().equals(Options.defaults().linBudget()) ? "" : " --lin-budget-ms " + o.linBudget().toMillis())
                + o.sabotage().stream().sorted().map(s -> " --sabotage " + s.name().toLowerCase().replace('_', '-'))
                        .collect(java.util.stream.Collectors.joining())
                + o.brokenDisk().stream().sorted().map(b -> " --sabotage " + b.flag())
                        .collect(java.util.stream.Collectors.joining());
    }

    private RuntimeRunResult run() {
        boolean linUnknown = false;
        try {
            long faultEnd = WARM_UP + options.faultMillis() * MS;
            scheduler.afterEach(this::afterEvent);
            for (RuntimeNode n : nodes) scheduler.at(random.nextInt(30) * MS, () -> nemesis.boot(n));
            int count = options.clients() > 0 ? options.clients() : 2 + random.nextInt(3);
            for (int c = 0; c < count; c++) {
                SimClient client = new SimClient(c + 1, scheduler, nodes, history, random.split(), clientSettings,
                        workload, 1 + random.nextInt(3), events, this::protocolError);
                clients.add(client);
                scheduler.at((10 + random.nextInt(50)) * MS, () -> client.start(faultEnd));
            }
            nemesis.start(WARM_UP, faultEnd);
            scheduler.at(faultEnd, nemesis::healAll);
            scheduler.runUntil(faultEnd);
            settle("the cluster did not converge within 30 s after every fault was healed");
            finalReads();
            settle("the final reads did not finish");
            checkReplicas();
            CheckResult lin = LinearizabilityChecker.check(history.events(), workload.model(), options.linBudget());
            String debug = System.getProperty("ballot.sim.debug");
            if (debug != null) {
                for (var e : history.events()) { // refused operations are not shown
                    String line = e + " " + history.origin(e.process());
                    if (line.matches(debug)) System.err.println(line);
                }
            }
            if (lin.verdict() == Verdict.NOT_LINEARIZABLE) {
                throw new RuntimeViolation("linearizability", lin.explanation() + "\n" + origins(lin.explanation()));
            }
            linUnknown = lin.verdict() == Verdict.UNKNOWN;
            return result(null, String.format("seed %d: ok (%s, %d nodes, %d clients, %d ops, %d faults, %s)", seed,
                    workload.name().toLowerCase(), nodes.size(), clients.size(), ops(),
                    nemesis.faults(), describeSnapshots()), linUnknown);
        } catch (RuntimeViolation v) {
            return result(v.check(), report(v.getMessage()), linUnknown);
        } catch (RuntimeException | Error e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            return result("exception", report("an exception escaped the runtime: " + trace), linUnknown);
        }
    }

    /** Who ran the processes an explanation names (times in it are virtual nanoseconds). */
    private String origins(String explanation) {
        java.util.TreeSet<Integer> processes = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("process (\\d+)").matcher(explanation);
        while (m.find()) processes.add(Integer.parseInt(m.group(1)));
        StringBuilder sb = new StringBuilder("processes (one per operation):");
        for (int p : processes) sb.append("\n  process ").append(p).append(": ").append(history.origin(p));
        return sb.toString();
    }

    private long ops() {
        return history.okCount() + history.failedCount() + history.unknownCount();
    }

    private RuntimeRunResult result(String failed, String detail, boolean linUnknown) {
        return new RuntimeRunResult(seed, failed, detail, ops(), history.okCount(), history.unknownCount(),
                nemesis.faults(), invariants.elections(), invariants.highestCommitted(), scheduler.executed(),
                linUnknown, history.fingerprint() + "/" + finalDigest, invariants.snapshotRestores());
    }

    private String describeSnapshots() {
        return snapshots == SnapshotPolicy.DEFAULTS ? "no snapshots"
                : "snapshot every " + snapshots.entries() + " entries, " + snapshots.catchUpEntries() + " kept, "
                + snapshots.chunkBytes() + " B chunks x" + snapshots.chunksInFlight() + ", "
                + invariants.snapshotRestores() + " restores";
    }

    private String report(String what) {
        return "seed " + seed + " FAILED: " + what + " (" + describeSnapshots() + ")\n\nlast events (virtual time):\n"
                + events.describe()
                + "\nreplay: " + replayCommand(seed, options) + "\n";
    }

    private void afterEvent() {
        if (violation != null) {
            RuntimeViolation v = violation;
            violation = null;
            throw v;
        }
        invariants.check();
    }

    private void protocolError(String what) {
        report(new RuntimeViolation("client protocol", what));
    }

    /** A check that runs inside a turn failed: the run fails after the event (the first one counts). */
    private void report(RuntimeViolation v) {
        if (violation == null) violation = v;
    }

    /** A node stopped itself (storage failure): expected only after an injected disk fault. */
    private void stoppedItself(long id, Throwable cause) {
        events.add(id, "stopped itself: " + cause);
        if (!diskFaults.remove(id)) {
            report(new RuntimeViolation("unexpected node failure", "node " + id + " stopped itself: " + cause));
        }
        RuntimeNode n = nodes.get((int) id - 1);
        scheduler.after(0, () -> {
            n.crash(true, new Random(random.nextLong()));
            nemesis.restartLater(n);
        });
    }

    /** Runs until every client is idle and every node is up and has applied the same leader's commit. */
    private void settle(String failure) {
        long deadline = scheduler.now() + SETTLE_LIMIT;
        while (!(clients.stream().allMatch(SimClient::idle) && converged())) {
            if (scheduler.now() >= deadline) throw new RuntimeViolation("convergence", failure + ": " + statuses());
            scheduler.runUntil(scheduler.now() + 50 * MS);
        }
    }

    private boolean converged() {
        long leader = -1;
        long applied = -1;
        for (RuntimeNode n : nodes) {
            if (!n.isUp()) return false;
            NodeStatus s = n.status();
            if (s.leaderId() == 0 || (leader != -1 && s.leaderId() != leader)) return false;
            if (s.appliedIndex() != s.commitIndex() || (applied != -1 && s.appliedIndex() != applied)) return false;
            leader = s.leaderId();
            applied = s.appliedIndex();
        }
        return true;
    }

    private String statuses() {
        StringBuilder sb = new StringBuilder();
        for (RuntimeNode n : nodes) {
            if (!n.isUp()) {
                sb.append("\n  node ").append(n.id()).append(": down");
                continue;
            }
            NodeStatus s = n.status();
            sb.append(String.format("%n  node %d: %s term %d leader %d commit %d applied %d last %d", s.id(), s.role(),
                    s.term(), s.leaderId(), s.commitIndex(), s.appliedIndex(), s.lastLogIndex()));
        }
        return sb.toString();
    }

    /** A linearizable GET of every key through a new client, recorded in the history like the others. */
    private void finalReads() {
        SimClient reader = new SimClient(0, scheduler, nodes, history, random.split(), clientSettings, workload,
                clientSettings.keys(), events, this::protocolError);
        clients.add(reader);
        reader.start(scheduler.now());
        for (int k = 0; k < clientSettings.keys(); k++) {
            reader.send(workload.finalRead((workload == Workload.REGISTER ? "r" : "a") + k));
        }
    }

    /** Equal digests at one applied index, and (APPEND) every acknowledged token once, in connection order. */
    private void checkReplicas() {
        KvService.Digest first = null;
        for (RuntimeNode n : nodes) {
            CompletableFuture<KvService.Digest>[] d = new CompletableFuture[1];
            n.loop().inspect(() -> d[0] = n.service().digest());
            KvService.Digest digest = d[0].join();
            if (first == null) {
                first = digest;
                finalDigest = digest.appliedIndex() + ":" + digest.sha256();
            } else if (!first.equals(digest)) {
                throw new RuntimeViolation("replica digests", "node 1 " + first + " but node " + n.id() + " " + digest);
            }
        }
        if (workload == Workload.APPEND) AppendChecks.check(nodes.getFirst(), clientSettings.keys(), history,
                invariants.committedEntries());
    }
}
