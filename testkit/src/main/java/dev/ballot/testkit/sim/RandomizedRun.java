package dev.ballot.testkit.sim;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One randomized run, everything derived from its seed: cluster size (unless fixed), network
 * conditions, fault rates, engine options. Three phases:
 * <ol>
 *   <li><b>chaos</b>: a client proposes and reads while the nemesis crashes, restarts and partitions nodes
 *       and nodes crash in the middle of persisting, for {@code steps} events;</li>
 *   <li><b>settle</b>: heal, make the network reliable, restart everyone;</li>
 *   <li><b>verify</b>: a stable leader must emerge, a final command must be applied by every node,
 *       every acknowledged command must be committed on every node, and a read must be released.</li>
 * </ol>
 * The invariant checker runs after every event throughout.
 */
public final class RandomizedRun {

    /** Events of the chaos phase by default. */
    public static final long DEFAULT_STEPS = 5_000;

    /**
     * @param nodes   cluster size, or 0 to derive it from the seed (3, 5 or 7)
     * @param steps   events in the chaos phase
     * @param verbose  receives every traced event as it happens, or null
     * @param sabotage a deliberate runtime bug, for testing the checker ({@link Sabotage#NONE} normally)
     * @param snapshots whether the seed may turn snapshots and compaction on (off over real storage files)
     */
    public record Options(int nodes, long steps, Consumer<String> verbose, Sabotage sabotage, boolean snapshots) {

        public Options {
            if (nodes < 0) throw new IllegalArgumentException("nodes must be >= 1 (or 0 for random)");
            if (steps < 0) throw new IllegalArgumentException("steps must be >= 0");
            if (sabotage == null) sabotage = Sabotage.NONE;
        }

        public Options(int nodes, long steps, Consumer<String> verbose) {
            this(nodes, steps, verbose, Sabotage.NONE, true);
        }

        public static Options defaults() {
            return new Options(0, DEFAULT_STEPS, null);
        }

        public Options withSabotage(Sabotage s) {
            return new Options(nodes, steps, verbose, s, snapshots);
        }

        /** The same runs with snapshots and compaction off, whatever the seed says. */
        public Options withoutSnapshots() {
            return new Options(nodes, steps, verbose, sabotage, false);
        }
    }

    /**
     * Events allowed after the fault phase. Settling takes a few thousand (a 7-node cluster idles
     * at ~1,500 events per virtual second); far more means a message storm or a livelock.
     */
    static final long SETTLE_EVENT_BUDGET = 100_000;

    private RandomizedRun() {}

    /** The parameters a seed stands for. */
    public static SimParams paramsFor(long seed, Options options) {
        SplittableRandom r = new SplittableRandom(Hashing.mix(seed, 0x9A7A));
        int nodes = options.nodes() != 0 ? options.nodes() : new int[] {3, 5, 7}[r.nextInt(3)];
        // Engine timing: the defaults (15/5 ticks) in most runs, otherwise anything sensible.
        boolean defaultTiming = r.nextInt(4) != 0;
        int electionTicks = defaultTiming ? 15 : 8 + r.nextInt(13);
        int heartbeatTicks = defaultTiming ? 5 : 1 + r.nextInt(electionTicks / 4);
        // One-way delays up to a fifth of the shortest election timeout (10 ms ticks), so that an
        // election (two round trips) fits in it and liveness is a fair expectation.
        int minDelay = r.nextInt(3);
        int maxDelay = Math.min(minDelay + 2 + r.nextInt(29), electionTicks * 10 / 5);
        NetworkConditions network = new NetworkConditions(minDelay, maxDelay, 0, 0, 0, 0);
        EngineOptions engine = EngineOptions.defaults().withTiming(electionTicks, heartbeatTicks)
                .withPreVote(r.nextInt(5) != 0).withCheckQuorum(r.nextInt(5) != 0);
        if (r.nextInt(3) == 0) {
            // Tight flow control: few AppendEntries in flight, a few entries per message and per Ready.
            engine = engine.withLimits(1 + r.nextInt(4), 1 + r.nextInt(120), 1 + r.nextInt(300));
        }
        double persistCrashRate = r.nextBoolean() ? 0 : r.nextDouble() * 0.01;
        int persistDelay = r.nextInt(4);
        boolean asyncReady = r.nextBoolean();
        // Pipelined storage writes (up to 2-4 Readies in flight) in half of the asynchronous runs.
        // Drawn last, so the other parameters of a seed stay what they were before this mode existed.
        int readiesInFlight = asyncReady && r.nextBoolean() ? 2 + r.nextInt(3) : 1;
        // ... over a slower disk (1-6 ms per write), so that Readies do pile up behind a write.
        if (readiesInFlight > 1) persistDelay = 1 + r.nextInt(6);
        // Snapshots and log compaction in two runs of three, every 1-64 entries (tiny thresholds
        // often), drawn from a stream of their own so the other parameters of a seed stay as they were.
        SplittableRandom snaps = new SplittableRandom(Hashing.mix(seed, 0x5A4B));
        int snapshotEvery = snaps.nextInt(3) == 0 || !options.snapshots() ? 0 : 1 << snaps.nextInt(7);
        return new SimParams(seed, nodes, 10, engine, persistDelay, asyncReady, readiesInFlight, network,
                persistCrashRate, 50,
                options.sabotage(), snapshotEvery, replayCommand(seed, options));
    }

