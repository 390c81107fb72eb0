package dev.ballot.server.it;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Client threads that SET distinct keys ({@code k-THREAD-N}) on random live nodes of a
 * {@link ProcessCluster} until stopped, recording what each reply promises about the write.
 */
final class WriteLoad implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteLoad.class);

    /** What a reply tells the client about its write. */
    enum Outcome {
        /** {@code +OK}: applied, must survive any minority failure. */
        ACKED,
        /** TRYAGAIN, BUSY, SHUTDOWN: the node promises the write had no effect. */
        NOT_APPLIED,
        /** UNKNOWN, TIMEOUT, a broken connection: it may or may not have been applied. */
        UNKNOWN,
        /** Any other reply: not something a SET of a small value may get. */
        UNEXPECTED
    }

    record Write(String key, String value, Outcome outcome, String reply, long node, long micros) {}

    private final ProcessCluster cluster;
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
    private final AtomicLong acked = new AtomicLong();
    private final ConcurrentLinkedQueue<RuntimeException> crashes = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;

    private WriteLoad(ProcessCluster cluster) {
        this.cluster = cluster;
    }

    static WriteLoad start(ProcessCluster cluster, int threadCount) {
        WriteLoad load = new WriteLoad(cluster);
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            load.threads.add(Thread.ofPlatform().name("writer-" + t).start(() -> load.write(thread)));
        }
        return load;
    }

    private void write(int thread) {
        Map<Long, Jedis> connections = new HashMap<>();
        try {
            for (long n = 0; !stopped; n++) {
                List<Long> live = cluster.liveIds();
                if (live.isEmpty()) break;
                long node = live.get(ThreadLocalRandom.current().nextInt(live.size()));
                String key = "k-" + thread + "-" + n;
                String value = "v-" + thread + "-" + n + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
                Write w = setOnce(connections, node, key, value);
                writes.add(w);
                if (w.outcome() == Outcome.ACKED) {
                    acked.incrementAndGet();
                } else {
                    pause(20); // pacing: no leader right now, do not spin
                }
            }
        } catch (RuntimeException e) {
            crashes.add(e); // rethrown by close(): a writer must not die unnoticed
        } finally {
            connections.values().forEach(Jedis::close);
        }
    }

    private Write setOnce(Map<Long, Jedis> connections, long node, String key, String value) {
        Jedis jedis = connections.computeIfAbsent(node, cluster::jedis);
        long start = System.nanoTime();
        Outcome outcome;
        String reply;
        try {
            reply = jedis.set(key, value);
            outcome = "OK".equals(reply) ? Outcome.ACKED : Outcome.UNEXPECTED;
        } catch (JedisConnectionException e) {
            // Connection refused, reset or a read timeout: the command may have reached the node.
            connections.remove(node).close();
            outcome = Outcome.UNKNOWN;
            reply = e.toString();
        } catch (JedisDataException e) {
            outcome = classify(e.getMessage());
            reply = e.getMessage();
        }
        return new Write(key, value, outcome, reply, node, (System.nanoTime() - start) / 1000);
    }

    static Outcome classify(String error) {
        String code = error.split(" ", 2)[0];
        return switch (code) {
            case "TRYAGAIN", "BUSY", "SHUTDOWN" -> Outcome.NOT_APPLIED;
            case "UNKNOWN", "TIMEOUT" -> Outcome.UNKNOWN;
            default -> Outcome.UNEXPECTED;
        };
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long ackedCount() {
        return acked.get();
    }

    /** Stops the writers and waits for their last writes to finish; rethrows what a writer died of. */
    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted stopping the writers", e);
            }
        }
        RuntimeException crash = crashes.poll();
        if (crash != null) throw new IllegalStateException("a writer thread died", crash);
    }

    /** Every write so far; complete once {@link #close()} has returned. */
    List<Write> writes() {
        return List.copyOf(writes);
    }

    List<Write> writes(Outcome outcome) {
        return writes.stream().filter(w -> w.outcome() == outcome).toList();
    }

    String summary() {
        Map<Outcome, Long> counts = writes.stream().collect(Collectors.groupingBy(Write::outcome, Collectors.counting()));
        Map<Outcome, Double> meanMs = writes.stream().collect(Collectors.groupingBy(Write::outcome,
                Collectors.averagingDouble(w -> w.micros() / 1000.0)));
        log.info("writes: {}, mean latency (ms): {}", counts, meanMs);
        return counts.toString();
    }
}
