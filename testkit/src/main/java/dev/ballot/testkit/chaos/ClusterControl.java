package dev.ballot.testkit.chaos;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the {@link Nemesis} needs of a cluster: a narrow view of {@link ChaosCluster} (see
 * {@link ChaosClusterControl}) that tests can fake.
 */
public interface ClusterControl {

    List<Long> ids();

    /** The current leader, if the nodes agree on one. */
    Optional<Long> leader();

    void kill(long id);

    void restart(long id);

    void pause(long id);

    void resume(long id);

    /** Cuts every link between different sides; replaces the previous partition. */
    void partition(Collection<Set<Long>> sides);

    /** Cuts the directed link {@code from -> to}. */
    void cut(long from, long to);

    /** Every link works again (loss and delay stay). */
    void heal();

    void setLoss(double probability);

    void setDelay(Duration min, Duration max);

    void clearLossAndDelay();

    /** Resumes, restarts, heals and clears loss and delay: no fault left. */
    void healAll();

    /** The network faults now in force, for the nemesis log. */
    String describeNetwork();
}
