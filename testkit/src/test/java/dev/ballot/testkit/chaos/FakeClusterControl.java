package dev.ballot.testkit.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A {@link ClusterControl} that records the calls made to it, with a leader the test sets. */
final class FakeClusterControl implements ClusterControl {

    final List<String> calls = new ArrayList<>();
    private final List<Long> ids;
    Long leader;

    FakeClusterControl(int size, Long leader) {
        List<Long> all = new ArrayList<>();
        for (long id = 1; id <= size; id++) all.add(id);
        this.ids = List.copyOf(all);
        this.leader = leader;
    }

    @Override
    public List<Long> ids() {
        return ids;
    }

    @Override
    public Optional<Long> leader() {
        return Optional.ofNullable(leader);
    }

    @Override
    public void kill(long id) {
        calls.add("kill " + id);
    }

    @Override
    public void restart(long id) {
        calls.add("restart " + id);
    }

    @Override
    public void pause(long id) {
        calls.add("pause " + id);
    }

    @Override
    public void resume(long id) {
        calls.add("resume " + id);
    }

    @Override
    public void partition(Collection<Set<Long>> sides) {
        calls.add("partition " + sides.stream().map(side -> new TreeSet<>(side).toString()).collect(Collectors.joining(" | ")));
    }

    @Override
    public void cut(long from, long to) {
        calls.add("cut " + from + "->" + to);
    }

    @Override
    public void heal() {
        calls.add("heal");
    }

    @Override
    public void setLoss(double probability) {
        calls.add("loss " + probability);
    }

    @Override
    public void setDelay(Duration min, Duration max) {
        calls.add("delay " + min.toMillis() + "-" + max.toMillis());
    }

    @Override
    public void clearLossAndDelay() {
        calls.add("clear");
    }

    @Override
    public void healAll() {
        calls.add("healAll");
    }

    @Override
    public String describeNetwork() {
        return "fake network";
    }
}
