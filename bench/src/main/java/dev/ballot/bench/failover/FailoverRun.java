package dev.ballot.bench.failover;

import dev.ballot.server.NodeStatusView;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover benchmark proper, on a started {@link LocalCluster}: warm up under the probe load,
 * then, {@code kills} times, SIGKILL the leader, time the new leader and its first acknowledged
 * write, restart the killed node and wait until every node has caught up.
 */
final class FailoverRun {

    private static final Logger log = LoggerFactory.getLogger(FailoverRun.class);
    private static final Duration STATUS_TIMEOUT = Duration.ofMillis(500);
    private static final Duration STABLE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long WAIT_STEP_MILLIS = 2;

    /** The leader every node agrees on, and its term. */
    record Leadership(long leader, long term, long commitIndex) {}

    /** A status poll that saw {@code node} lead in {@code term}. */
    private record LeaderSeen(long node, long term, long seenNanos) {}

    private final LocalCluster cluster;
    private final WriteProber prober;
    private final FailoverSettings settings;
    private final PrintStream out;

    FailoverRun(LocalCluster cluster, WriteProber prober, FailoverSettings settings, PrintStream out) {
        this.cluster = cluster;
        this.prober = prober;
        this.settings = settings;
        this.out = out;
    }

    List<FailoverSample> run() throws InterruptedException {
        awaitStable(true);
        int mark = prober.mark();
        for (long id : cluster.ids()) prober.target(id, cluster.redisPort(id));
        Thread.sleep(settings.warmup().toMillis());
        List<ProbeResult> warmup = prober.resultsFrom(mark);
        if (warmup.stream().noneMatch(r -> r.outcome() == ProbeResult.Outcome.OK)) {
            throw new IllegalStateException("no probe write succeeded during the " + settings.warmup().toSeconds()
                    + " s warm-up: " + FailoverAnalysis.outcomes(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, warmup)
                    + "; see the node logs under " + settings.baseDir());
        }
        out.print(FailoverReport.header());
        out.flush();
        List<FailoverSample> samples = new ArrayList<>();
        for (int k = 1; k <= settings.kills(); k++) {
            FailoverSample sample = killLeaderOnce(k);
            samples.add(sample);
            out.print(FailoverReport.line(settings, sample));
            out.flush();
            cluster.awaitExit(sample.victim());
            cluster.restart(sample.victim(), START_TIMEOUT);
            prober.target(sample.victim(), cluster.redisPort(sample.victim()));
            awaitStable(true);
            Thread.sleep(settings.settle().toMillis());
        }
        if (prober.skipped() > 0) {
            out.printf("note: %d probe writes were not sent because a node already had the maximum in flight%n",
                    prober.skipped());
        }
        return samples;
    }

    private FailoverSample killLeaderOnce(int k) throws InterruptedException {
        Leadership before = awaitStable(false);
        long victim = before.leader();
        List<Long> survivors = cluster.ids().stream().filter(id -> id != victim).toList();
        prober.untarget(victim);
        int mark = prober.mark();
        Map<Long, LeaderSeen> seen = new ConcurrentHashMap<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Optional<ProbeResult> ack = Optional.empty();
        long killNanos;
        try (ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long id : survivors) pollers.execute(() -> watchForLeader(id, before.term(), watching, seen));
            killNanos = cluster.kill(victim);
            long deadline = killNanos + settings.failoverTimeout().toNanos();
            while (System.nanoTime() - deadline < 0) {
                ack = FailoverAnalysis.firstAck(killNanos, prober.resultsFrom(mark));
                if (ack.isPresent() && !seen.isEmpty()) break;
                Thread.sleep(WAIT_STEP_MILLIS);
            }
            watching.set(false);
        }
        Optional<LeaderSeen> first = seen.values().stream().min((a, b) -> Long.signum(a.seenNanos() - b.seenNanos()));
        long until = ack.map(ProbeResult::doneNanos).orElse(System.nanoTime());
        Map<String, Long> outcomes = FailoverAnalysis.outcomes(killNanos, until, prober.resultsFrom(mark));
        if (ack.isEmpty()) {
            log.warn("kill {}: no write acknowledged within {} s of killing node {}", k,
                    settings.failoverTimeout().toSeconds(), victim);
        }
        return new FailoverSample(k, victim, before.term(), first.map(LeaderSeen::node).orElse(0L),
                first.map(LeaderSeen::term).orElse(0L),
                first.map(s -> FailoverAnalysis.millis(s.seenNanos() - killNanos)).orElse(null),
                ack.map(a -> FailoverAnalysis.millis(a.doneNanos() - killNanos)).orElse(null),
                ack.map(ProbeResult::node).orElse(0L), outcomes);
    }

    /** Polls node {@code id} until it is seen leading in a term after {@code oldTerm}, or watching ends. */
    private void watchForLeader(long id, long oldTerm, AtomicBoolean watching, Map<Long, LeaderSeen> seen) {
        long interval = settings.pollInterval().toMillis();
        while (watching.get()) {
            Optional<NodeStatusView> s = cluster.status(id, STATUS_TIMEOUT);
            long now = System.nanoTime();
            if (s.isPresent() && "leader".equalsIgnoreCase(s.get().role()) && s.get().term() > oldTerm) {
                seen.putIfAbsent(id, new LeaderSeen(id, s.get().term(), now));
                return;
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Waits until every node answers, all are in the same term and name the same leader, which says it
     * leads; with {@code caughtUp}, also until every node has applied what that leader had committed
     * when they first agreed.
     */
    private Leadership awaitStable(boolean caughtUp) throws InterruptedException {
        long deadline = System.nanoTime() + STABLE_TIMEOUT.toNanos();
        long target = -1;
        Map<Long, String> last = new TreeMap<>();
        while (true) {
            Map<Long, NodeStatusView> statuses = new TreeMap<>();
            for (long id : cluster.ids()) {
                Optional<NodeStatusView> s = cluster.status(id, STATUS_TIMEOUT);
                s.ifPresent(v -> statuses.put(id, v));
                last.put(id, s.map(v -> v.role() + " term " + v.term() + " leader " + v.leader() + " applied "
                        + v.appliedIndex()).orElse("no answer"));
            }
            Optional<Leadership> agreed = agreement(statuses, cluster.ids().size());
            if (agreed.isPresent()) {
                Leadership l = agreed.get();
                if (!caughtUp) return l;
                if (target < 0) target = l.commitIndex();
                long minApplied = statuses.values().stream().mapToLong(NodeStatusView::appliedIndex).min().orElse(-1);
                if (minApplied >= target) return l;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the cluster did not settle on one leader" + (caughtUp ? " with every node "
                        + "caught up" : "") + " within " + STABLE_TIMEOUT.toSeconds() + " s; last statuses: " + last
                        + "; see the node logs under " + settings.baseDir());
            }
            Thread.sleep(50);
        }
    }

    /** The leader all {@code size} nodes agree on, if they all answered and do. */
    static Optional<Leadership> agreement(Map<Long, NodeStatusView> statuses, int size) {
        if (statuses.size() < size) return Optional.empty();
        List<NodeStatusView> leaders = statuses.values().stream().filter(s -> "leader".equalsIgnoreCase(s.role())).toList();
        if (leaders.size() != 1) return Optional.empty();
        NodeStatusView leader = leaders.get(0);
        boolean agree = statuses.values().stream()
                .allMatch(s -> s.term() == leader.term() && s.leader() == leader.id());
        return agree ? Optional.of(new Leadership(leader.id(), leader.term(), leader.commitIndex())) : Optional.empty();
    }
}
