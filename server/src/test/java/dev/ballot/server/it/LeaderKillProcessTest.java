package dev.ballot.server.it;

import dev.ballot.server.it.WriteLoad.Outcome;
import dev.ballot.server.it.WriteLoad.Write;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Five node processes under a write load; the leader is SIGKILLed. A new leader must take over,
 * no acknowledged write may be lost, and the killed node must come back from its data directory
 * and converge to the same state as the others.
 */
class LeaderKillProcessTest {

    private static final Logger log = LoggerFactory.getLogger(LeaderKillProcessTest.class);

    private static final int MGET_CHUNK = 500;
    private static final Pattern OPENED = Pattern.compile("opened data directory .* log \\[\\d+, (\\d+)\\]");

    @RegisterExtension
    final ProcessGuard guard = new ProcessGuard();

    @Test
    @Timeout(180)
    void sigkillOfTheLeaderLosesNoAcknowledgedWriteAndTheNodeCatchesUpAfterRestart(@TempDir Path dir) {
        ProcessCluster cluster = guard.track(ProcessCluster.create(dir, 5)); // fsync on: the default
        cluster.startAll();
        long oldLeader = cluster.awaitLeader();

        List<Write> writes;
        long ackedAtKill;
        try (WriteLoad load = WriteLoad.start(cluster, 4)) {
            await("acked writes before the kill").atMost(Duration.ofSeconds(30))
                    .until(load::ackedCount, n -> n >= 100);

            log.info("{} writes acked; SIGKILL to the leader, node {}", load.ackedCount(), oldLeader);
            cluster.sigkill(oldLeader);
            // The old leader is gone, so every ack from here on comes from a new leader.
            ackedAtKill = load.ackedCount();

            long newLeader = cluster.awaitLeader();
            assertThat(newLeader).as("leader after the kill").isNotEqualTo(oldLeader);
            log.info("new leader: node {}", newLeader);
            long ackedBefore = ackedAtKill;
            await("acked writes after the kill").atMost(Duration.ofSeconds(30))
                    .until(load::ackedCount, n -> n >= ackedBefore + 100);
            load.close();
            writes = load.writes();
            load.summary();
        }
        assertThat(writes).filteredOn(w -> w.outcome() == Outcome.UNEXPECTED).as("unexpected replies").isEmpty();

        cluster.start(oldLeader); // same data directory, same ports
        // It recovered its log from disk (one entry per acked SET at least) rather than starting empty.
        assertThat(lastLogIndexAtOpen(cluster.log(oldLeader))).as("log recovered by node %d", oldLeader)
                .isGreaterThanOrEqualTo(ackedAtKill);
        cluster.awaitLeader();
        ProcessCluster.Digest digest = cluster.awaitSameDigest();
        log.info("node {} restarted; all nodes at applied index {} with state hash {}", oldLeader,
                digest.appliedIndex(), digest.sha256());
        assertThat(cluster.liveIds()).hasSize(5);
        assertThat(digest.appliedIndex()).isGreaterThan(0);

        List<Write> acked = writes.stream().filter(w -> w.outcome() == Outcome.ACKED).toList();
        List<Write> notApplied = writes.stream().filter(w -> w.outcome() == Outcome.NOT_APPLIED).toList();
        for (long id : cluster.ids()) {
            try (Jedis jedis = cluster.jedis(id)) {
                List<String> ackedValues = mget(jedis, acked);
                for (int i = 0; i < acked.size(); i++) {
                    assertThat(ackedValues.get(i)).as("acked key %s on node %d", acked.get(i).key(), id)
                            .isEqualTo(acked.get(i).value());
                }
                List<String> notAppliedValues = mget(jedis, notApplied);
                for (int i = 0; i < notApplied.size(); i++) {
                    assertThat(notAppliedValues.get(i)).as("key %s refused with '%s' on node %d",
                            notApplied.get(i).key(), notApplied.get(i).reply(), id).isNull();
                }
            }
            // The HTTP read path as well, for a few keys: the first and last acked, and the last refused.
            for (Write w : List.of(acked.get(0), acked.get(acked.size() - 1))) {
                assertThat(cluster.httpGet(id, w.key())).as("GET /v1/kv/%s on node %d", w.key(), id)
                        .contains(w.value());
            }
            if (!notApplied.isEmpty()) {
                Write w = notApplied.get(notApplied.size() - 1);
                assertThat(cluster.httpGet(id, w.key())).as("refused key %s on node %d", w.key(), id)
                        .isEqualTo(Optional.empty());
            }
        }
    }

    /** The last index of the log found on disk by the most recent start, from its "opened data directory" line. */
    private static long lastLogIndexAtOpen(String nodeLog) {
        Matcher m = OPENED.matcher(nodeLog);
        long last = -1;
        while (m.find()) last = Long.parseLong(m.group(1));
        assertThat(last).as("an 'opened data directory' line in the node's log").isNotNegative();
        return last;
    }

    /** The values of the writes' keys, read in chunks (each MGET is one linearizable read). */
    private static List<String> mget(Jedis jedis, List<Write> writes) {
        List<String> values = new ArrayList<>(writes.size());
        for (int from = 0; from < writes.size(); from += MGET_CHUNK) {
            String[] keys = writes.subList(from, Math.min(writes.size(), from + MGET_CHUNK)).stream()
                    .map(Write::key).toArray(String[]::new);
            values.addAll(jedis.mget(keys));
        }
        return values;
    }
}
