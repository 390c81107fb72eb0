package dev.ballot.bench.peers.ballot;

import dev.ballot.bench.peers.Counter;
import dev.ballot.node.StateMachine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@link Counter} as a Ballot {@link StateMachine}. */
final class BallotCounterMachine implements StateMachine {

    private final Counter counter = new Counter();

    @Override
    public byte[] apply(long index, byte[] command) {
        return Counter.encode(counter.apply());
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        new DataOutputStream(out).writeLong(counter.value());
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
        counter.restore(new DataInputStream(in).readLong());
    }
}
