package dev.ballot.node;

import dev.ballot.raft.Entry;

import java.util.List;
import java.util.PriorityQueue;

/**
 * Applies on the node loop, as part of the turn that learnt of the commit: no thread hand-off
 * between the commit and the reply. The default; right for a state machine that answers in
 * microseconds, like the KV store. A state machine that throws stops the node (it is thrown to the
 * loop, which stops the node so replicas cannot diverge).
 */
final class InlineApplier implements Applier {

    private record WaitingRead(long index, PendingRead<?> read) {}

    private final StateMachine stateMachine;
    private final Proposals proposals;
    private final PriorityQueue<WaitingRead> reads = new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
    private volatile long appliedIndex;

    InlineApplier(StateMachine stateMachine, Proposals proposals, long appliedIndex) {
        this.stateMachine = stateMachine;
        this.proposals = proposals;
        this.appliedIndex = appliedIndex;
    }

    @Override
    public void apply(List<Entry> committed, long leaderHint) {
        long applied = appliedIndex;
        for (Entry e : committed) {
            byte[] result = Applier.applyNext(stateMachine, applied, e);
            applied = e.index();
            appliedIndex = applied;
            proposals.applied(e, result, leaderHint);
        }
        serveReads();
    }

    @Override
    public void readAt(long index, PendingRead<?> read) {
        if (index <= appliedIndex) {
            read.serve();
        } else {
            reads.add(new WaitingRead(index, read));
        }
    }

    @Override
    public void readNow(PendingRead<?> read) {
        read.serve();
    }

    private void serveReads() {
        while (!reads.isEmpty() && reads.peek().index() <= appliedIndex) {
            reads.poll().read().serve();
        }
    }

    @Override
    public void takeSnapshot(SnapshotTaken taken) {
        long index = appliedIndex;
        taken.taken(index, Applier.take(stateMachine, index));
    }

    @Override
    public void restore(long index, SnapshotSource source) {
        Applier.restoreFrom(stateMachine, index, source);
        appliedIndex = index;
        serveReads();
    }

    @Override
    public long appliedIndex() {
        return appliedIndex;
    }

    @Override
    public void stop() {
        for (WaitingRead r : reads) {
            r.read().fail(RequestFailure.Kind.SHUTDOWN, 0, "the node stopped before the read was served");
        }
        reads.clear();
    }
}
