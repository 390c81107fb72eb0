package dev.ballot.testkit.sim;

import dev.ballot.raft.ProposeResult;
import dev.ballot.raft.RaftNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An open-loop client: every few milliseconds it proposes a new, unique command ({@code "c1"},
 * {@code "c2"}, ...) to the node it believes is the leader, following {@code NotLeader} hints and
 * picking a random node when it has none. It never retries a command: each one is proposed at most
 * once, so the checker can insist that each is applied at most once. Outcomes are tracked by
 * {@link Simulation#proposals()}.
 *
 * <p>With {@link #withReads} it also asks for linearizable reads (ReadIndex) at random times, each
 * from a random node that believes it is leader (a deposed leader too, which must never release a
 * stale read); the checker verifies every release.
 */
public final class Workload {

    private final Simulation sim;
    private final RandomGenerator random;
    private final int maxOutstanding;
    private final String prefix;
    private long believedLeader = RaftNode.NONE;
    private long seq;
    private final Recurring schedule;
    private Recurring reads;
    private long readsIssued;

    /**
     * @param minIntervalMillis shortest pause between two proposals
     * @param maxIntervalMillis longest pause
     * @param maxOutstanding    at most this many proposals pending on one node (back-pressure)
     */
    public Workload(Simulation sim, RandomGenerator random, long minIntervalMillis, long maxIntervalMillis,
                    int maxOutstanding) {
        this(sim, random, minIntervalMillis, maxIntervalMillis, maxOutstanding, "c");
    }

    /** As above, with commands named {@code prefix + seq} (use distinct prefixes for several workloads). */
    public Workload(Simulation sim, RandomGenerator random, long minIntervalMillis, long maxIntervalMillis,
                    int maxOutstanding, String prefix) {
        if (minIntervalMillis < 1 || maxIntervalMillis < minIntervalMillis) {
            throw new IllegalArgumentException("bad interval " + minIntervalMillis + ".." + maxIntervalMillis);
        }
        this.sim = sim;
        this.random = random;
        this.maxOutstanding = maxOutstanding;
        this.prefix = prefix;
        this.schedule = new Recurring(sim, random, minIntervalMillis, maxIntervalMillis, "client", this::issue);
    }

    /** Also issues a read every [minIntervalMillis, maxIntervalMillis] ms while started. */
    public Workload withReads(RandomGenerator readRandom, long minIntervalMillis, long maxIntervalMillis) {
        if (minIntervalMillis < 1 || maxIntervalMillis < minIntervalMillis) {
            throw new IllegalArgumentException("bad read interval " + minIntervalMillis + ".." + maxIntervalMillis);
        }
        reads = new Recurring(sim, readRandom, minIntervalMillis, maxIntervalMillis, "reader", () -> read(readRandom));
        return this;
    }

    public void start() {
        schedule.start();
        if (reads != null) reads.start();
    }

    public void stop() {
        schedule.stop();
        if (reads != null) reads.stop();
    }

    /** Reads asked of a node that believed it was leader. */
    public long readsIssued() {
        return readsIssued;
    }

    private void read(RandomGenerator readRandom) {
        List<Long> leaders = sim.leaders();
        if (leaders.isEmpty()) return;
        readsIssued++;
        sim.readIndex(leaders.get(readRandom.nextInt(leaders.size())));
    }

    /** Commands handed to some node so far (accepted or not). */
    public long issued() {
        return seq;
    }


    private void issue() {
        List<Long> up = sim.upNodes();
        if (up.isEmpty()) return;
        long target = believedLeader != RaftNode.NONE && sim.node(believedLeader).isUp()
                ? believedLeader : up.get(random.nextInt(up.size()));
        if (sim.proposals().pendingOn(target) >= maxOutstanding) return;
        byte[] command = (prefix + (++seq)).getBytes(StandardCharsets.US_ASCII);
        ProposeResult r = sim.propose(target, command);
        if (r instanceof ProposeResult.NotLeader nl) {
            believedLeader = nl.leaderId();
        } else if (r instanceof ProposeResult.Accepted) {
            believedLeader = target;
        }
    }
}
