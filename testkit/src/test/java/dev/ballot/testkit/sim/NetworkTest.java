package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Message;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkTest {

    private static final List<Long> ALL = List.of(1L, 2L, 3L, 4L, 5L);

    @Test
    void isolateCutsANodeOffBothWays() {
        Partition p = Partition.isolate(3, ALL);
        for (long other : List.of(1L, 2L, 4L, 5L)) {
            assertThat(p.blocks(3, other)).isTrue();
            assertThat(p.blocks(other, 3)).isTrue();
        }
        assertThat(p.blocks(1, 2)).isFalse();
    }

    @Test
    void splitSeparatesTwoGroupsThatWorkInside() {
        Partition p = Partition.split(List.of(1L, 2L), ALL);
        assertThat(p.blocks(1, 2)).isFalse();
        assertThat(p.blocks(3, 5)).isFalse();
        assertThat(p.blocks(1, 3)).isTrue();
        assertThat(p.blocks(5, 2)).isTrue();
        assertThat(p.blocked()).hasSize(2 * 2 * 3);
    }

    @Test
    void aBridgeTalksToBothHalvesThatCannotTalkToEachOther() {
        Partition p = Partition.bridge(3, List.of(1L, 2L), List.of(4L, 5L));
        for (long other : List.of(1L, 2L, 4L, 5L)) {
            assertThat(p.blocks(3, other)).isFalse();
            assertThat(p.blocks(other, 3)).isFalse();
        }
        assertThat(p.blocks(1, 4)).isTrue();
        assertThat(p.blocks(5, 2)).isTrue();
        assertThat(p.blocks(1, 2)).isFalse();
    }

    @Test
    void oneWayCutsOneDirection() {
        Partition p = Partition.oneWay(1, 2).union(Partition.isolate(5, ALL));
        assertThat(p.blocks(1, 2)).isTrue();
        assertThat(p.blocks(2, 1)).isFalse();
        assertThat(p.blocks(5, 1)).isTrue();
    }

    @Test
    void lossDuplicationAndDelaysFollowTheConditions() {
        NetworkConditions c = new NetworkConditions(3, 9, 0.2, 0.1, 0.05, 100);
        SimNetwork net = new SimNetwork(new SplittableRandom(1), c);
        MessageStats stats = new MessageStats();
        int copies = 0;
        long maxDelay = 0;
        long minDelay = Long.MAX_VALUE;
        for (int i = 0; i < 10_000; i++) {
            for (long d : net.plan(stats)) {
                copies++;
                maxDelay = Math.max(maxDelay, d);
                minDelay = Math.min(minDelay, d);
            }
        }
        assertThat(stats.lost()).isBetween(1_800L, 2_200L);
        assertThat(stats.duplicated()).isBetween(600L, 1_000L);
        assertThat(copies).isEqualTo(10_000 - stats.lost() + stats.duplicated());
        assertThat(minDelay).isEqualTo(3);
        assertThat(maxDelay).isGreaterThan(9).isLessThanOrEqualTo(100);
    }

    @Test
    void aCrashDropsMessagesInFlightToTheNode() {
        Simulation sim = new Simulation(SimParams.of(1, 3).withNetwork(NetworkConditions.reliable().withDelays(20, 30)));
        Harness h = new Harness(sim);
        h.one("warm-up", 3, false); // every follower replicating, so a proposal is sent at once
        long leader = h.awaitLeader();
        long follower = h.allBut(leader).get(0);
        long appendsBefore = sim.messages().sent(MessageStats.Kind.APPEND_ENTRIES);
        sim.propose(leader, Scenarios.bytes("in-flight"));
        sim.runFor(5); // the AppendEntries is on its way (20-30 ms)
        assertThat(sim.messages().sent(MessageStats.Kind.APPEND_ENTRIES)).isEqualTo(appendsBefore + 2);
        long droppedBefore = sim.messages().toDownNode();
        sim.crash(follower);
        sim.runFor(5);
        sim.restart(follower); // back before the message is due (20-30 ms after sending): it must still be dropped
        sim.runFor(25);
        assertThat(sim.messages().toDownNode()).isGreaterThan(droppedBefore);
        assertThat(sim.node(follower).store().lastIndex()).isLessThan(sim.node(leader).store().lastIndex());
        // It is repaired later, by the leader.
        assertThat(sim.runUntil(() -> sim.node(follower).store().lastIndex() == sim.node(leader).store().lastIndex(), 1_000))
                .isTrue();
    }

    @Test
    void messageKinds() {
        assertThat(MessageStats.kindOf(new Message.RequestVote(1, 2, 1, 0, 0, true))).isEqualTo(MessageStats.Kind.PRE_VOTE);
        assertThat(MessageStats.kindOf(Message.AppendEntriesResponse.rejected(1, 2, 1, 3, 1, 2)))
                .isEqualTo(MessageStats.Kind.APPEND_ENTRIES_REJECTED);
    }
}
