package dev.ballot.bench;

import dev.ballot.raft.ProposeResult;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.Role;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine throughput without I/O (issue 2): a 3-node {@link InstantCluster} over
 * {@code MemoryLogStorage}, single thread. One operation proposes {@code batch} commands of
 * {@code payload} bytes on the leader and drives Ready/advance/delivery until the leader has
 * committed and applied all of them (a closed loop: the next batch is proposed only then).
 *
 * <p>The primary score is batches per second; the secondary {@code entries} counter is the number
 * that matters, committed entries per second (= batches/s &times; batch). See docs/benchmarks.md.
 *
 * <p>The cluster is rebuilt for every iteration, outside the measured time, so the in-memory logs
 * (which nothing trims) only hold one iteration's entries. Each iteration is checked on teardown:
 * the leader committed and applied exactly {@code ops * batch} new commands, it is still leader of
 * the same term, and once the cluster is quiet every node holds and has applied the same log.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Threads(1)
public class EngineThroughputBenchmark {

    /** Commands proposed per operation, all before the first ready(). */
    @Param({"1", "16", "256", "1024"})
    public int batch;

    /** Bytes per command. */
    @Param({"16", "128"})
    public int payload;

    /**
     * {@code memory}: the engine's MemoryLogStorage, which keeps every entry (the cluster is
     * rebuilt each iteration, so at most one iteration's worth). {@code compacting}: the same
     * storage plus prefix compaction every {@link #COMPACT_EVERY} entries, so the heap holds a
     * small log and GC copying of the retained log is taken out of the measurement.
     */
    @Param({"memory", "compacting"})
    public String log;

    private static final long COMPACT_EVERY = 1 << 16;

    /** Distinct payload arrays, reused round-robin (the engine never mutates them). */
    private static final int PAYLOAD_POOL = 4096;

    private byte[][] payloads;
    private int nextPayload;

    private InstantCluster cluster;
    private RaftNode leader;
    private long term;
    private long commitAtStart;
    private long appliedCommandsAtStart;
    private long appliedBytesAtStart;
    private long ops;

    /** Committed entries, reported by JMH as a rate (entries/s) next to the primary batches/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Committed {
        public long entries;

        @Setup(Level.Iteration)
        public void reset() {
            entries = 0;
        }
    }

    @Setup(Level.Trial)
    public void payloads() {
        SplittableRandom random = new SplittableRandom(42);
        payloads = new byte[PAYLOAD_POOL][];
        for (int i = 0; i < PAYLOAD_POOL; i++) {
            payloads[i] = new byte[payload];
            random.nextBytes(payloads[i]);
        }
    }

    @Setup(Level.Iteration)
    public void cluster() {
        cluster = new InstantCluster(3, 7, c -> c.withMaxBytesPerMessage(64L << 20).withMaxBytesPerReady(64L << 20),
                switch (log) {
                    case "memory" -> false;
                    case "compacting" -> true;
                    default -> throw new IllegalArgumentException("log must be memory or compacting, was " + log);
                });
        leader = cluster.electLeader(1_000);
        term = leader.currentTerm();
        // The leader's no-op is committed and applied everywhere before measuring starts.
        cluster.quiesce();
        commitAtStart = leader.commitIndex();
        appliedCommandsAtStart = cluster.appliedCommands(leader.id());
        appliedBytesAtStart = cluster.appliedBytes(leader.id());
        if (commitAtStart < 1 || leader.appliedIndex() != commitAtStart) {
            throw new IllegalStateException("setup: leader commit " + commitAtStart + ", applied " + leader.appliedIndex());
        }
        ops = 0;
    }

    @Benchmark
    public long commitBatch(Committed committed) {
        RaftNode l = leader;
        byte[][] pool = payloads;
        int p = nextPayload;
        for (int i = 0; i < batch; i++) {
            if (!(l.propose(pool[p]) instanceof ProposeResult.Accepted)) {
                throw new IllegalStateException("node " + l.id() + " refused a proposal: no longer leader");
            }
            p = p + 1 == PAYLOAD_POOL ? 0 : p + 1;
        }
        nextPayload = p;
        long target = l.lastIndex();
        cluster.driveUntilApplied(l, target);
        cluster.compactIfAbove(COMPACT_EVERY);
        ops++;
        committed.entries += batch;
        return l.commitIndex();
    }

    /** Fails the run if the iteration did not do the work it claims. */
    @TearDown(Level.Iteration)
    public void verify() {
        long expected = ops * batch;
        long leaderId = leader.id();
        check(ops > 0, "no operation ran");
        check(leader.role() == Role.LEADER && leader.currentTerm() == term,
                "leader " + leaderId + " lost leadership: role " + leader.role() + ", term " + leader.currentTerm());
        check(leader.commitIndex() - commitAtStart == expected,
                "leader commit advanced by " + (leader.commitIndex() - commitAtStart) + ", expected " + expected);
        check(leader.appliedIndex() == leader.commitIndex(), "leader applied " + leader.appliedIndex()
                + " != commit " + leader.commitIndex());
        check(cluster.appliedCommands(leaderId) - appliedCommandsAtStart == expected,
                "leader applied " + (cluster.appliedCommands(leaderId) - appliedCommandsAtStart) + " commands, expected "
                        + expected);
        check(cluster.appliedBytes(leaderId) - appliedBytesAtStart == expected * payload,
                "leader applied wrong number of payload bytes");
        cluster.quiesce();
        long commit = leader.commitIndex();
        for (long id = 1; id <= cluster.size(); id++) {
            RaftNode n = cluster.node(id);
            check(n.commitIndex() == commit && n.appliedIndex() == commit,
                    "node " + id + " commit " + n.commitIndex() + " applied " + n.appliedIndex() + ", leader " + commit);
            check(cluster.storage(id).lastIndex() == commit && cluster.storage(id).term(commit) == term,
                    "node " + id + " stored log ends at " + cluster.storage(id).lastIndex());
            check(cluster.appliedCommands(id) == cluster.appliedCommands(leaderId)
                            && cluster.appliedBytes(id) == cluster.appliedBytes(leaderId),
                    "node " + id + " applied different commands than the leader");
            check(cluster.persistedHardState(id).commitIndex() <= commit, "node " + id + " persisted a future commit");
        }
        // Let the logs go before the next iteration builds a new cluster.
        cluster = null;
        leader = null;
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("EngineThroughputBenchmark verification failed: " + what);
    }
}
