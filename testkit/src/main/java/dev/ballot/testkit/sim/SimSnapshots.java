package dev.ballot.testkit.sim;

import dev.ballot.raft.Message;
import dev.ballot.raft.Ready;

/**
 * The simulated runtime's snapshot transfers: a leader's Ready asks for a snapshot to be sent
 * ({@link Message.InstallSnapshot}); the runtime streams its newest one, here as one delivery
 * through the network (lost, delayed or duplicated like a message), steps the follower's engine
 * with it on arrival, and reports the transfer's outcome to the leader's engine.
 */
final class SimSnapshots {

    private final Simulation sim;
    private long compactions;
    private long installed;

    SimSnapshots(Simulation sim) {
        this.sim = sim;
    }

    /** Snapshots taken, each compacting a node's log. */
    long compactions() {
        return compactions;
    }

    /** Snapshots received from a leader and installed on a follower's disk. */
    long installed() {
        return installed;
    }

    /** The runtime's snapshot policy, after a Ready of {@code n} finished: take one every snapshotEvery entries. */
    void maybeCompact(SimNode n) {
        int every = sim.params().snapshotEvery();
        int index = n.applied().size();
        // Not while a snapshot from the leader is installed in memory but not yet on disk.
        boolean durable = index > 0 && n.store().termAt(index) == n.applied().getLast().term();
        if (every == 0 || !durable || index - n.store().snapshotIndex() < every) return;
        // The checker sees the commit this snapshot rests on first: a crash may follow in this event.
        sim.checker().afterEvent(n);
        n.store().compact(n.applied());
        compactions++;
        sim.trace().record(sim.now(), n.id(), "compact", "up to " + index, index);
    }

    /** The disk part of installing {@code ready}'s snapshot (the state machine took it when the Ready was taken). */
    void install(SimNode n, Ready ready) {
        n.store().install(n.receivedSnapshot(ready.snapshot()));
        installed++;
    }

    /** The leader's engine asked for a snapshot to be sent to {@code ask.to()}. */
    void send(Message.InstallSnapshot ask) {
        sim.messages().onSent(ask);
        SimNode leader = sim.node(ask.from());
        SimNode dest = sim.node(ask.to());
        DurableStore.Snapshot snap = leader.store().snapshot();
        if (snap == null || snap.meta().lastIncludedIndex() < ask.lastIncludedIndex()) {
            throw new InvariantViolation("Snapshot request", "node " + leader.id() + " asks for a snapshot up to "
                    + ask.lastIncludedIndex() + " but holds " + leader.store());
        }
        // The runtime sends its newest snapshot, which may cover more than was asked for.
        Message.InstallSnapshot carried = new Message.InstallSnapshot(ask.from(), ask.to(), ask.term(),
                snap.meta().lastIncludedIndex(), snap.meta().lastIncludedTerm());
        long[] delays = !dest.isUp() || sim.network().isBlocked(ask.from(), ask.to()) ? new long[0]
                : sim.network().plan(sim.messages());
        long arrival = 0;
        for (long delay : delays) {
            sim.schedule(delay, new SimEvent.DeliverSnapshot(carried, snap, dest.incarnation()));
            arrival = Math.max(arrival, delay);
        }
        boolean delivered = delays.length > 0;
        // The stream's end is known a round trip after it arrived; a lost one only after a timeout.
        long report = delivered ? 2 * arrival + 1
                : 10L * sim.params().tickMillis() * sim.params().engine().electionTicks();
        int incarnation = leader.incarnation();
        sim.schedule(report, new SimEvent.Action("snapshot report " + ask.to(), leader.id(), () -> {
            if (!leader.isUp() || leader.incarnation() != incarnation) return;
            leader.engine().reportSnapshot(ask.to(), delivered);
            sim.afterNodeEvent(leader);
        }));
    }

    /** The whole snapshot reached the follower's runtime, which steps the engine with its InstallSnapshot. */
    void deliver(SimEvent.DeliverSnapshot d) {
        Message m = d.message();
        SimNode n = sim.node(m.to());
        if (!n.isUp() || n.incarnation() != d.incarnation() || sim.network().isBlocked(m.from(), m.to())) {
            sim.trace().digestOnly(sim.now(), n.id(), 4, Hashing.message(m));
            return;
        }
        sim.trace().record(sim.now(), n.id(), "snapshot", m, Hashing.message(m));
        n.received(d.snapshot());
        n.engine().step(m);
        sim.afterNodeEvent(n);
    }
}
