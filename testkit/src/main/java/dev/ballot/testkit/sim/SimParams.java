package dev.ballot.testkit.sim;

import java.util.Objects;

/**
 * Everything that defines a simulated run besides the test's own actions. Two simulations built
 * from equal parameters and driven the same way are identical, event for event.
 *
 * @param seed                   the one seed every random choice derives from
 * @param nodes                  cluster size (ids 1..nodes)
 * @param tickMillis             virtual milliseconds between two ticks of a node
 * @param engine                 the engine settings of every node
 * @param maxPersistDelayMillis  a node takes its Ready 0..this many ms after it becomes ready
 * @param asyncReady             if true, a Ready is taken in one event and carried out 0..maxPersistDelayMillis
 *                               later in another, while the node keeps ticking, receiving and proposing in
 *                               between (as a runtime with a storage thread does); if false, both in one event
 * @param maxReadiesInFlight     asynchronous mode only: how many Readies a node may take before the oldest is
 *                               persisted (pipelined storage writes; 1 = one at a time). The storage persists them
 *                               in order, a random number of them per write, each write 0..maxPersistDelayMillis
 *                               after the previous one; a crash loses every Ready not yet persisted
 * @param network                initial network conditions
 * @param crashDuringPersistRate probability that a node crashes while persisting a Ready
 * @param traceCapacity          events kept for failure messages
 * @param sabotage               a deliberate runtime bug (only for testing the checker)
 * @param snapshotEvery          a node snapshots its state machine and compacts its log whenever it has applied
 *                               this many entries since its last snapshot (0: never)
 * @param replay                 how to re-run this exact simulation, printed on failure (may be null)
 */
public record SimParams(long seed, int nodes, int tickMillis, EngineOptions engine, int maxPersistDelayMillis,
                        boolean asyncReady, int maxReadiesInFlight, NetworkConditions network,
                        double crashDuringPersistRate, int traceCapacity, Sabotage sabotage, int snapshotEvery,
                        String replay) {

    public SimParams {
        if (nodes < 1) throw new IllegalArgumentException("nodes must be >= 1, was " + nodes);
        if (tickMillis < 1) throw new IllegalArgumentException("tickMillis must be >= 1, was " + tickMillis);
        if (maxPersistDelayMillis < 0) throw new IllegalArgumentException("maxPersistDelayMillis must be >= 0");
        if (maxReadiesInFlight < 1) {
            throw new IllegalArgumentException("maxReadiesInFlight must be >= 1, was " + maxReadiesInFlight);
        }
        if (maxReadiesInFlight > 1 && !asyncReady) {
            throw new IllegalArgumentException("maxReadiesInFlight " + maxReadiesInFlight + " needs asyncReady");
        }
        if (!(crashDuringPersistRate >= 0 && crashDuringPersistRate <= 1)) {
            throw new IllegalArgumentException("crashDuringPersistRate must be in [0, 1], was " + crashDuringPersistRate);
        }
        if (traceCapacity < 1) throw new IllegalArgumentException("traceCapacity must be >= 1");
        if (snapshotEvery < 0) throw new IllegalArgumentException("snapshotEvery must be >= 0, was " + snapshotEvery);
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(sabotage, "sabotage");
    }

    /** Engine defaults (15/5 ticks, pre-vote, check-quorum), 10 ms ticks, a reliable network, no crash faults. */
    public static SimParams of(long seed, int nodes) {
        return new SimParams(seed, nodes, 10, EngineOptions.defaults(), 1, false, 1, NetworkConditions.reliable(), 0, 50,
                Sabotage.NONE, 0, null);
    }

    public SimParams withNetwork(NetworkConditions n) {
        return new SimParams(seed, nodes, tickMillis, engine, maxPersistDelayMillis, asyncReady, maxReadiesInFlight, n,
                crashDuringPersistRate, traceCapacity, sabotage, snapshotEvery, replay);
    }

    public SimParams withEngine(EngineOptions e) {
        return new SimParams(seed, nodes, tickMillis, e, maxPersistDelayMillis, asyncReady, maxReadiesInFlight, network,
                crashDuringPersistRate, traceCapacity, sabotage, snapshotEvery, replay);
    }

    /** Shorthand for the engine's timing and election options. */
    public SimParams withEngine(int electionTicks, int heartbeatTicks, boolean preVote, boolean checkQuorum) {
        return withEngine(engine.withTiming(electionTicks, heartbeatTicks).withPreVote(preVote).withCheckQuorum(checkQuorum));
    }

    /** Synchronous or asynchronous persistence, one Ready at a time. */
    public SimParams withPersistence(int maxPersistDelayMillis, boolean asyncReady, double crashDuringPersistRate) {
        return new SimParams(seed, nodes, tickMillis, engine, maxPersistDelayMillis, asyncReady, 1, network,
                crashDuringPersistRate, traceCapacity, sabotage, snapshotEvery, replay);
    }

    /** Asynchronous persistence with up to {@code maxReadiesInFlight} Readies taken before the oldest is persisted. */
    public SimParams withPipelinedPersistence(int maxPersistDelayMillis, int maxReadiesInFlight,
                                              double crashDuringPersistRate) {
        return new SimParams(seed, nodes, tickMillis, engine, maxPersistDelayMillis, true, maxReadiesInFlight,
                network, crashDuringPersistRate, traceCapacity, sabotage, snapshotEvery, replay);
    }

    public SimParams withTraceCapacity(int capacity) {
        return new SimParams(seed, nodes, tickMillis, engine, maxPersistDelayMillis, asyncReady, maxReadiesInFlight, network,
                crashDuringPersistRate, capacity, sabotage, snapshotEvery, replay);
    }

    public SimParams withSabotage(Sabotage s) {
        return new SimParams(seed, nodes, tickMillis, engine, maxPersistDelayMillis, asyncReady, maxReadiesInFlight, network,
                crashDuringPersistRate, traceCapacity, s, snapshotEvery, replay);
    }

    public SimParams withSnapshotEvery(int entries) {
        return new SimParams(seed, nodes, tickMillis, engine, maxPersistDelayMillis, asyncReady, maxReadiesInFlight, network,
                crashDuringPersistRate, traceCapacity, sabotage, entries, replay);
    }

    public SimParams withReplay(String command) {
        return new SimParams(seed, nodes, tickMillis, engine, maxPersistDelayMillis, asyncReady, maxReadiesInFlight, network,
                crashDuringPersistRate, traceCapacity, sabotage, snapshotEvery, command);
    }
}
