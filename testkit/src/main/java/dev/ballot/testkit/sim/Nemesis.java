package dev.ballot.testkit.sim;

import dev.ballot.raft.RaftNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * Injects random faults at random intervals: crashes (of any node or of the leader), restarts,
 * partitions of every shape (isolate a node or the leader, majority/minority split, a bridge node
 * between two halves, one-way cuts), healing, and swings of the network between reliable and lossy.
 * Crashed nodes come back through {@link Simulation#setAutoRestart} or a restart action.
 */
public final class Nemesis {

    /** The faults it picks from; healing is weighted up so the cluster also gets calm periods. */
    public enum Fault {
        CRASH_ANY, CRASH_LEADER, RESTART, ISOLATE_ANY, ISOLATE_LEADER, SPLIT, BRIDGE, ONE_WAY_CUTS, HEAL, HEAL_2,
        NETWORK_LOSSY, NETWORK_CLEAN
    }

    private final Simulation sim;
    private final RandomGenerator random;
    private final NetworkConditions lossy;
    private final NetworkConditions clean;
    private final Recurring schedule;
    private long faults;

    /**
     * @param minGapMillis shortest pause between two faults
     * @param maxGapMillis longest pause
     * @param clean        network conditions restored by NETWORK_CLEAN
     * @param lossy        network conditions set by NETWORK_LOSSY
     */
    public Nemesis(Simulation sim, RandomGenerator random, long minGapMillis, long maxGapMillis,
                   NetworkConditions clean, NetworkConditions lossy) {
        this.sim = sim;
        this.random = random;
        this.clean = clean;
        this.lossy = lossy;
        this.schedule = new Recurring(sim, random, minGapMillis, maxGapMillis, "nemesis",
                () -> inject(Fault.values()[random.nextInt(Fault.values().length)]));
    }

    public void start() {
        schedule.start();
    }

    public void stop() {
        schedule.stop();
    }

    /** Faults injected so far. */
    public long faults() {
        return faults;
    }


    /** Injects one fault now (some are no-ops when they do not apply, e.g. crashing the leader when there is none). */
    public void inject(Fault fault) {
        List<Long> ids = sim.ids();
        List<Long> up = sim.upNodes();
        OptionalLong leader = sim.leader();
        switch (fault) {
            case CRASH_ANY -> {
                if (!up.isEmpty()) crash(pick(up));
            }
            case CRASH_LEADER -> leader.ifPresent(this::crash);
            case RESTART -> {
                List<Long> down = new ArrayList<>(ids);
                down.removeAll(up);
                if (!down.isEmpty()) {
                    faults++;
                    sim.restart(pick(down));
                }
            }
            case ISOLATE_ANY -> partition(Partition.isolate(pick(ids), ids));
            case ISOLATE_LEADER -> leader.ifPresent(l -> partition(Partition.isolate(l, ids)));
            case SPLIT -> {
                List<Long> shuffled = shuffled(ids);
                int minority = 1 + random.nextInt(Math.max(1, (ids.size() - 1) / 2));
                partition(Partition.split(shuffled.subList(0, minority), ids));
            }
            case BRIDGE -> {
                if (ids.size() >= 3) {
                    List<Long> shuffled = shuffled(ids);
                    long bridge = shuffled.get(0);
                    int half = (ids.size() - 1) / 2;
                    partition(Partition.bridge(bridge, shuffled.subList(1, 1 + half), shuffled.subList(1 + half, ids.size())));
                }
            }
            case ONE_WAY_CUTS -> {
                int cuts = 1 + random.nextInt(ids.size());
                Partition p = null;
                for (int i = 0; i < cuts; i++) {
                    long from = pick(ids);
                    long to = pick(ids);
                    if (from == to) continue;
                    Partition cut = Partition.oneWay(from, to);
                    p = p == null ? cut : p.union(cut);
                }
                if (p != null) partition(p);
            }
            case HEAL, HEAL_2 -> {
                if (!sim.network().partition().blocked().isEmpty()) {
                    faults++;
                    sim.heal();
                }
            }
            case NETWORK_LOSSY -> {
                faults++;
                sim.network().setConditions(lossy);
            }
            case NETWORK_CLEAN -> sim.network().setConditions(clean);
        }
    }

    private void crash(long id) {
        if (id != RaftNode.NONE && sim.node(id).isUp()) {
            faults++;
            sim.crash(id);
        }
    }

    private void partition(Partition p) {
        faults++;
        sim.partition(p);
    }

    private long pick(List<Long> from) {
        return from.get(random.nextInt(from.size()));
    }

    private List<Long> shuffled(List<Long> ids) {
        List<Long> out = new ArrayList<>(ids);
        Collections.shuffle(out, random);
        return out;
    }
}
