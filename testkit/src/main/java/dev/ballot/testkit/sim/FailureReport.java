package dev.ballot.testkit.sim;

/** Renders a {@link SimulationFailure}: what broke, the seed, parameters, node states, last events, replay. */
final class FailureReport {

    private FailureReport() {}

    static SimulationFailure failure(Simulation sim, String invariant, String detail, Throwable cause) {
        SimParams params = sim.params();
        StringBuilder sb = new StringBuilder();
        sb.append("Simulation failed: ").append(invariant).append('\n');
        sb.append("  ").append(detail).append('\n');
        sb.append("seed ").append(params.seed()).append(" at t=").append(sim.now()).append("ms after ")
                .append(sim.trace().count()).append(" events\n");
        sb.append("params ").append(params).append('\n');
        sb.append("network ").append(sim.network().conditions()).append(", partition: ")
                .append(sim.network().partition()).append('\n');
        sb.append("replay: ").append(params.replay() != null ? params.replay()
                : "re-run the test that printed this; its seed is fixed").append('\n');
        sb.append("nodes:\n");
        for (long id : sim.ids()) sb.append("  ").append(sim.node(id).describe()).append('\n');
        sb.append("last ").append(sim.trace().recent().size()).append(" events:\n").append(sim.trace().render());
        return new SimulationFailure(params.seed(), invariant, sb.toString(), cause);
    }
}
