package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every key once more on the healed cluster, recording the reads in the history, so the
 * checker sees the final state: an acknowledged write missing from it, or an older value, fails
 * linearizability. Failed attempts are recorded as FAIL reads (they constrain nothing) and retried.
 */
final class FinalReads {

    private static final Logger log = LoggerFactory.getLogger(FinalReads.class);

    private FinalReads() {}

    /** Each key's final value; a key that could not be read within {@code bound} is left out. */
    static Map<String, String> read(Workload workload, History history, List<HostAndPort> nodes, AtomicInteger processIds,
                                    Duration bound, Duration opTimeout) {
        Map<String, String> values = new LinkedHashMap<>();
        long deadline = System.nanoTime() + bound.toNanos();
        int attempt = 0;
        for (String key : workload.keys()) {
            int process = processIds.getAndIncrement();
            Op op = workload.finalRead(key);
            while (System.nanoTime() < deadline) {
                HostAndPort node = nodes.get(attempt++ % nodes.size());
                long invokedAt = history.invoke(process, op);
                try (Jedis jedis = new Jedis(node, WorkloadClient.clientConfig(opTimeout))) {
                    String value = workload.execute(jedis, op);
                    history.complete(process, op, EventType.OK, value, invokedAt);
                    values.put(key, value);
                    break;
                } catch (RuntimeException e) {
                    history.complete(process, op, OutcomeClassifier.ofException(op, e), null, invokedAt);
                    log.debug("final read of {} on {}: {}", key, node, e.toString());
                }
            }
        }
        return values;
    }
}
