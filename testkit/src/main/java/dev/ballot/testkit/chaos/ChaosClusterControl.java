package dev.ballot.testkit.chaos;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link ClusterControl} over a real {@link ChaosCluster}. */
public final class ChaosClusterControl implements ClusterControl {

    private final ChaosCluster cluster;

    public ChaosClusterControl(ChaosCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public List<Long> ids() {
        return cluster.ids();
    }

    @Override
    public Optional<Long> leader() {
        return cluster.leader();
    }

    @Override
    public void kill(long id) {
        cluster.kill(id);
    }

    @Override
    public void restart(long id) {
        cluster.restart(id);
    }

    @Override
    public void pause(long id) {
        cluster.pause(id);
    }

    @Override
    public void resume(long id) {
        cluster.resume(id);
    }

    @Override
    public void partition(Collection<Set<Long>> sides) {
        cluster.network().partition(sides);
    }

    @Override
    public void cut(long from, long to) {
        cluster.network().cut(from, to);
    }

    @Override
    public void heal() {
        cluster.network().heal();
    }

    @Override
    public void setLoss(double probability) {
        cluster.network().setLoss(probability);
    }

    @Override
    public void setDelay(Duration min, Duration max) {
        cluster.network().setDelay(min, max);
    }

    @Override
    public void clearLossAndDelay() {
        cluster.network().clearLossAndDelay();
    }

    @Override
    public void healAll() {
        cluster.healAll();
        cluster.network().clearLossAndDelay();
    }

    @Override
    public String describeNetwork() {
        return cluster.network().describe();
    }
}
