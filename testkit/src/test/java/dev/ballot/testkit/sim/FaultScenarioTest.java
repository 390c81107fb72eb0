package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.ProposeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Figure 8, unreliable networks and churn, after the MIT 6.824 Raft tests (2C). */
class FaultScenarioTest {

    /**
     * 6.824 TestFigure82C: leaders crash right after proposing, over and over, so entries of old
     * terms are left half-replicated (the situation of the paper's Figure 8). In the end, with
     * everyone back, the cluster must agree, and nothing committed may ever be lost (checked
     * after every event by the checker).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void figure8(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 5);
        Simulation sim = h.sim();
        RandomGenerator random = sim.newRandom("test");
        h.one("first", 1, true);
        int up = 5;
        long leaderCrashes = 0;
        for (int iteration = 0; iteration < 1000; iteration++) {
            long leader = 0;
            for (long id : sim.ids()) {
                if (sim.propose(id, Scenarios.bytes("f" + iteration + "-" + id)) instanceof ProposeResult.Accepted) {
                    leader = id;
                }
            }
            sim.runFor(random.nextInt(10) == 0 ? random.nextInt(150) : random.nextInt(13));
            if (leader != 0 && sim.node(leader).isUp()) {
                sim.crash(leader);
                leaderCrashes++;
                up--;
            }
            if (up < 3) {
                long s = sim.ids().get(random.nextInt(5));
                if (!sim.node(s).isUp()) {
                    sim.restart(s);
                    up++;
                }
            }
        }
        for (long id : sim.ids()) if (!sim.node(id).isUp()) sim.restart(id);
        h.one("last", 5, true);
        assertThat(leaderCrashes).isGreaterThan(40);
        assertThat(sim.checker().elections()).isGreaterThan(40);
        h.verifyAcknowledgedCommitted();
    }

    /** 6.824 TestFigure8Unreliable2C: the same with a lossy, reordering network and partitions instead of crashes. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void figure8Unreliable(long seed, TestInfo info) {
        NetworkConditions unreliable = NetworkConditions.unreliable().withLongDelays(0.05, 1_000);
        Harness h = new Harness(new Simulation(Scenarios.params(info, seed, 5).withNetwork(unreliable)));
        Simulation sim = h.sim();
        RandomGenerator random = sim.newRandom("test");
        h.one("first", 1, true);
        List<Long> cut = new ArrayList<>();
        for (int iteration = 0; iteration < 1000; iteration++) {
            if (iteration == 800) sim.network().setConditions(unreliable.withLongDelays(0, 0));
            long leader = 0;
            for (long id : sim.ids()) {
                if (sim.propose(id, Scenarios.bytes("u" + iteration + "-" + id)) instanceof ProposeResult.Accepted) {
                    leader = id;
                }
            }
            sim.runFor(random.nextInt(10) == 0 ? random.nextInt(150) : random.nextInt(13));
            if (leader != 0 && random.nextInt(1000) < 500 && !cut.contains(leader)) cut.add(leader);
            if (cut.size() > 2 || (cut.size() > 0 && random.nextInt(1000) < 100)) cut.remove(random.nextInt(cut.size()));
            Partition p = Partition.none();
            for (long id : cut) p = p.union(Partition.isolate(id, sim.ids()));
            sim.partition(p);
        }
        sim.heal();
        sim.network().setConditions(NetworkConditions.reliable());
        h.one("last", 5, true);
        h.verifyAcknowledgedCommitted();
        assertThat(sim.messages().lost()).isPositive();
        assertThat(sim.messages().duplicated()).isPositive();
    }

    /** 6.824 TestUnreliableAgree2B: loss, duplication and reordering; commands still commit everywhere. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void unreliableAgreement(long seed, TestInfo info) {
        Harness h = new Harness(new Simulation(Scenarios.params(info, seed, 5).withNetwork(NetworkConditions.unreliable())));
        Simulation sim = h.sim();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // Four "clients" at once, then one that waits (with retries) for its command to be applied.
            for (int c = 0; c < 4; c++) {
                long leader = sim.leader().orElse(1);
                sim.propose(leader, Scenarios.bytes("x" + i + "-" + c));
            }
            String cmd = "y" + i;
            h.one(cmd, 1, true);
            commands.add(cmd);
        }
        sim.network().setConditions(NetworkConditions.reliable());
        h.one("final", 5, true);
        for (long id : sim.ids()) assertThat(h.appliedCommands(id)).containsAll(commands).contains("final");
        h.verifyAcknowledgedCommitted();
        assertThat(sim.proposals().acknowledged().size()).isGreaterThan(60);
        assertThat(sim.messages().lost()).isPositive();
        assertThat(sim.messages().duplicated()).isPositive();
    }

    /**
     * Churn: clients propose while nodes crash, restart and get partitioned in every shape, on a
     * lossy network, with crashes in the middle of persisting. After healing, every acknowledged
     * command is in the committed log of every node.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void churn(long seed, TestInfo info) {
        SimParams base = Scenarios.params(info, seed, 5).withNetwork(NetworkConditions.reliable());
        // Seed 1: synchronous persistence; 2: asynchronous; 3: pipelined (up to 3 Readies in flight).
        SimParams params = seed == 3 ? base.withPipelinedPersistence(2, 3, 0.005)
                : base.withPersistence(2, seed == 2, 0.005);
        Simulation sim = new Simulation(params);
        Harness h = new Harness(sim);
        sim.setAutoRestart(100, 1_000);
        Workload clients = new Workload(sim, sim.newRandom("clients"), 1, 20, 10);
        Nemesis nemesis = new Nemesis(sim, sim.newRandom("nemesis"), 50, 500, NetworkConditions.reliable(),
                NetworkConditions.unreliable());
        clients.start();
        nemesis.start();
        sim.runFor(20_000);
        clients.stop();
        nemesis.stop();

        h.settleAndVerify("final", 20_000);
        assertThat(nemesis.faults()).isGreaterThan(40);
        assertThat(sim.crashes()).isGreaterThan(5);
        assertThat(sim.checker().elections()).isGreaterThan(5);
        assertThat(sim.proposals().acknowledged()).hasSizeGreaterThan(100);
        // The final logs agree: every node applied the same sequence of commands.
        List<String> reference = h.appliedCommands(1);
        for (long id : sim.ids()) assertThat(h.appliedCommands(id)).isEqualTo(reference);
        for (Proposals.Proposal p : sim.proposals().acknowledged()) assertThat(reference).contains(p.command());
    }
}
