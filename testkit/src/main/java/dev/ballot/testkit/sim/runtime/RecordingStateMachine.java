package dev.ballot.testkit.sim.runtime;

import dev.ballot.node.StateMachine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The KV state machine as the server sees it, with a note of every command applied (index, bytes,
 * and the term the node's disk held at that index right then), which the run's invariants take
 * after each event to check exactly-once, in-order, durable-before-apply application.
 */
final class RecordingStateMachine implements StateMachine {

    /**
     * One application: {@code durableTerm} is 0 when the node's disk did not hold the entry. A
     * {@code restore} replaced the whole state by a snapshot instead (index and command unknown here).
     */
    record Applied(long index, byte[] command, long durableTerm, boolean restore) {
        static final Applied RESTORE = new Applied(-1, new byte[0], 0, true);
    }

    private final StateMachine delegate;
    private final Supplier<DurableState> durable;
    private final List<Applied> since = new ArrayList<>();

    RecordingStateMachine(StateMachine delegate, Supplier<DurableState> durable) {
        this.delegate = delegate;
        this.durable = durable;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        since.add(new Applied(index, command, durable.get().termAt(index), false));
        return delegate.apply(index, command);
    }

    /** The applications since the last call. */
    List<Applied> drain() {
        if (since.isEmpty()) return List.of();
        List<Applied> out = List.copyOf(since);
        since.clear();
        return out;
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        delegate.writeSnapshot(out);
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
        delegate.restoreSnapshot(in);
        since.add(Applied.RESTORE);
    }

    @Override
    public Snapshot takeSnapshot() throws IOException {
        return delegate.takeSnapshot();
    }

    @Override
    public boolean canTakeSnapshot() {
        return delegate.canTakeSnapshot();
    }
}
