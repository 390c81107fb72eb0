package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Config;
import dev.ballot.raft.HardState;
import dev.ballot.raft.MemoryLogStorage;
import dev.ballot.raft.Message;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.Ready;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The engine promises "same seed + same inputs = same outputs, byte for byte", also across JVM
 * runs. This once failed: {@code Config} kept its voters in {@code Set.copyOf(...)}, whose
 * iteration order is salted per JVM run, so {@code RaftNode.campaign} sent its RequestVotes in a
 * different order in each run. Several fresh JVMs must now agree.
 */
class EngineDeterminismAcrossJvmsTest {

    @Test
    void aCampaignSendsItsRequestVotesInTheSameOrderInEveryJvm() throws Exception {
        Set<String> orders = new HashSet<>();
        for (int i = 0; i < 5; i++) orders.add(campaignOrderInFreshJvm());
        assertThat(orders).as("RequestVote order of one seeded campaign, over 5 JVM runs").hasSize(1);
    }

    /** Boots node 1 of 7 with seed 1, ticks until it campaigns, prints the receivers of its (pre-)votes. */
    public static void main(String[] args) {
        Set<Long> voters = Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        RaftNode node = new RaftNode(Config.of(1, voters), new MemoryLogStorage(), HardState.INITIAL, new SplittableRandom(1));
        while (!node.hasReady()) node.tick();
        Ready r = node.ready();
        System.out.println(r.messages().stream().map(Message::to).map(String::valueOf).collect(Collectors.joining(",")));
    }

    private static String campaignOrderInFreshJvm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EngineDeterminismAcrossJvmsTest.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
