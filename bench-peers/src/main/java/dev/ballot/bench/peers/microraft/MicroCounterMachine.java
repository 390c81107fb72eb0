package dev.ballot.bench.peers.microraft;

import dev.ballot.bench.peers.Counter;
import io.microraft.statemachine.StateMachine;

import java.util.List;
import java.util.function.Consumer;

/** {@link Counter} as a MicroRaft state machine: commands are byte arrays, snapshots one 8-byte chunk. */
final class MicroCounterMachine implements StateMachine {

    private final Counter counter = new Counter();

    @Override
    public Object runOperation(long commitIndex, Object operation) {
        if (operation instanceof byte[]) return Counter.encode(counter.apply());
        if (operation == NewTermOp.INSTANCE) return null;
        throw new IllegalArgumentException("unexpected operation " + operation.getClass().getName());
    }

    @Override
    public void takeSnapshot(long commitIndex, Consumer<Object> snapshotChunkConsumer) {
        snapshotChunkConsumer.accept(Counter.encode(counter.value()));
    }

    @Override
    public void installSnapshot(long commitIndex, List<Object> snapshotChunks) {
        counter.restore(snapshotChunks.isEmpty() ? 0 : Counter.decode((byte[]) snapshotChunks.get(0)));
    }

    @Override
    public Object getNewTermOperation() {
        return NewTermOp.INSTANCE;
    }
}
