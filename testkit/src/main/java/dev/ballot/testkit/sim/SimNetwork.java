package dev.ballot.testkit.sim;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The simulated network: decides, per message, whether it is lost, duplicated, and how long each
 * copy travels; and which directed links a {@link Partition} currently blocks. It schedules
 * nothing itself; {@link Simulation} turns its answers into delivery events.
 */
public final class SimNetwork {

    private static final long[] NONE = new long[0];

    private final RandomGenerator random;
    private NetworkConditions conditions;
    private Partition partition = Partition.none();

    SimNetwork(RandomGenerator random, NetworkConditions conditions) {
        this.random = random;
        this.conditions = Objects.requireNonNull(conditions);
    }

    public NetworkConditions conditions() {
        return conditions;
    }

    public void setConditions(NetworkConditions conditions) {
        this.conditions = Objects.requireNonNull(conditions);
    }

    public Partition partition() {
        return partition;
    }

    /** Replaces the current partition (use {@link Partition#none()} or {@link Simulation#heal()} to heal). */
    void setPartition(Partition partition) {
        this.partition = Objects.requireNonNull(partition);
    }

    public boolean isBlocked(long from, long to) {
        return !partition.blocked().isEmpty() && partition.blocks(from, to);
    }

    /** True if {@code a} and {@code b} can exchange messages both ways. */
    public boolean connected(long a, long b) {
        return !isBlocked(a, b) && !isBlocked(b, a);
    }

    /**
     * The delivery delays of one message: none if it is lost, two if it is duplicated.
     * Consumes randomness in a fixed pattern so runs replay exactly.
     */
    long[] plan(MessageStats stats) {
        NetworkConditions c = conditions;
        if (c.lossRate() > 0 && random.nextDouble() < c.lossRate()) {
            stats.onLost();
            return NONE;
        }
        if (c.duplicateRate() > 0 && random.nextDouble() < c.duplicateRate()) {
            stats.onDuplicated();
            return new long[] {delay(c), delay(c)};
        }
        return new long[] {delay(c)};
    }

    private long delay(NetworkConditions c) {
        if (c.longDelayRate() > 0 && random.nextDouble() < c.longDelayRate()) {
            return random.nextLong(c.minDelayMillis(), c.longDelayMaxMillis() + 1L);
        }
        return random.nextLong(c.minDelayMillis(), c.maxDelayMillis() + 1L);
    }
}
