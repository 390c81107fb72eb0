package dev.ballot.testkit.chaos;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;

/**
 * A fault-injecting TCP proxy in front of every directed peer link (node {@code from} dials node
 * {@code to} through it). It understands the peer transport's frames, so it can drop or delay
 * whole messages and cut links without corrupting the byte stream.
 */
public interface FaultProxy extends AutoCloseable {

    /**
     * Cuts every link between different sides (both directions); links within a side work. Nodes
     * in no side are cut from everyone. Replaces the previous partition.
     */
    void partition(Collection<Set<Long>> sides);

    /**
     * Cuts exactly the directed link {@code from -> to} (for bridges, rings and one-way faults): the
     * connection {@code from} dials to {@code to}, both directions of that TCP stream. A Ballot node
     * sends only on connections it dialled and answers on its own link {@code to -> from}, so after
     * this cut {@code from}'s messages no longer reach {@code to} while {@code to}'s still reach
     * {@code from}. Adds to the cuts in force.
     */
    void cut(long from, long to);

    /** Every link works again (loss and delay stay as set). */
    void heal();

    /** Each peer message is dropped with this probability (0 = none). */
    void setLoss(double probability);

    /** Each peer message is held for a uniformly random time in [min, max] (order kept per link). */
    void setDelay(Duration min, Duration max);

    /** No loss, no delay. */
    void clearLossAndDelay();

    /** Human-readable description of the faults now in force (for the run's log). */
    String describe();

    @Override
    void close();
}
