package dev.ballot.testkit.sim.runtime;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * ReadIndex's promise (thesis §6.4), seen where a client sees it: a read a node answers reflects
 * every entry committed anywhere in the cluster when the read reached that node, so the node's
 * state machine has applied at least that far when the reply leaves. The highest committed index
 * is what the run's invariants have seen nodes report, so the check can miss a stale read but never
 * flags a correct one.
 */
final class ReadIndexCheck {

    private final LongSupplier committed;
    private final Consumer<RuntimeViolation> report;

    ReadIndexCheck(LongSupplier committed, Consumer<RuntimeViolation> report) {
        this.committed = committed;
        this.report = report;
    }

    /** A read reaches a node: what it must see. */
    long asked() {
        return committed.getAsLong();
    }

    /** Node {@code node} answers a read asked when {@code mustSee} was committed, having applied {@code applied}. */
    void answered(long node, long connection, long mustSee, long applied) {
        if (applied < mustSee) {
            report.accept(new RuntimeViolation("read index", "node " + node + " answered a read on connection "
                    + connection + " having applied up to " + applied + ", but index " + mustSee
                    + " was committed when the read arrived: the reply can miss a completed write"));
        }
    }
}
