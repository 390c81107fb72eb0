package dev.ballot.testkit.sim.runtime;

import dev.ballot.raft.Role;
import dev.ballot.storage.CrashableDisk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Breaks things during the fault window of a full-runtime run, from the run's seed: process
 * crashes and power losses (so crashes during a persist, with torn writes), paused processes
 * (SIGSTOP; the leader half of the time), processes restarted at once (the leader among them)
 * and crash loops under a stalled leader disk, partitions of every shape (the leader alone, the
 * leader with a minority, random splits), lossy / duplicating / reordering / congested networks,
 * stalled fsyncs, failing disks (an fsync error or a full disk, which must stop the node
 * loudly), and client connection resets. Every fault is undone after a while, and
 * all of them at {@link #healAll}.
 */
final class RuntimeNemesis {

    private final Scheduler scheduler;
    private final SplittableRandom random;
    private final List<RuntimeNode> nodes;
    private final Map<Long, SimLogWriter.DiskTiming> timings;
    private final SimNet net;
    private final List<SimClient> clients;
    private final NodeEvents events;
    /** Nodes whose disk was told to fail: their fatal stop is expected. */
    private final Set<Long> diskFaults;
    private final Map<Long, Integer> restartsPending = new HashMap<>();
    private long stopAt;
    private int faults;

    RuntimeNemesis(Scheduler scheduler, SplittableRandom random, List<RuntimeNode> nodes,
                   Map<Long, SimLogWriter.DiskTiming> timings, SimNet net, List<SimClient> clients, NodeEvents events,
                   Set<Long> diskFaults) {
        this.scheduler = scheduler;
        this.random = random;
        this.nodes = nodes;
        this.timings = timings;
        this.net = net;
        this.clients = clients;
        this.events = events;
        this.diskFaults = diskFaults;
    }

    int faults() {
        return faults;
    }

    /** Injects faults from {@code from} until {@code until} (virtual ns). */
    void start(long from, long until) {
        this.stopAt = until;
        scheduler.at(from, this::next);
    }

    private void next() {
        if (scheduler.now() >= stopAt) return;
        faults++;
        switch (random.nextInt(10)) {
            case 0, 1 -> crash(random.nextBoolean());
            case 2, 3 -> partition();
            case 4 -> network();
            case 5 -> slowDisk();
            case 6 -> failDisk();
            case 7 -> {
                if (random.nextBoolean()) resetClient(); else pause();
            }
            case 8 -> {
                switch (random.nextInt(3)) {
                    case 0 -> bounce();
                    case 1 -> {
                        RuntimeNode leader = leader(); // its followers keep sending it requests for a while
                        if (leader != null) bounce(leader);
                    }
                    default -> restartStorm();
                }
            }
            default -> { crash(false); partition(); }
        }
        scheduler.after(ms(100, 1000), this::next);
    }

    private long ms(int min, int max) {
        return (min + random.nextInt(max - min + 1)) * 1_000_000L;
    }

    private RuntimeNode randomUp() {
        List<RuntimeNode> up = nodes.stream().filter(RuntimeNode::isUp).toList();
        return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
    }

    private RuntimeNode leader() {
        return nodes.stream().filter(n -> n.isUp() && n.status().role() == Role.LEADER).findFirst().orElse(null);
    }

    void crash(boolean powerLoss) {
        RuntimeNode n = randomUp();
        if (n == null) return;
        events.add(n.id(), powerLoss ? "power loss" : "process killed");
        if (powerLoss) diskFaults.remove(n.id()); // an armed fault does not survive on the disk left behind
        n.crash(powerLoss, new Random(random.nextLong()));
        restartLater(n);
    }

    /** A process killed and restarted at once by its supervisor: requests it forwarded are still pending. */
    private void bounce() {
        RuntimeNode n = randomUp();
        if (n != null) bounce(n);
    }

    private void bounce(RuntimeNode n) {
        if (!n.isUp()) return;
        events.add(n.id(), "process killed and restarted at once");
        n.crash(false, new Random(random.nextLong()));
        scheduler.after(ms(1, 20), () -> {
            if (!n.isUp()) boot(n);
        });
    }

    /**
     * A crash loop under a slow leader: the leader's fsyncs stall while a follower restarts again
     * and again, so the leader answers requests of one incarnation after the next has started.
     */
    private void restartStorm() {
        RuntimeNode leader = leader();
        if (leader != null) {
            SimLogWriter.DiskTiming t = timings.get(leader.id());
            t.stall = 1;
            events.add(leader.id(), "disk: every fsync stalls");
            scheduler.after(ms(300, 800), () -> t.stall = 0);
        }
        RuntimeNode n = randomUp();
        if (n == null || n == leader) return;
        int times = 2 + random.nextInt(3);
        long at = 0;
        for (int i = 0; i < times; i++) {
            at += ms(20, 150);
            scheduler.after(at, () -> bounce(n));
        }
        bounce(n);
    }

    /** Schedules a restart of {@code n} (down) after a while; at most one pending per node. */
    void restartLater(RuntimeNode n) {
        if (restartsPending.merge(n.id(), 1, Integer::sum) > 1) {
            restartsPending.merge(n.id(), -1, Integer::sum);
            return;
        }
        scheduler.after(ms(50, 1500), () -> {
            restartsPending.merge(n.id(), -1, Integer::sum);
            if (!n.isUp()) boot(n);
        });
    }

    /** Boots {@code n}; a boot that fails on an injected disk fault is retried later. */
    void boot(RuntimeNode n) {
        try {
            n.boot();
            events.add(n.id(), "booted (incarnation " + n.boots() + ")");
        } catch (RuntimeException e) {
            if (!diskFaults.remove(n.id())) throw e;
            events.add(n.id(), "failed to boot on its failing disk: " + e.getMessage());
            n.crash(true, new Random(random.nextLong()));
            restartLater(n);
        }
    }

    private void partition() {
        List<Long> ids = new ArrayList<>(nodes.stream().map(RuntimeNode::id).toList());
        Map<Long, Integer> side = new HashMap<>();
        RuntimeNode leader = leader();
        int shape = random.nextInt(3);
        String what;
        if (shape == 0 && leader != null) {
            side.put(leader.id(), 1);
            what = "the leader " + leader.id() + " alone";
        } else if (shape == 1 && leader != null && ids.size() >= 5) {
            side.put(leader.id(), 1);
            long other = ids.stream().filter(i -> i != leader.id()).toList().get(random.nextInt(ids.size() - 1));
            side.put(other, 1);
            what = "the leader " + leader.id() + " with node " + other;
        } else {
            for (long id : ids) side.put(id, random.nextInt(2));
            what = "random sides " + side;
        }
        net.partition(side);
        events.add(NodeEvents.CLUSTER, "partition: " + what);
        scheduler.after(ms(200, 3000), () -> {
            net.heal();
            events.add(NodeEvents.CLUSTER, "partition healed");
        });
    }

    private void network() {
        SimNet.Conditions c = net.conditions();
        c.loss = random.nextDouble() * 0.3;
        c.duplicate = random.nextDouble() * 0.1;
        c.longDelay = random.nextDouble() * 0.05;
        if (random.nextBoolean()) { // a few congested links: slow, but in order, like a full TCP buffer
            int links = 1 + random.nextInt(4);
            for (int i = 0; i < links; i++) {
                long from = nodes.get(random.nextInt(nodes.size())).id();
                long to = nodes.get(random.nextInt(nodes.size())).id();
                if (from != to) c.slowLinks.put((from << 32) | to, ms(5, 80));
            }
        }
        events.add(NodeEvents.CLUSTER, String.format("network: loss %.2f, duplicates %.2f, long delays %.2f, "
                + "%d slow links", c.loss, c.duplicate, c.longDelay, c.slowLinks.size()));
        scheduler.after(ms(200, 2000), () -> {
            c.loss = 0;
            c.duplicate = 0;
            c.longDelay = 0;
            c.slowLinks.clear();
            events.add(NodeEvents.CLUSTER, "network: clean");
        });
    }

    private void slowDisk() {
        RuntimeNode n = nodes.get(random.nextInt(nodes.size()));
        SimLogWriter.DiskTiming t = timings.get(n.id());
        t.stall = 0.3;
        events.add(n.id(), "disk: fsyncs stall");
        scheduler.after(ms(300, 2000), () -> {
            t.stall = 0;
            events.add(n.id(), "disk: fast again");
        });
    }

    private void failDisk() {
        RuntimeNode n = randomUp();
        if (n == null || diskFaults.contains(n.id())) return;
        CrashableDisk.Op op = random.nextBoolean() ? CrashableDisk.Op.FORCE : CrashableDisk.Op.WRITE;
        diskFaults.add(n.id());
        n.disk().failNext(op);
        events.add(n.id(), op == CrashableDisk.Op.FORCE ? "disk: the next fsync fails" : "disk: the next write fails (no space)");
    }

    /**
     * Stops a process (SIGSTOP), the leader half of the time, for longer or shorter than an
     * election timeout: it resumes believing what it believed, and its peers and clients meet
     * a node that is behind the times.
     */
    private void pause() {
        RuntimeNode leader = leader();
        RuntimeNode n = leader != null && random.nextBoolean() ? leader : randomUp();
        if (n == null) return;
        long pause = ms(100, 1500);
        events.add(n.id(), String.format("paused for %d ms", pause / 1_000_000));
        n.loop().pauseUntil(scheduler.now() + pause);
    }

    private void resetClient() {
        if (clients.isEmpty()) return;
        clients.get(random.nextInt(clients.size())).reset("the nemesis resets it");
    }

    /** Undoes every fault: network healed and clean, disks fast, every node up. */
    void healAll() {
        net.heal();
        SimNet.Conditions c = net.conditions();
        c.loss = 0;
        c.duplicate = 0;
        c.longDelay = 0;
        c.slowLinks.clear();
        for (SimLogWriter.DiskTiming t : timings.values()) t.stall = 0;
        events.add(NodeEvents.CLUSTER, "heal everything");
        for (RuntimeNode n : nodes) {
            if (!n.isUp()) boot(n);
        }
    }
}