    /** The command that replays one seed in the test suite. */
    public static String replayCommand(long seed, Options options) {
        StringBuilder sb = new StringBuilder("./mvnw -B -ntp -pl testkit -am test -Dtest=SimulationReplayTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dballot.sim.seed=").append(seed);
        if (options.nodes() != 0) sb.append(" -Dballot.sim.nodes=").append(options.nodes());
        if (options.steps() != DEFAULT_STEPS) sb.append(" -Dballot.sim.steps=").append(options.steps());
        String sabotage = options.sabotage().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (options.sabotage() != Sabotage.NONE) sb.append(" -Dballot.sim.sabotage=").append(sabotage);
        sb.append("   (or: ./ballot simulate --runs 1 --verbose --seed ").append(seed);
        if (options.nodes() != 0) sb.append(" --nodes ").append(options.nodes());
        if (options.steps() != DEFAULT_STEPS) sb.append(" --steps ").append(options.steps());
        if (options.sabotage() != Sabotage.NONE) sb.append(" --sabotage ").append(sabotage);
        return sb.append(')').toString();
    }

    /** Runs one seed; throws {@link SimulationFailure} on any violation or missing progress. */
    public static RunResult run(long seed, Options options) {
        return run(seed, options, null);
    }

    /** Runs one seed with every node's durable state in real storage files under {@code diskRoot}. */
    public static RunResult run(long seed, Options options, Path diskRoot) {
        if (diskRoot != null && options.snapshots()) {
            throw new IllegalArgumentException("real storage files do not hold the simulation's snapshots yet:"
                    + " run with Options.withoutSnapshots()");
        }
        SimParams params = paramsFor(seed, options);
        Simulation sim = new Simulation(params, diskRoot);
        try {
            return run(seed, options, params, sim);
        } finally {
            if (diskRoot != null) sim.closeDisks();
        }
    }

    private static RunResult run(long seed, Options options, SimParams params, Simulation sim) {
        sim.setEventBudget(options.steps() + SETTLE_EVENT_BUDGET);
        if (options.verbose() != null) sim.trace().setListener(options.verbose());
        SplittableRandom r = new SplittableRandom(Hashing.mix(seed, 0xFA17));

        NetworkConditions clean = params.network();
        NetworkConditions lossy = clean.withLoss(r.nextDouble() * 0.3).withDuplicates(r.nextDouble() * 0.1)
                .withLongDelays(r.nextDouble() * 0.05, clean.maxDelayMillis() + 50 + r.nextInt(400));
        if (r.nextBoolean()) sim.network().setConditions(lossy);
        sim.setAutoRestart(20, 100 + r.nextInt(1500));
        long clientGap = 5 + r.nextInt(50);
        Workload workload = new Workload(sim, sim.newRandom("workload"), 1, clientGap, 5 + r.nextInt(20))
                .withReads(sim.newRandom("reads"), 1, 10 + r.nextInt(100));
        long faultGap = 50 + r.nextInt(700);
        Nemesis nemesis = new Nemesis(sim, sim.newRandom("nemesis"), 10, faultGap, clean, lossy);

        // Phase 1: chaos.
        workload.start();
        nemesis.start();
        sim.runSteps(options.steps());
        workload.stop();
        nemesis.stop();

        // Phases 2 and 3: settle, then liveness and durability of acknowledged commands.
        Harness harness = new Harness(sim);
        harness.settleAndVerify("final", 20_000);
        harness.awaitRead(10_000);

        return new RunResult(seed, params.nodes(), sim.trace().count(), sim.now(), sim.checker().elections(),
                sim.checker().committedIndex(), sim.proposals().accepted(), sim.proposals().acknowledged().size(),
                nemesis.faults(), sim.crashes(), sim.persistCrashes(), sim.pipelinedReadies(), sim.messages().sentTotal(),
                sim.checker().readsReleased(), sim.snapshots().compactions(), sim.snapshots().installed(),
                sim.trace().digest());
    }
}
