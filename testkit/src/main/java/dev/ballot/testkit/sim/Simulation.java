package dev.ballot.testkit.sim;

import dev.ballot.node.ReadyPipeline;

import dev.ballot.raft.Config;
import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;
import dev.ballot.raft.ProposeResult;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.ReadState;
import dev.ballot.raft.Ready;
import dev.ballot.raft.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * A cluster of Raft engines on a simulated network, driven by one seeded discrete-event loop.
 *
 * <p>Each node ticks every {@code tickMillis}; a node with work carries out its {@link Ready} as
 * one event shortly after (persist, then send, then apply, then advance: the Ready contract), or
 * asynchronously: takes it in one event and carries it out in a later one, with up to
 * {@link SimParams#maxReadiesInFlight()} Readies taken before the oldest is persisted;
 * messages arrive after a random delay unless lost or blocked. The {@link InvariantChecker} runs
 * after every event. Faults: {@link #crash}, {@link #restart}, {@link #partition}, network
 * conditions, and crashes in the middle of persisting a Ready.
 *
 * <p>Every failure is a {@link SimulationFailure} naming the seed, the parameters, the invariant
 * and the last events. Not thread-safe: one simulation belongs to one thread.
 */
public final class Simulation {

    private final SimParams params;
    private final EventLoop loop = new EventLoop();
    private final Map<Long, SimNode> nodes = new TreeMap<>();
    private final List<Long> ids;
    private final SimNetwork network;
    private final InvariantChecker checker;
    private final Trace trace;
    private final Proposals proposals = new Proposals();
    private final MessageStats messages = new MessageStats();
    private final SimSnapshots snapshots = new SimSnapshots(this);
    private final RandomGenerator random;
    private double crashDuringPersistRate;
    private long autoRestartMinMillis;
    private long autoRestartMaxMillis;
    private long eventBudget = Long.MAX_VALUE;
    private long crashes;
    private long persistCrashes;
    private long pipelinedReadies;
    private long restarts;
    private long partitions;
    /** Contexts of reads, unique over the whole run (the checker relies on it). */
    private long readContexts;

    public Simulation(SimParams params) {
        this(params, null);
    }

    /**
     * A simulation whose nodes keep their durable state in real storage files under
     * {@code diskRoot} (one directory per node), reopened at every boot; null keeps it in memory.
     * Call {@link #closeDisks()} when done.
     */
    public Simulation(SimParams params, Path diskRoot) {
        this.params = params;
        List<Long> all = new ArrayList<>();
        for (long id = 1; id <= params.nodes(); id++) all.add(id);
        this.ids = List.copyOf(all);
        Set<Long> voters = new LinkedHashSet<>(ids);
        for (long id : ids) {
            Config c = params.engine().toConfig(id, voters);
            SimNode node = new SimNode(c);
            if (diskRoot != null) node.store().attachDisk(diskRoot.resolve("n" + id));
            nodes.put(id, node);
        }
        this.network = new SimNetwork(newRandom("network"), params.network());
        this.random = newRandom("simulation");
        this.checker = new InvariantChecker(new ArrayList<>(nodes.values()));
        this.trace = new Trace(params.traceCapacity());
        this.crashDuringPersistRate = params.crashDuringPersistRate();
        guard(() -> {
            for (SimNode n : nodes.values()) boot(n);
        });
    }

    /** Closes the storage files of every node (for simulations over real storage). */
    public void closeDisks() {
        for (SimNode n : nodes.values()) n.store().closeDisk();
    }

    // ---------------------------------------------------------------- accessors

    public SimParams params() {
        return params;
    }

    public long seed() {
        return params.seed();
    }

    /** Virtual time in milliseconds. */
    public long now() {
        return loop.now();
    }

    /** Node ids, 1..n. */
    public List<Long> ids() {
        return ids;
    }

    public SimNode node(long id) {
        SimNode n = nodes.get(id);
        if (n == null) throw new IllegalArgumentException("no node " + id + " (ids are " + ids + ")");
        return n;
    }

    public SimNetwork network() {
        return network;
    }

    public InvariantChecker checker() {
        return checker;
    }

    public Trace trace() {
        return trace;
    }

    public Proposals proposals() {
        return proposals;
    }

    public MessageStats messages() {
        return messages;
    }

    /** A random generator for one purpose (e.g. "workload"), derived from the seed and the purpose only. */
    public RandomGenerator newRandom(String purpose) {
        return new SplittableRandom(Hashing.mix(params.seed(), purpose.hashCode()));
    }

    public long crashes() {
        return crashes;
    }

    /** Crashes that hit a node in the middle of persisting a Ready. */
    public long persistCrashes() {
        return persistCrashes;
    }

    /** Readies taken while an earlier one was still waiting to be persisted (pipelined storage writes). */
    public long pipelinedReadies() {
        return pipelinedReadies;
    }

    /** Snapshot transfers, installs and compactions. */
    SimSnapshots snapshots() {
        return snapshots;
    }

    public long restarts() {
        return restarts;
    }

    public long partitions() {
        return partitions;
    }

    public List<Long> upNodes() {
        List<Long> up = new ArrayList<>();
        for (SimNode n : nodes.values()) if (n.isUp()) up.add(n.id());
        return up;
    }

    /** Up nodes that believe they are leader (a deposed leader may not know yet). */
    public List<Long> leaders() {
        List<Long> out = new ArrayList<>();
        for (SimNode n : nodes.values()) if (n.isUp() && n.engine().role() == Role.LEADER) out.add(n.id());
        return out;
    }

    /** The up leader with the highest term, if any. */
    public OptionalLong leader() {
        return leaderAmong(ids);
    }

    /** The up leader with the highest term among {@code candidates}, if any. */
    public OptionalLong leaderAmong(Iterable<Long> candidates) {
        long best = 0;
        long bestTerm = -1;
        for (long id : candidates) {
            SimNode n = node(id);
            if (n.isUp() && n.engine().role() == Role.LEADER && n.engine().currentTerm() > bestTerm) {
                best = id;
                bestTerm = n.engine().currentTerm();
            }
        }
        return bestTerm < 0 ? OptionalLong.empty() : OptionalLong.of(best);
    }

    // ---------------------------------------------------------------- running

    /** Runs one event. Returns false if nothing is scheduled (every node down and nothing pending). */
    public boolean step() {
        if (loop.nextTime() == Long.MAX_VALUE) return false;
        if (trace.count() >= eventBudget) {
            throw failure("Runaway", "the run used up its budget of " + eventBudget + " events (a message storm or livelock?)");
        }
        EventLoop.Scheduled s = loop.poll();
        guard(() -> dispatch(s.event()));
        return true;
    }

    /** Runs every event due in the next {@code millis} of virtual time. */
    public void runFor(long millis) {
        long deadline = loop.now() + millis;
        while (loop.nextTime() <= deadline) step();
        loop.advanceTo(deadline);
    }

    /** Runs {@code count} events (fewer if nothing is scheduled). */
    public void runSteps(long count) {
        for (long i = 0; i < count && step(); i++) {
            // the step is the work
        }
    }

    /**
     * Runs events until {@code done} holds (checked before the first and after every event) or
     * {@code maxMillis} of virtual time pass. Returns whether it holds.
     */
    public boolean runUntil(BooleanSupplier done, long maxMillis) {
        long deadline = loop.now() + maxMillis;
        while (!done.getAsBoolean()) {
            if (loop.nextTime() > deadline) {
                loop.advanceTo(deadline);
                return done.getAsBoolean();
            }
            step();
        }
        return true;
    }

    /** Schedules a test's own action after {@code delayMillis}; it runs as one event, checked like the others. */
    public void schedule(long delayMillis, String label, Runnable action) {
        loop.schedule(delayMillis, new SimEvent.Action(label, 0, action));
    }

    // ---------------------------------------------------------------- faults

    /** Crashes a node now: its engine, state machine and in-flight messages to it are gone; its disk stays. */
    public void crash(long id) {
        guard(() -> crash(node(id), "crash"));
    }

    /** Boots a crashed node from its durable store. */
    public void restart(long id) {
        guard(() -> {
            SimNode n = node(id);
            if (n.isUp()) throw new IllegalStateException("node " + id + " is up");
            restarts++;
            boot(n);
        });
    }

    /** Replaces the network's partition by {@code p}. */
    public void partition(Partition p) {
        partitions++;
        network.setPartition(p);
        trace.record(now(), 0, "partition", p, p.blocked().size());
    }

    /** Removes every partition. */
    public void heal() {
        network.setPartition(Partition.none());
        trace.record(now(), 0, "heal", "", 0);
    }

    /** Probability that a node crashes in the middle of persisting a Ready (entries partly written, hard state lost). */
    public void setCrashDuringPersistRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("rate must be in [0, 1], was " + rate);
        crashDuringPersistRate = rate;
    }

    /** Fails the run (as "Runaway") once it has processed {@code maxEvents} events in total. */
    public void setEventBudget(long maxEvents) {
        if (maxEvents < 1) throw new IllegalArgumentException("maxEvents must be >= 1");
        eventBudget = maxEvents;
    }

    /** Every node that crashes from now on restarts after a random downtime in [min, max] ms; (0, 0) turns it off. */
    public void setAutoRestart(long minMillis, long maxMillis) {
        if (minMillis < 0 || maxMillis < minMillis) throw new IllegalArgumentException("bad range " + minMillis + ".." + maxMillis);
        autoRestartMinMillis = minMillis;
        autoRestartMaxMillis = maxMillis;
    }

    // ---------------------------------------------------------------- clients

    /**
     * A client hands {@code data} to node {@code id}. If the node is the leader the proposal is
     * tracked by {@link #proposals()} until acknowledged. Returns null if the node is down.
     */
    public ProposeResult propose(long id, byte[] data) {
        SimNode n = node(id);
        if (!n.isUp()) return null;
        ProposeResult[] result = new ProposeResult[1];
        guard(() -> {
            result[0] = n.engine().propose(data);
            if (result[0] instanceof ProposeResult.Accepted a) {
                checker.onProposed(data);
                proposals.onAccepted(id, n.incarnation(), data, a);
            }
            long outcome = result[0] instanceof ProposeResult.Accepted a ? Hashing.mix(a.index(), a.term()) : 0;
            trace.record(now(), id, "propose", Proposals.text(data) + " -> " + result[0],
                    Hashing.mix(Arrays.hashCode(data), outcome));
            afterNodeEvent(n);
        });
        return result[0];
    }

    /**
     * A client asks node {@code id} for a linearizable read (ReadIndex). Returns the read's context
     * if the node accepted it (the checker then waits for its release), or 0 if the node is down
     * or not leader. With {@link Sabotage#LOCAL_READ} a node that believes it leads serves the read
     * at once at its own commit index instead.
     */
    public long readIndex(long id) {
        SimNode n = node(id);
        if (!n.isUp()) return 0;
        long context = ++readContexts;
        long[] accepted = new long[1];
        guard(() -> {
            RaftNode e = n.engine();
            ProposeResult r;
            if (params.sabotage() == Sabotage.LOCAL_READ) {
                r = e.role() == Role.LEADER ? new ProposeResult.Accepted(0, e.currentTerm())
                        : new ProposeResult.NotLeader(e.leaderId());
            } else {
                r = e.readIndex(context);
            }
            trace.record(now(), id, "read", context + " -> " + r, Hashing.mix(context, r instanceof ProposeResult.Accepted ? 1 : 0));
            if (r instanceof ProposeResult.Accepted) {
                accepted[0] = context;
                checker.onReadRequested(n, context);
                if (params.sabotage() == Sabotage.LOCAL_READ) checker.onReadReleased(n, new ReadState(context, e.commitIndex()));
            }
            afterNodeEvent(n);
        });
        return accepted[0];
    }

    // ---------------------------------------------------------------- failures

    /** A failure of this simulation (for the checks of tests and runners), with seed, parameters and trace. */
    public SimulationFailure failure(String invariant, String detail) {
        return failure(invariant, detail, null);
    }

    private SimulationFailure failure(String invariant, String detail, Throwable cause) {
        return FailureReport.failure(this, invariant, detail, cause);
    }

    private void guard(Runnable r) {
        try {
            r.run();
        } catch (SimulationFailure f) {
            throw f;
        } catch (InvariantViolation v) {
            throw failure(v.invariant(), v.getMessage(), null);
        } catch (RuntimeException | AssertionError e) {
            throw failure("Unexpected exception", e.toString(), e);
        }
    }

    // ---------------------------------------------------------------- the event loop

    private void dispatch(SimEvent event) {
        switch (event) {
            case SimEvent.Tick t -> onTick(t);
            case SimEvent.Deliver d -> onDeliver(d);
            case SimEvent.DeliverSnapshot d -> snapshots.deliver(d);
            case SimEvent.ProcessReady r -> onProcessReady(r);
            case SimEvent.CompleteReady c -> onCompleteReady(c);
            case SimEvent.Action a -> {
                trace.record(now(), a.node(), "action", a.label(), a.label().hashCode());
                a.action().run();
            }
        }
    }

    private void onTick(SimEvent.Tick t) {
        SimNode n = node(t.node());
        if (!n.isUp() || n.incarnation() != t.incarnation()) return;
        loop.schedule(params.tickMillis(), t);
        RaftNode e = n.engine();
        Role roleBefore = e.role();
        long termBefore = e.currentTerm();
        e.tick();
        if (e.role() != roleBefore || e.currentTerm() != termBefore) {
            trace.record(now(), n.id(), "tick", roleBefore + "@" + termBefore + " -> " + e.role() + "@" + e.currentTerm(), 1);
        } else {
            trace.digestOnly(now(), n.id(), 1, 0);
        }
        afterNodeEvent(n);
    }

    private void onDeliver(SimEvent.Deliver d) {
        Message m = d.message();
        SimNode n = node(m.to());
        if (!n.isUp() || n.incarnation() != d.incarnation()) {
            messages.onToDownNode();
            trace.digestOnly(now(), n.id(), 2, Hashing.message(m));
            return;
        }
        if (network.isBlocked(m.from(), m.to())) {
            messages.onBlocked();
            trace.digestOnly(now(), n.id(), 3, Hashing.message(m));
            return;
        }
        messages.onDelivered();
        trace.record(now(), n.id(), "deliver", m, Hashing.message(m));
        n.engine().step(m);
        afterNodeEvent(n);
    }

    /** The node's runtime takes what the engine has ready, through the production Ready policy. */
    private void onProcessReady(SimEvent.ProcessReady p) {
        SimNode n = node(p.node());
        if (!n.isUp() || n.incarnation() != p.incarnation()) return;
        n.setReadyScheduled(false);
        if (!n.engine().hasReady()) return;
        if (params.asyncReady() && n.pipeline().inFlight() > 0) pipelinedReadies++;
        n.pipeline().drain();
        if (n.isUp() && n.incarnation() == p.incarnation()) afterNodeEvent(n);
    }

    /**
     * The storage finishes the oldest writes, in order: one at a time, or with pipelining a random
     * number of them at once (group commit), then schedules the next if more wait.
     */
    private void onCompleteReady(SimEvent.CompleteReady c) {
        SimNode n = node(c.node());
        if (!n.isUp() || n.incarnation() != c.incarnation()) return;
        n.setPersistScheduled(false);
        int batch = params.maxReadiesInFlight() == 1 ? 1 : 1 + random.nextInt(n.inFlightCount());
        int incarnation = n.incarnation();
        for (int i = 0; i < batch && n.isUp() && n.incarnation() == incarnation; i++) {
            SimNode.Taken t = n.pollInFlight();
            if (t == null) break;
            trace.record(now(), n.id(), "persist", t.ready(), Hashing.ready(t.ready()));
            write(n, t);
        }
        if (n.isUp() && n.incarnation() == incarnation && n.inFlightCount() > 0) scheduleWrites(n);
        if (n.isUp() && n.incarnation() == incarnation) afterNodeEvent(n);
    }

    /** The node's storage will take its waiting writes after the disk's delay (unless already due). */
    void scheduleWrites(SimNode n) {
        if (n.persistScheduled()) return;
        n.setPersistScheduled(true);
        loop.schedule(writeDelay(), new SimEvent.CompleteReady(n.id(), n.incarnation()));
    }

    /** Writes entries then the hard state (a crash may hit in between), then tells the pipeline. */
    void write(SimNode n, SimNode.Taken t) {
        boolean writes = t.ready().snapshot() != null || !t.entries().isEmpty() || t.hardState() != null;
        if (writes && crashDuringPersistRate > 0 && random.nextDouble() < crashDuringPersistRate) {
            crashDuringPersist(n, t);
            return;
        }
        DurableStore store = n.store();
        if (t.ready().snapshot() != null) snapshots.install(n, t.ready());
        long previousLast = store.lastIndex();
        store.append(t.entries());
        checker.onPersisted(n, t.entries(), previousLast, t.role(), t.term());
        if (t.hardState() != null) store.saveHardState(t.hardState());
        t.durable().run();
    }

    /** The node dies while writing: a prefix of the entries may be on disk, the hard state is not. */
    private void crashDuringPersist(SimNode n, SimNode.Taken t) {
        List<Entry> entries = t.entries();
        // Installing a snapshot is atomic (a rename); entries after it need it installed first.
        boolean snapshot = t.ready().snapshot() != null;
        boolean installed = snapshot && random.nextBoolean();
        if (installed) snapshots.install(n, t.ready());
        int written = entries.isEmpty() || (snapshot && !installed) ? 0 : random.nextInt(entries.size() + 1);
        if (written > 0) {
            List<Entry> prefix = entries.subList(0, written);
            long previousLast = n.store().lastIndex();
            n.store().append(prefix);
            checker.onPersisted(n, prefix, previousLast, t.role(), t.term());
        }
        persistCrashes++;
        crash(n, "crash during persist (" + (snapshot ? "snapshot " + (installed ? "installed, " : "not installed, ") : "")
                + written + "/" + entries.size() + " entries written, hard state "
                + (t.hardState() == null ? "unchanged" : "lost") + ")");
    }

    /** A node sends {@code m}: the network delivers it, or not. */
    void send(Message m) {
        if (m instanceof Message.InstallSnapshot ask) {
            snapshots.send(ask);
            return;
        }
        messages.onSent(m);
        SimNode dest = nodes.get(m.to());
        if (dest == null) throw new InvariantViolation("Message address", "message to unknown node: " + m);
        if (!dest.isUp()) {
            messages.onToDownNode();
            return;
        }
        if (network.isBlocked(m.from(), m.to())) {
            messages.onBlocked();
            return;
        }
        for (long delay : network.plan(messages)) loop.schedule(delay, new SimEvent.Deliver(m, dest.incarnation()));
    }

    /** Schedules {@code event} {@code delayMillis} from now. */
    void schedule(long delayMillis, SimEvent event) {
        loop.schedule(delayMillis, event);
    }

    /** After an event on {@code n}: check it, and schedule its next Ready if it has one. */
    void afterNodeEvent(SimNode n) {
        checker.afterEvent(n);
        if (n.isUp() && !n.readyScheduled() && n.engine().hasReady()
                && n.pipeline().inFlight() < params.maxReadiesInFlight()) {
            n.setReadyScheduled(true);
            loop.schedule(persistDelay(), new SimEvent.ProcessReady(n.id(), n.incarnation()));
        }
    }

    /**
     * Time until the storage's next write. With pipelining, one write in 16 stalls for 10-59 ms (a
     * slow fsync) and one in 128 for 100-599 ms (longer than an election), so Readies pile up
     * behind it while terms change and logs are truncated.
     */
    private long writeDelay() {
        if (params.maxReadiesInFlight() > 1) {
            int dice = random.nextInt(128);
            if (dice == 0) return 100 + random.nextInt(500);
            if (dice < 8) return 10 + random.nextInt(50);
        }
        return persistDelay();
    }

    private long persistDelay() {
        int max = params.maxPersistDelayMillis();
        return max == 0 ? 0 : random.nextInt(max + 1);
    }

    private void boot(SimNode n) {
        if (n.boots() > 0 && params.sabotage() == Sabotage.AMNESIA) n.store().wipe();
        if (n.boots() > 0 && params.sabotage() == Sabotage.FORGET_VOTE) n.store().forgetVote();
        long seed = Hashing.mix(Hashing.mix(params.seed(), 0xB007), n.id(), n.boots());
        n.boot(new SplittableRandom(seed));
        HardState hs = n.store().hardState();
        int inFlight = params.asyncReady() ? params.maxReadiesInFlight() : 1;
        n.setPipeline(params.sabotage() == Sabotage.SEND_BEFORE_PERSIST
                ? ReadyPipeline.sendingBeforePersistForTests(n.engine(), hs, inFlight, new SimReadyActions(this, n))
                : new ReadyPipeline(n.engine(), hs, inFlight, new SimReadyActions(this, n)));
        trace.record(now(), n.id(), "boot", "from " + n.store() + " (boot " + n.boots() + ")",
                Hashing.mix(hs.currentTerm(), n.store().lastIndex()));
        checker.onBoot(n);
        loop.schedule(1 + random.nextInt(params.tickMillis()), new SimEvent.Tick(n.id(), n.incarnation()));
        afterNodeEvent(n);
    }

    private void crash(SimNode n, String why) {
        if (!n.isUp()) throw new IllegalStateException("node " + n.id() + " is already down");
        crashes++;
        checker.onCrash(n);
        n.crash();
        proposals.onCrash(n.id());
        trace.record(now(), n.id(), "crash", why + "; disk keeps " + n.store(), why.hashCode());
        if (autoRestartMaxMillis > 0) {
            long downtime = autoRestartMinMillis + random.nextLong(autoRestartMaxMillis - autoRestartMinMillis + 1);
            int incarnation = n.incarnation();
            loop.schedule(downtime, new SimEvent.Action("auto-restart " + n.id(), n.id(), () -> {
                if (!n.isUp() && n.incarnation() == incarnation) {
                    restarts++;
                    boot(n);
                }
            }));
        }
    }
}
