package dev.ballot.testkit.sim.runtime;

import dev.ballot.node.Loop;
import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.SnapshotFrame;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.Message;

/** One node incarnation's end of the {@link SimNet}: the production {@link Transport} contract in virtual time. */
final class SimTransport implements Transport {

    private final long id;
    private final SimNet net;
    private final SimHost host;
    private final PersistBeforeSend checks;

    SimTransport(long id, SimNet net, SimHost host, PersistBeforeSend checks) {
        this.id = id;
        this.net = net;
        this.host = host;
        this.checks = checks;
    }

    @Override
    public void start(Inbound inbound, Loop loop) {
        net.attach(id, (SimLoop) loop, inbound);
    }

    @Override
    public void send(Message message) {
        checks.check(id, message, host.durable());
        net.send(id, message);
    }

    @Override
    public boolean send(long to, Forward frame) {
        return net.sendForward(id, to, frame);
    }

    @Override
    public boolean send(long to, SnapshotFrame frame) {
        return net.sendSnapshot(id, to, frame);
    }

    @Override
    public long droppedCount() {
        return net.dropped();
    }

    /** The simulator never closes a node: a crash drops the whole incarnation instead. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("a simulated node is crashed, never closed");
    }
}
