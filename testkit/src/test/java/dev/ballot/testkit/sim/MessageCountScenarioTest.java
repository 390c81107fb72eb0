package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine does not chatter, after 6.824's TestCount2B. */
class MessageCountScenarioTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void electionAgreementAndIdleUseBoundedMessages(long seed, TestInfo info) {
        Harness h = Scenarios.harness(info, seed, 3);
        Simulation sim = h.sim();
        MessageStats m = sim.messages();

        // An election in a healthy 3-node cluster: pre-vote, vote, the leader's no-op and its commit.
        long leader = h.awaitLeader();
        long election = m.sentExceptHeartbeats();
        assertThat(election).as("messages to elect a leader").isBetween(4L, 30L);

        // Agreement on 10 commands, one at a time.
        sim.runFor(200);
        long before = m.sentExceptHeartbeats();
        for (int i = 0; i < 10; i++) h.one("m" + i, 3, false);
        long agreement = m.sentExceptHeartbeats() - before;
        // Per command: AppendEntries to 2 followers and their answers, then the new commit index
        // to both and their answers: 8; allow a little slack for pipelining races.
        assertThat(agreement).as("messages to agree on 10 commands").isBetween(10L * 4, 10L * 10);
        assertThat(sim.leaders()).containsExactly(leader);

        // An idle leader sends only heartbeats (and hears only heartbeat answers).
        sim.runFor(200);
        long quietBefore = m.sentExceptHeartbeats();
        long heartbeatsBefore = m.sent(MessageStats.Kind.HEARTBEAT);
        long totalBefore = m.sentTotal();
        sim.runFor(1_000);
        assertThat(m.sentExceptHeartbeats()).as("non-heartbeat messages while idle").isEqualTo(quietBefore);
        long heartbeats = m.sent(MessageStats.Kind.HEARTBEAT) - heartbeatsBefore;
        // Every 5 ticks of 10 ms to each of 2 followers: 40 in a second.
        assertThat(heartbeats).isBetween(38L, 42L);
        assertThat(m.sentTotal() - totalBefore).isBetween(2 * heartbeats - 2, 2 * heartbeats + 2);
        System.out.println("message counts seed " + seed + ": election " + election + ", 10 commands " + agreement
                + ", idle second " + (m.sentTotal() - totalBefore));
    }
}
