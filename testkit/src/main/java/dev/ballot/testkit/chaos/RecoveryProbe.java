package dev.ballot.testkit.chaos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Measures how soon the healed cluster serves again: the time until a write is acknowledged. */
final class RecoveryProbe {

    static final String PROBE_KEY = "chaos:probe";
    private static final Logger log = LoggerFactory.getLogger(RecoveryProbe.class);

    private RecoveryProbe() {}

    /** Time from now to the first acknowledged write (trying the nodes in turn), or empty after {@code bound}. */
    static Optional<Duration> firstWrite(List<HostAndPort> nodes, Duration bound, Duration opTimeout) {
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        int attempt = 0;
        while (System.nanoTime() < deadline) {
            HostAndPort node = nodes.get(attempt % nodes.size());
            try (Jedis jedis = new Jedis(node, WorkloadClient.clientConfig(opTimeout))) {
                jedis.set(PROBE_KEY, "probe-" + attempt);
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            } catch (RuntimeException e) {
                log.debug("recovery probe {} on {}: {}", attempt, node, e.toString());
            }
            attempt++;
            pause();
        }
        return Optional.empty();
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster to recover", e);
        }
    }
}
