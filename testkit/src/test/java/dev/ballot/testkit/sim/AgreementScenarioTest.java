package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.ProposeResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Log agreement, after the MIT 6.824 Raft tests (2B). All Raft invariants are checked after every event throughout. */
class AgreementScenarioTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void basicAgreement(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 3);
        h.awaitLeader();
        long previous = 0;
        for (int i = 1; i <= 5; i++) {
            long index = h.one("cmd" + i, 3, false);
            if (previous > 0) assertThat(index).isEqualTo(previous + 1);
            previous = index;
        }
        for (long id : h.all()) assertThat(h.appliedCommands(id)).containsExactly("cmd1", "cmd2", "cmd3", "cmd4", "cmd5");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void agreementDespiteADisconnectedFollower(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 3);
        Simulation sim = h.sim();
        h.one("101", 3, false);
        long leader = h.awaitLeader();
        long follower = h.allBut(leader).get(0);

        sim.partition(Partition.isolate(follower, sim.ids()));
        h.one("102", 2, false);
        h.one("103", 2, false);
        sim.runFor(1_000);
        h.one("104", 2, false);
        assertThat(h.appliedCommands(follower)).containsExactly("101");

        sim.heal();
        h.one("105", 3, true);
        for (long id : sim.ids()) assertThat(h.appliedCommands(id)).containsExactly("101", "102", "103", "104", "105");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void agreementAfterTheLeaderIsDisconnected(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 3);
        Simulation sim = h.sim();
        h.one("101", 3, false);
        long leader1 = h.awaitLeader();
        sim.partition(Partition.isolate(leader1, sim.ids()));
        h.one("102", 2, true);
        sim.heal();
        h.one("103", 3, true);
        for (long id : sim.ids()) assertThat(h.appliedCommands(id)).containsExactly("101", "102", "103");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void noAgreementWithoutAMajorityThenRecovery(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 5);
        Simulation sim = h.sim();
        h.one("10", 5, false);
        long leader = h.awaitLeader();
        List<Long> followers = h.allBut(leader);
        // Three of five followers are cut off from everyone: the leader and one follower are a minority.
        Partition p = Partition.none();
        for (long f : followers.subList(0, 3)) p = p.union(Partition.isolate(f, sim.ids()));
        sim.partition(p);

        ProposeResult r = sim.propose(leader, Scenarios.bytes("20"));
        assertThat(r).isInstanceOf(ProposeResult.Accepted.class);
        long index = ((ProposeResult.Accepted) r).index();
        sim.runFor(2_000);
        assertThat(h.nCommitted(index)).as("committed without a majority").isZero();
        assertThat(sim.checker().committedIndex()).isLessThan(index);

        sim.heal();
        h.awaitLeader(sim.ids(), 5_000);
        h.one("30", 5, true);
        h.one("1000", 5, true);
        for (long id : sim.ids()) assertThat(h.appliedCommands(id)).startsWith("10").contains("30", "1000");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void concurrentProposalsAllCommitInOneTerm(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 3);
        Simulation sim = h.sim();
        long leader = h.awaitLeader();
        List<ProposeResult.Accepted> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            accepted.add((ProposeResult.Accepted) sim.propose(leader, Scenarios.bytes("k" + i)));
        }
        long term = accepted.get(0).term();
        for (int i = 0; i < accepted.size(); i++) {
            assertThat(accepted.get(i).term()).isEqualTo(term);
            assertThat(accepted.get(i).index()).isEqualTo(accepted.get(0).index() + i);
        }
        long last = accepted.get(accepted.size() - 1).index();
        assertThat(sim.runUntil(() -> h.nCommitted(last) == 3, 2_000)).isTrue();
        assertThat(sim.proposals().acknowledged()).hasSize(10);
        for (long id : sim.ids()) {
            assertThat(h.appliedCommands(id)).containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void tightFlowControlStillCommitsEverythingInOrder(long seed, TestInfo info) {
        // One AppendEntries in flight per follower, one entry per message, one committed entry per Ready.
        SimParams params = Scenarios.params(info, seed, 3).withEngine(EngineOptions.defaults().withLimits(1, 1, 1))
                .withNetwork(NetworkConditions.reliable().withLoss(0.05).withDuplicates(0.05));
        Harness h = new Harness(new Simulation(params));
        Simulation sim = h.sim();
        long leader = h.awaitLeader();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            assertThat(sim.propose(leader, Scenarios.bytes("t" + i))).isInstanceOf(ProposeResult.Accepted.class);
            expected.add("t" + i);
        }
        long appendsBefore = sim.messages().sent(MessageStats.Kind.APPEND_ENTRIES);
        h.one("after", 3, true);
        expected.add("after");
        for (long id : sim.ids()) assertThat(h.appliedCommands(id)).isEqualTo(expected);
        // One entry per message: at least one AppendEntries per entry and follower.
        assertThat(sim.messages().sent(MessageStats.Kind.APPEND_ENTRIES) - appendsBefore).isGreaterThanOrEqualTo(2 * 101);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void rejoiningOldLeaderHasItsUncommittedEntriesOverwritten(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 3);
        Simulation sim = h.sim();
        h.one("101", 3, true);
        long leader1 = h.awaitLeader();

        // The leader is cut off and accepts three commands it can never commit.
        sim.partition(Partition.isolate(leader1, sim.ids()));
        for (String c : List.of("102", "103", "104")) {
            assertThat(sim.propose(leader1, Scenarios.bytes(c))).isInstanceOf(ProposeResult.Accepted.class);
        }
        long uncommittedEnd = sim.node(leader1).engine().lastIndex();

        // The others elect a leader and commit.
        long leader2 = h.awaitLeader(h.allBut(leader1), 5_000);
        h.one("103b", 2, true);

        // The new leader is cut off; the old one comes back with its stale entries.
        sim.partition(Partition.isolate(leader2, sim.ids()));
        h.one("104b", 2, true);

        sim.heal();
        h.one("105", 3, true);
        for (long id : sim.ids()) {
            assertThat(h.appliedCommands(id)).containsExactly("101", "103b", "104b", "105");
            assertThat(h.committedCommands(id)).doesNotContain("102", "103", "104");
        }
        assertThat(sim.node(leader1).engine().lastIndex()).isGreaterThanOrEqualTo(uncommittedEnd);
    }

    /**
     * 6.824's TestBackup2B: followers far behind with 50 divergent entries per phase must be
     * backed up quickly. With the per-term conflict hint, each follower needs about one rejected
     * AppendEntries per divergent term, not one per entry.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void leaderBacksUpQuicklyOverIncorrectFollowerLogs(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 5);
        Simulation sim = h.sim();
        h.one("start", 5, true);
        long leader1 = h.awaitLeader();
        List<Long> f = h.allBut(leader1);

        // Phase A: leader1 and f0 in a minority; 50 commands that cannot commit.
        sim.partition(isolateEach(sim, f.get(1), f.get(2), f.get(3)));
        for (int i = 0; i < 50; i++) sim.propose(leader1, Scenarios.bytes("a" + i));
        sim.runFor(500);

        // Phase B: f1, f2, f3 form a majority and commit 50 commands.
        sim.partition(isolateEach(sim, leader1, f.get(0)));
        for (int i = 0; i < 50; i++) h.one("b" + i, 3, true);

        // Phase C: the new leader and one follower in a minority; 50 more uncommittable commands.
        long leader2 = h.awaitLeader(List.of(f.get(1), f.get(2), f.get(3)), 5_000);
        long other = f.subList(1, 4).stream().filter(id -> id != leader2).findFirst().orElseThrow();
        sim.partition(isolateEach(sim, leader1, f.get(0), other));
        for (int i = 0; i < 50; i++) sim.propose(leader2, Scenarios.bytes("c" + i));
        sim.runFor(500);

        // Phase D: leader1, f0 and `other` form a majority; leader1 and f0 hold 50 stale entries.
        List<Long> minority = sim.ids().stream().filter(id -> id != leader1 && id != f.get(0) && id != other).toList();
        sim.partition(isolateEach(sim, minority.toArray(Long[]::new)));
        long rejectedBefore = sim.messages().sent(MessageStats.Kind.APPEND_ENTRIES_REJECTED);
        for (int i = 0; i < 50; i++) h.one("d" + i, 3, true);
        long rejectedD = sim.messages().sent(MessageStats.Kind.APPEND_ENTRIES_REJECTED) - rejectedBefore;

        // Phase E: everyone; leader2 and its follower hold 50 stale entries.
        rejectedBefore = sim.messages().sent(MessageStats.Kind.APPEND_ENTRIES_REJECTED);
        sim.heal();
        h.one("end", 5, true);
        long rejectedE = sim.messages().sent(MessageStats.Kind.APPEND_ENTRIES_REJECTED) - rejectedBefore;

        for (long id : sim.ids()) {
            List<String> applied = h.appliedCommands(id);
            assertThat(applied).doesNotContain("a0", "a49", "c0", "c49").contains("b0", "b49", "d0", "d49", "end");
        }
        // Two stale followers per phase, one or two divergent terms each: a handful of rejections, not ~50 each.
        assertThat(rejectedD).as("rejected AppendEntries while backing up leader1 and f0").isLessThanOrEqualTo(8);
        assertThat(rejectedE).as("rejected AppendEntries while backing up leader2 and its follower").isLessThanOrEqualTo(8);
        System.out.println("backup seed " + seed + ": rejected AppendEntries " + rejectedD + " (phase D), " + rejectedE
                + " (phase E)");
    }

    private static Partition isolateEach(Simulation sim, Long... ids) {
        Partition p = Partition.none();
        for (long id : ids) p = p.union(Partition.isolate(id, sim.ids()));
        return p;
    }
}
