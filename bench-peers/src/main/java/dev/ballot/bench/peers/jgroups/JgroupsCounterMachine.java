package dev.ballot.bench.peers.jgroups;

import dev.ballot.bench.peers.Counter;
import org.jgroups.raft.StateMachine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** {@link Counter} as a jgroups-raft state machine (snapshots are the 8-byte value). */
final class JgroupsCounterMachine implements StateMachine {

    private final Counter counter = new Counter();

    @Override
    public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
        long value = counter.apply();
        return serializeResponse ? Counter.encode(value) : null;
    }

    @Override
    public void readContentFrom(DataInput in) throws IOException {
        counter.restore(in.readLong());
    }

    @Override
    public void writeContentTo(DataOutput out) throws IOException {
        out.writeLong(counter.value());
    }
}
