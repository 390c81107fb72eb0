package dev.ballot.testkit.sim;

/**
 * Thrown by the checker and the durable store when a Raft invariant does not hold. The
 * {@link Simulation} turns it into a {@link SimulationFailure} carrying the seed and the trace.
 */
public final class InvariantViolation extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String invariant;

    public InvariantViolation(String invariant, String detail) {
        super(invariant + ": " + detail);
        this.invariant = invariant;
    }

    /** The name of the broken invariant, e.g. "Election Safety". */
    public String invariant() {
        return invariant;
    }
}
