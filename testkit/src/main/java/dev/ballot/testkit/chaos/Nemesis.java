package dev.ballot.testkit.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Carries out nemesis {@link Step}s on a cluster and logs each fault with its window. Random
 * choices (which node, which sides) come from a seeded random, so the same seed, plan and leader
 * answers give the same faults. Unless told otherwise it never has more than a minority of the
 * nodes killed or paused at once: a step that would break that is skipped (and logged).
 * Not thread-safe: one thread applies the steps.
 */
public final class Nemesis {

    private final ClusterControl cluster;
    private final SplittableRandom random;
    private final NemesisLog log;
    private final LongSupplier clock;
    private final boolean allowMajorityDown;
    private final TreeSet<Long> killed = new TreeSet<>();
    private final TreeSet<Long> paused = new TreeSet<>();

    /**
     * @param clock             nanoseconds since the run's start, for the log
     * @param allowMajorityDown whether kills and pauses may take down a majority (never by default)
     */
    public Nemesis(ClusterControl cluster, SplittableRandom random, NemesisLog log, LongSupplier clock, boolean allowMajorityDown) {
        this.cluster = cluster;
        this.random = random;
        this.log = log;
        this.clock = clock;
        this.allowMajorityDown = allowMajorityDown;
    }

    public void apply(Step step) {
        switch (step.action()) {
            case KILL, KILL_LEADER, PAUSE, PAUSE_LEADER -> takeDown(step);
            case RESTART -> bringBack(killed, FaultFamily.KILL, "restart", cluster::restart);
            case RESUME -> bringBack(paused, FaultFamily.PAUSE, "resume", cluster::resume);
            case PARTITION_LEADER -> partition(leaderShape());
            case PARTITION_RANDOM -> partition(PartitionShapes.randomHalves(cluster.ids(), random));
            case PARTITION_BRIDGE -> partition(PartitionShapes.bridge(cluster.ids(), random));
            case PARTITION_RING -> partition(PartitionShapes.ring(cluster.ids(), random));
            case HEAL -> {
                cluster.heal();
                log.close(FaultFamily.PARTITION, clock.getAsLong());
                log.line(clock.getAsLong(), "heal: " + cluster.describeNetwork());
            }
            case LOSS -> {
                double p = step.lossProbability();
                cluster.setLoss(p);
                open(FaultFamily.LOSS, "loss " + Math.round(p * 100) + "%");
            }
            case DELAY -> {
                long[] range = step.delayRangeMillis();
                cluster.setDelay(Duration.ofMillis(range[0]), Duration.ofMillis(range[1]));
                open(FaultFamily.DELAY, "delay " + range[0] + "-" + range[1] + " ms");
            }
            case CLEAR -> {
                cluster.clearLossAndDelay();
                long now = clock.getAsLong();
                log.close(FaultFamily.LOSS, now);
                log.close(FaultFamily.DELAY, now);
                log.line(now, "clear loss and delay");
            }
        }
    }

    /** Ends every fault: restarts, resumes, heals, clears loss and delay. */
    public void healEverything() {
        cluster.healAll();
        killed.clear();
        paused.clear();
        long now = clock.getAsLong();
        log.closeAll(now);
        log.line(now, "heal everything: " + cluster.describeNetwork());
    }

    /** Nodes now killed or paused by this nemesis. */
    public List<Long> down() {
        TreeSet<Long> down = new TreeSet<>(killed);
        down.addAll(paused);
        return List.copyOf(down);
    }

    private void takeDown(Step step) {
        boolean kill = step.action().family() == FaultFamily.KILL;
        String verb = kill ? "kill" : "pause";
        Long target = target(step);
        String refusal = refusal(target);
        if (refusal != null) {
            log.line(clock.getAsLong(), verb + " skipped: " + refusal);
            return;
        }
        if (kill) {
            cluster.kill(target);
            killed.add(target);
        } else {
            cluster.pause(target);
            paused.add(target);
        }
        open(step.action().family(), verb + " n" + target + (step.action() == FaultAction.KILL_LEADER || step.action() == FaultAction.PAUSE_LEADER ? " (leader)" : ""));
    }

    private Long target(Step step) {
        if (step.node() != null) return step.node();
        if (step.action() == FaultAction.KILL_LEADER || step.action() == FaultAction.PAUSE_LEADER) {
            Optional<Long> leader = cluster.leader().filter(id -> !down().contains(id));
            if (leader.isPresent()) return leader.get();
            log.line(clock.getAsLong(), "no leader known: choosing a random node");
        }
        List<Long> up = new ArrayList<>(cluster.ids());
        up.removeAll(down());
        return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
    }

    /** Why {@code target} may not be taken down, or null if it may. */
    private String refusal(Long target) {
        if (target == null) return "no node is up";
        if (!cluster.ids().contains(target)) return "no node n" + target + " in " + cluster.ids();
        if (down().contains(target)) return "n" + target + " is already down";
        int maxDown = (cluster.ids().size() - 1) / 2;
        if (!allowMajorityDown && down().size() + 1 > maxDown) {
            return "taking n" + target + " down too would leave no majority up (down: " + down() + ")";
        }
        return null;
    }

    private void bringBack(TreeSet<Long> nodes, FaultFamily family, String verb, java.util.function.LongConsumer action) {
        for (long id : nodes) action.accept(id);
        long now = clock.getAsLong();
        log.line(now, verb + " " + (nodes.isEmpty() ? "(nothing to do)" : nodes));
        nodes.clear();
        log.close(family, now);
    }

    private NetworkShape leaderShape() {
        Optional<Long> leader = cluster.leader();
        if (leader.isPresent()) return PartitionShapes.isolatedLeader(cluster.ids(), leader.get());
        log.line(clock.getAsLong(), "no leader known: random halves instead of an isolated leader");
        return PartitionShapes.randomHalves(cluster.ids(), random);
    }

    private void partition(NetworkShape shape) {
        shape.applyTo(cluster);
        long now = clock.getAsLong();
        // A new shape replaces the old one: close its window and open the new one.
        log.close(FaultFamily.PARTITION, now);
        open(FaultFamily.PARTITION, shape.label());
    }

    private void open(FaultFamily family, String label) {
        long now = clock.getAsLong();
        log.open(family, label, now);
        log.line(now, label);
    }
}
