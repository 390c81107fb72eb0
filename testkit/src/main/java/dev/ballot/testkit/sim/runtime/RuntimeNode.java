package dev.ballot.testkit.sim.runtime;

import dev.ballot.kv.ReadMode;
import dev.ballot.kv.server.RaftKvService;
import dev.ballot.kv.sm.KvStateMachine;
import dev.ballot.node.NodeStatus;
import dev.ballot.node.RaftServer;
import dev.ballot.node.RaftServerConfig;
import dev.ballot.node.RuntimeSabotage;
import dev.ballot.storage.CrashableDisk;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * One simulated node across its lives: the production {@link RaftServer} with the KV state machine
 * and {@link RaftKvService}, as {@code ballot server} runs them, on a {@link SimHost}. Its
 * {@link CrashableDisk} outlives every incarnation; a crash kills the incarnation's loop (nothing
 * of it runs again) and keeps what the disk would keep, and a boot recovers from that.
 */
final class RuntimeNode {

    /** The checks that run inside the node's turns, shared by the run's nodes. */
    record Checks(PersistBeforeSend sends, ReadIndexCheck reads) {}

    private final long id;
    private final RaftServerConfig config;
    private final Scheduler scheduler;
    private final SimNet net;
    private final SplittableRandom random;
    private final SimLogWriter.DiskTiming timing;
    private final ReadMode readMode;
    private final Set<RuntimeSabotage> sabotage;
    private final Set<BrokenDisk> brokenDisk;
    private final BiConsumer<Long, Throwable> onFatal;
    private final Checks checks;
    private final List<SimConnection> connections = new ArrayList<>();
    private CrashableDisk disk = new CrashableDisk();
    private SimLoop loop;
    private RaftServer server;
    private RaftKvService service;
    private KvStateMachine stateMachine;
    private RecordingStateMachine applied;
    private int boots;

    RuntimeNode(long id, RaftServerConfig config, Scheduler scheduler, SimNet net, SplittableRandom random,
                SimLogWriter.DiskTiming timing, ReadMode readMode, Set<RuntimeSabotage> sabotage, Set<BrokenDisk> brokenDisk,
                BiConsumer<Long, Throwable> onFatal, Checks checks) {
        this.checks = checks;
        this.sabotage = sabotage;
        this.brokenDisk = brokenDisk;
        this.id = id;
        this.config = config;
        this.scheduler = scheduler;
        this.net = net;
        this.random = random;
        this.timing = timing;
        this.readMode = readMode;
        this.onFatal = onFatal;
    }

    long id() {
        return id;
    }

    boolean isUp() {
        return loop != null;
    }

    int boots() {
        return boots;
    }

    CrashableDisk disk() {
        return disk;
    }

    SimLoop loop() {
        return loop;
    }

    /** The running server; only while up. */
    RaftServer server() {
        return server;
    }

    RaftKvService service() {
        return service;
    }

    /** The state machine of the running incarnation; read it on the loop. */
    KvStateMachine stateMachine() {
        return stateMachine;
    }

    /** The commands the running incarnation applied since the last call. */
    List<RecordingStateMachine.Applied> drainApplied() {
        return applied.drain();
    }

    NodeStatus status() {
        return server.status();
    }

    /** Starts a new incarnation from what the disk holds (the production start-up and recovery). */
    void boot() {
        if (loop != null) throw new IllegalStateException("node " + id + " is already up");
        boots++;
        SimLoop l = new SimLoop(scheduler);
        SimHost host = new SimHost(l, disk, scheduler, random.split(), timing, sabotage,
                brokenDisk.contains(BrokenDisk.EARLY_ACK), onFatal);
        try {
            l.turn(() -> {
                stateMachine = new KvStateMachine();
                applied = new RecordingStateMachine(stateMachine, host::durable);
                server = RaftServer.start(config, applied, new SimTransport(id, net, host, checks.sends()), host);
                service = new RaftKvService(server, stateMachine, readMode);
            });
        } catch (RuntimeException e) {
            l.kill(); // the process exits: its lock goes with it
            disk.releaseLocks();
            server = null;
            service = null;
            stateMachine = null;
            applied = null;
            throw e;
        }
        loop = l;
    }

    /** Opens a client connection to this node (on its loop). */
    SimConnection connect(long connectionId, java.util.function.Consumer<byte[]> replies, Runnable onReset) {
        SimConnection[] c = new SimConnection[1];
        // The kernel accepts a connection even while the process is paused; its bytes wait.
        RaftServer current = server;
        loop.inspect(() -> c[0] = new SimConnection(service, connectionId, replies, onReset, id,
                () -> current.status().appliedIndex(), checks.reads()));
        connections.add(c[0]);
        return c[0];
    }

    /**
     * The process dies. With {@code powerLoss} the machine loses power too: what was not synced is
     * lost or torn ({@link CrashableDisk#crash}); without it, the page cache keeps every write.
     */
    void crash(boolean powerLoss, Random diskRandom) {
        if (loop == null) {
            if (powerLoss) disk = disk.crash(diskRandom);
            return;
        }
        loop.kill();
        net.detach(id);
        for (SimConnection c : connections) c.abandon(!powerLoss);
        connections.clear();
        if (brokenDisk.contains(BrokenDisk.AMNESIA)) {
            disk = new CrashableDisk(); // broken on purpose: everything it promised is gone
        } else if (powerLoss) {
            disk = disk.crash(diskRandom);
        } else {
            disk.releaseLocks();
        }
        loop = null;
        server = null;
        service = null;
        stateMachine = null;
        applied = null;
    }
}
