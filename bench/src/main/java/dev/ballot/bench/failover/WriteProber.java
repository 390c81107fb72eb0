package dev.ballot.bench.failover;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.ballot.bench.load.Reply;
import dev.ballot.bench.load.RespReplyReader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The light write load of the failover benchmark: every {@code interval}, one {@code SET} to each
 * node that is a target, each on a connection of its own (a probe waiting for its reply never
 * holds up the next one; idle connections are reused). Every probe ends up as a
 * {@link ProbeResult}, in the order they finish.
 *
 * <p>A node that queues writes while it knows no leader (Ballot's followers do) keeps its probes
 * in flight until a leader answers them, so the first acknowledgement after a failover comes as
 * soon as the new leader commits, whatever the interval.
 */
final class WriteProber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteProber.class);
    private static final int KEYS = 100_000;
    private static final byte[] VALUE = "1".getBytes(US_ASCII);

    private final String host;
    private final long intervalNanos;
    private final int timeoutMillis;
    private final int maxInFlightPerNode;
    private final Map<Long, Target> targets = new ConcurrentHashMap<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final List<ProbeResult> results = new ArrayList<>(); // guarded by itself
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread scheduler;
    private volatile boolean running = true;

    /** A node being probed; replaced by a new one when the node is targeted again after a restart. */
    private static final class Target {
        final long id;
        final int port;
        final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
        final AtomicInteger inFlight = new AtomicInteger();
        volatile boolean active = true;

        Target(long id, int port) {
            this.id = id;
            this.port = port;
        }
    }

    private record Connection(Socket socket, OutputStream out, RespReplyReader in) {
        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                log.debug("closing a probe connection failed", e);
            }
        }
    }

    /**
     * @param interval           time between two probes to the same node
     * @param timeout            connect and reply timeout of one probe
     * @param maxInFlightPerNode probes to one node waiting for their reply before that node's next
     *                           ones are skipped (and counted in {@link #skipped()})
     */
    WriteProber(String host, Duration interval, Duration timeout, int maxInFlightPerNode) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be > 0");
        this.host = host;
        this.intervalNanos = interval.toNanos();
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        this.maxInFlightPerNode = maxInFlightPerNode;
        this.scheduler = Thread.ofPlatform().name("failover-prober").daemon().unstarted(this::schedule);
        scheduler.start();
    }

    /** Starts probing node {@code id} on its RESP port. */
    void target(long id, int port) {
        Target old = targets.put(id, new Target(id, port));
        if (old != null) retire(old);
    }

    /** Stops probing node {@code id} (before it is killed); its idle connections are closed. */
    void untarget(long id) {
        Target t = targets.remove(id);
        if (t != null) retire(t);
    }

    /** How many results there are so far: pass it to {@link #resultsFrom} to get only the later ones. */
    int mark() {
        synchronized (results) {
            return results.size();
        }
    }

    /** The results finished after {@link #mark()} returned {@code mark}, in the order they finished. */
    List<ProbeResult> resultsFrom(int mark) {
        synchronized (results) {
            return List.copyOf(results.subList(mark, results.size()));
        }
    }

    /** Probes not sent because the node already had the maximum in flight. */
    long skipped() {
        return skipped.get();
    }

    private void schedule() {
        long next = System.nanoTime();
        while (running) {
            for (Target t : targets.values()) {
                if (t.inFlight.incrementAndGet() > maxInFlightPerNode) {
                    t.inFlight.decrementAndGet();
                    skipped.incrementAndGet();
                    continue;
                }
                probes.execute(() -> probe(t));
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime(); // late (a stall): go on from now rather than catch up in a burst
            }
        }
    }

    private void probe(Target t) {
        long sent = System.nanoTime();
        Connection c = t.idle.pollFirst();
        try {
            if (c == null) c = connect(t.port);
            writeSet(c.out(), "failover:" + sequence.getAndIncrement() % KEYS);
            Reply reply = c.in().read();
            long done = System.nanoTime();
            record(switch (reply) {
                case Reply.Simple s when s.text().equals("OK") -> ProbeResult.ok(t.id, sent, done);
                case Reply.Error e -> new ProbeResult(t.id, sent, done, ProbeResult.Outcome.ERROR, e.kind());
                default -> new ProbeResult(t.id, sent, done, ProbeResult.Outcome.ERROR, "UNEXPECTED_REPLY");
            });
            if (t.active && running) {
                t.idle.addFirst(c);
                if (!t.active) drop(t.idle.pollFirst()); // retired meanwhile: do not leave it behind
            } else {
                drop(c);
            }
        } catch (IOException e) {
            record(new ProbeResult(t.id, sent, System.nanoTime(), ProbeResult.Outcome.FAILED, reason(e)));
            if (c != null) drop(c);
        } finally {
            t.inFlight.decrementAndGet();
        }
    }

    private Connection connect(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            Connection c = new Connection(s, new BufferedOutputStream(s.getOutputStream(), 512),
                    new RespReplyReader(new BufferedInputStream(s.getInputStream(), 512)));
            open.add(c);
            if (!running) {
                drop(c);
                throw new IOException("the prober is closed");
            }
            return c;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static void writeSet(OutputStream out, String key) throws IOException {
        byte[] k = key.getBytes(US_ASCII);
        out.write(("*3\r\n$3\r\nSET\r\n$" + k.length + "\r\n").getBytes(US_ASCII));
        out.write(k);
        out.write(("\r\n$" + VALUE.length + "\r\n").getBytes(US_ASCII));
        out.write(VALUE);
        out.write(new byte[] {'\r', '\n'});
        out.flush();
    }

    private void record(ProbeResult r) {
        synchronized (results) {
            results.add(r);
        }
    }

    private void retire(Target t) {
        t.active = false;
        Connection c;
        while ((c = t.idle.pollFirst()) != null) drop(c);
    }

    private void drop(Connection c) {
        if (c == null) return;
        open.remove(c);
        c.close();
    }

    static String reason(IOException e) {
        if (e instanceof SocketTimeoutException) return "timeout";
        if (e instanceof ConnectException) return "refused";
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Stops probing; probes still waiting for a reply are cut off (their connections closed). */
    @Override
    public void close() {
        running = false;
        try {
            scheduler.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        targets.values().forEach(this::retire);
        targets.clear();
        open.forEach(this::drop);
        probes.close();
    }
}
