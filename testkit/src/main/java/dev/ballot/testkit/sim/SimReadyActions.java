package dev.ballot.testkit.sim;

import dev.ballot.node.ReadyPipeline;
import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;
import dev.ballot.raft.ReadState;
import dev.ballot.raft.Ready;

import java.util.List;

/**
 * Carries out the production Ready pipeline's requests on one incarnation of a simulated node:
 * its disk (now, or queued for the simulated storage), the network and the state machine, with
 * the {@link InvariantChecker} watching each step.
 */
final class SimReadyActions implements ReadyPipeline.Actions {

    private final Simulation sim;
    private final SimNode n;
    private final int incarnation;

    SimReadyActions(Simulation sim, SimNode n) {
        this.sim = sim;
        this.n = n;
        this.incarnation = n.incarnation();
    }

    private boolean current() {
        return n.isUp() && n.incarnation() == incarnation;
    }

    @Override
    public void persist(Ready ready, List<Entry> entries, HardState hardState, Runnable durable) {
        SimNode.Taken write = new SimNode.Taken(ready, entries, hardState, durable, ready.role(),
                n.engine().currentTerm());
        if (!sim.params().asyncReady()) {
            sim.write(n, write);
            return;
        }
        n.addInFlight(write);
        sim.scheduleWrites(n);
    }

    /** Sends in a canonical order (by receiver, stable), so a run does not depend on collection order. */
    @Override
    public void send(List<Message> messages) {
        if (!current()) return;
        for (Message m : Hashing.canonicalOrder(messages)) {
            sim.checker().onSend(n, m);
            sim.send(m);
        }
    }

    @Override
    public void apply(Ready ready) {
        // The pipeline's first action on every Ready it takes.
        sim.trace().record(sim.now(), n.id(), "ready", ready, Hashing.ready(ready));
        if (ready.snapshot() != null) {
            // Installing: the state machine becomes the snapshot now (no entry it covers is applied
            // again, later Readies' entries follow it); the disk is reset when the write is done.
            DurableStore.Snapshot s = n.receivedSnapshot(ready.snapshot());
            sim.checker().onSnapshotInstalled(n, s.entries());
            n.restoreStateMachine(s);
        }
        for (Entry c : ready.committedEntries()) {
            sim.checker().onApplied(n, c);
            n.apply(c);
            sim.proposals().onApplied(n.id(), n.incarnation(), c);
        }
        // Confirmed reads: served once the state machine reaches their index (checked as released).
        for (ReadState s : ready.readStates()) sim.checker().onReadReleased(n, s);
    }

    @Override
    public void finished(Ready ready) {
        sim.checker().afterAdvance(n, !sim.params().asyncReady(), n.pipeline().inFlight() == 0);
        if (current()) sim.snapshots().maybeCompact(n);
    }
}
