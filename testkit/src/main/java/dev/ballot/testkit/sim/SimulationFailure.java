package dev.ballot.testkit.sim;

/**
 * A simulated run went wrong: an invariant was violated, the engine threw, or a liveness
 * expectation was not met. The message carries everything needed to understand and replay it:
 * the seed, the parameters, the invariant, the node states, the last events and the replay command.
 */
public final class SimulationFailure extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final long seed;
    private final String invariant;

    public SimulationFailure(long seed, String invariant, String message, Throwable cause) {
        super(message, cause);
        this.seed = seed;
        this.invariant = invariant;
    }

    public long seed() {
        return seed;
    }

    /** The broken invariant or expectation, e.g. "Election Safety" or "Liveness". */
    public String invariant() {
        return invariant;
    }
}
