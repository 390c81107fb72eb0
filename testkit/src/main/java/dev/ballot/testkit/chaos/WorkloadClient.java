package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One workload client: a single RESP connection running one operation at a time until told to
 * stop, operations at least {@code pace} apart, each recorded in the {@link History}. After any
 * error it reconnects to the next node. After an indeterminate (INFO) outcome it takes a fresh
 * process id, as Jepsen requires: the old operation may still take effect later, and a process
 * has at most one operation open.
 */
final class WorkloadClient implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WorkloadClient.class);
    private static final Duration BACKOFF = Duration.ofMillis(20);

    private final Workload workload;
    private final History history;
    private final List<HostAndPort> nodes;
    private final AtomicInteger processIds;
    private final SplittableRandom random;
    private final AtomicBoolean stop;
    private final JedisClientConfig config;
    private int process;
    private int node;
    private Jedis jedis;
    private final long paceNanos;
    private long nextStart = System.nanoTime();

    /**
     * @param first      this client's first process id (and the node it starts on, modulo their number)
     * @param processIds where fresh process ids come from (shared by all clients; starts above every first id)
     */
    WorkloadClient(int first, Workload workload, History history, List<HostAndPort> nodes, AtomicInteger processIds,
                   SplittableRandom random, AtomicBoolean stop, Duration timeout, Duration pace) {
        this.process = first;
        this.node = first % nodes.size();
        this.workload = workload;
        this.history = history;
        this.nodes = nodes;
        this.processIds = processIds;
        this.random = random;
        this.stop = stop;
        this.config = clientConfig(timeout);
        this.paceNanos = pace.toNanos();
    }

    static JedisClientConfig clientConfig(Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
        return DefaultJedisClientConfig.builder().connectionTimeoutMillis(millis).socketTimeoutMillis(millis)
                .clientName("ballot-chaos").autoNegotiateProtocol(false).build();
    }

    @Override
    public void run() {
        try {
            while (!stop.get()) {
                if (jedis == null && !connect()) {
                    pause();
                    continue;
                }
                awaitTurn();
                if (stop.get()) break;
                runOne(workload.next(random));
            }
        } finally {
            disconnect();
        }
    }

    private void runOne(Op op) {
        long invokedAt = history.invoke(process, op);
        try {
            String value = workload.execute(jedis, op);
            history.complete(process, op, EventType.OK, value, invokedAt);
        } catch (Workload.CasRejected e) {
            history.complete(process, op, EventType.FAIL, op.value(), invokedAt);
        } catch (RuntimeException e) {
            EventType outcome = OutcomeClassifier.ofException(op, e);
            history.complete(process, op, outcome, op.value(), invokedAt);
            log.debug("client {} on node #{}: {} {} -> {} ({})", process, node, op.f(), op.key(), outcome, e.toString());
            if (outcome == EventType.INFO) process = processIds.getAndIncrement();
            // A timed-out reply may still arrive on this connection, and this node may be cut off: move on.
            disconnect();
            node = (node + 1) % nodes.size();
            pause();
        }
    }

    /** Keeps to the client's rate: operations start at least {@code pace} apart (a late client does not catch up). */
    private void awaitTurn() {
        if (paceNanos == 0) return;
        long now = System.nanoTime();
        long wait = nextStart - now;
        nextStart = Math.max(nextStart, now) + paceNanos;
        if (wait <= 0) return;
        try {
            Thread.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        }
    }

    private boolean connect() {
        Jedis candidate = null;
        try {
            candidate = new Jedis(nodes.get(node), config);
            candidate.ping();
            jedis = candidate;
            return true;
        } catch (RuntimeException e) {
            if (candidate != null) candidate.close();
            log.debug("client {}: cannot connect to {}: {}", process, nodes.get(node), e.toString());
            node = (node + 1) % nodes.size();
            return false;
        }
    }

    private void disconnect() {
        if (jedis == null) return;
        try {
            jedis.close();
        } catch (RuntimeException e) {
            log.debug("client {}: closing the connection failed: {}", process, e.toString());
        }
        jedis = null;
    }

    /** A short pause after an error, so a client does not spin against a node that is down. */
    private void pause() {
        try {
            Thread.sleep(BACKOFF);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        }
    }
}
