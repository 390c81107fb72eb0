package dev.ballot.testkit.sim;

import java.util.Objects;

/**
 * Everything that defines a simulated run besides the test's own actions. Two simulations built
 * from equal parameters and driven the same way are identical, event for event.
 *
 * @param seed                   the one seed every random choice derives from
 * @param nodes                  cluster size (ids 1..nodes)
 * @param tickMillis             virtual milliseconds between two ticks of a node
 * @param electionTicks          engine election timeout base (see {@code Config})
 * @param heartbeatTicks         engine heartbeat interval
 * @param preVote                engine pre-vote
 * @param checkQuorum            engine check-quorum
 * @param maxPersistDelayMillis  a node carries out a Ready 0..this many ms after it becomes ready
 * @param network                initial network conditions
 * @param crashDuringPersistRate probability that a node crashes while persisting a Ready
 * @param traceCapacity          events kept for failure messages
 * @param replay                 how to re-run this exact simulation, printed on failure (may be null)
 */
public record SimParams(long seed, int nodes, int tickMillis, int electionTicks, int heartbeatTicks, boolean preVote,
                        boolean checkQuorum, int maxPersistDelayMillis, NetworkConditions network,
                        double crashDuringPersistRate, int traceCapacity, String replay) {

    public SimParams {
        if (nodes < 1) throw new IllegalArgumentException("nodes must be >= 1, was " + nodes);
        if (tickMillis < 1) throw new IllegalArgumentException("tickMillis must be >= 1, was " + tickMillis);
        if (maxPersistDelayMillis < 0) throw new IllegalArgumentException("maxPersistDelayMillis must be >= 0");
        if (!(crashDuringPersistRate >= 0 && crashDuringPersistRate <= 1)) {
            throw new IllegalArgumentException("crashDuringPersistRate must be in [0, 1], was " + crashDuringPersistRate);
        }
        Objects.requireNonNull(network, "network");
    }

    /** Engine defaults (15/5 ticks, pre-vote, check-quorum), 10 ms ticks, a reliable network, no crash faults. */
    public static SimParams of(long seed, int nodes) {
        return new SimParams(seed, nodes, 10, 15, 5, true, true, 1, NetworkConditions.reliable(), 0, 50, null);
    }

    public SimParams withNetwork(NetworkConditions n) {
        return new SimParams(seed, nodes, tickMillis, electionTicks, heartbeatTicks, preVote, checkQuorum,
                maxPersistDelayMillis, n, crashDuringPersistRate, traceCapacity, replay);
    }

    public SimParams withCrashDuringPersistRate(double rate) {
        return new SimParams(seed, nodes, tickMillis, electionTicks, heartbeatTicks, preVote, checkQuorum,
                maxPersistDelayMillis, network, rate, traceCapacity, replay);
    }

    public SimParams withMaxPersistDelayMillis(int millis) {
        return new SimParams(seed, nodes, tickMillis, electionTicks, heartbeatTicks, preVote, checkQuorum, millis,
                network, crashDuringPersistRate, traceCapacity, replay);
    }

    public SimParams withEngine(int electionTicks, int heartbeatTicks, boolean preVote, boolean checkQuorum) {
        return new SimParams(seed, nodes, tickMillis, electionTicks, heartbeatTicks, preVote, checkQuorum,
                maxPersistDelayMillis, network, crashDuringPersistRate, traceCapacity, replay);
    }

    public SimParams withTraceCapacity(int capacity) {
        return new SimParams(seed, nodes, tickMillis, electionTicks, heartbeatTicks, preVote, checkQuorum,
                maxPersistDelayMillis, network, crashDuringPersistRate, capacity, replay);
    }

    public SimParams withReplay(String command) {
        return new SimParams(seed, nodes, tickMillis, electionTicks, heartbeatTicks, preVote, checkQuorum,
                maxPersistDelayMillis, network, crashDuringPersistRate, traceCapacity, command);
    }
}
