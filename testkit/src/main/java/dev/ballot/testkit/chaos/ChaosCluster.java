package dev.ballot.testkit.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballot.server.BallotCli;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * N real {@code ballot server} processes on 127.0.0.1 (the binary users run, one JVM each), every
 * peer link going through a {@link FaultProxy} so the network can be broken without root. Nodes
 * keep their ports across restarts; each appends its output to {@link #logFile}.
 *
 * <p>The proxies are bound by {@link #create} (so {@link #network()} works from the start) and the
 * nodes started by {@link #start}. Every node started is registered with a shutdown hook of this
 * cluster, so a test that dies without {@link #close} still does not leave JVMs behind.
 */
public final class ChaosCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChaosCluster.class);

    /** {@code GET /v1/digest} of one node: a hash of its whole state at its applied index. */
    public record Digest(long appliedIndex, String sha256) {}

    /** The fields of {@code GET /v1/status} the chaos run looks at. */
    public record Status(long id, String role, long term, long leaderId, long commitIndex, long appliedIndex) {
        public boolean isLeader() {
            return "leader".equals(role);
        }
    }

    private static final String HOST = "127.0.0.1";
    /** Small heaps and C1 only: several JVMs share a couple of cores, and a node needs neither. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            // The node's log says what it did; a simplelogger.properties on the class path must not silence it.
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration DIGEST_TIMEOUT = Duration.ofSeconds(2);
    private static final long DEFAULT_SEED = 1;

    private record NodePorts(int peer, int redis, int http) {}

    private final Path baseDir;
    private final List<String> serverArgs;
    private final Map<Long, NodePorts> ports;
    private final PeerLinkProxies proxies;
    private final Map<Long, Process> processes = new ConcurrentHashMap<>();
    private final Set<Long> paused = ConcurrentHashMap.newKeySet();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Thread shutdownHook = Thread.ofPlatform().unstarted(this::killAll);
    private boolean hookRegistered; // guarded by this
    private boolean closed; // guarded by this

    private ChaosCluster(Path baseDir, List<String> serverArgs, Map<Long, NodePorts> ports, PeerLinkProxies proxies) {
        this.baseDir = baseDir;
        this.serverArgs = serverArgs;
        this.ports = ports;
        this.proxies = proxies;
    }

    /**
     * Prepares (does not start) a cluster of {@code size} nodes, ids 1..size, under {@code baseDir}.
     *
     * @param serverArgs extra {@code ballot server} flags for every node (e.g. {@code --tick-ms 10},
     *                   or the test-only {@code --unsafe-local-reads})
     */
    public static ChaosCluster create(Path baseDir, int size, List<String> serverArgs) {
        return create(baseDir, size, serverArgs, DEFAULT_SEED);
    }

    /** As {@link #create(Path, int, List)}, with the seed of the network's loss and delay draws. */
    public static ChaosCluster create(Path baseDir, int size, List<String> serverArgs, long networkSeed) {
        if (size < 2) throw new IllegalArgumentException("a chaos cluster needs at least 2 nodes, got " + size);
        // Held while the proxies bind their (ephemeral) ports, so no proxy lands on a node's port.
        try (PortReservation reserved = new PortReservation(3 * size)) {
            List<Integer> free = reserved.ports();
            Map<Long, NodePorts> ports = new TreeMap<>();
            Map<Long, InetSocketAddress> peerAddresses = new TreeMap<>();
            for (int i = 0; i < size; i++) {
                long id = i + 1;
                NodePorts p = new NodePorts(free.get(3 * i), free.get(3 * i + 1), free.get(3 * i + 2));
                ports.put(id, p);
                peerAddresses.put(id, new InetSocketAddress(HOST, p.peer()));
            }
            PeerLinkProxies proxies = new PeerLinkProxies(peerAddresses, networkSeed);
            return new ChaosCluster(baseDir, List.copyOf(serverArgs), ports, proxies);
        }
    }

    /** Starts every node (and the proxies) and waits until each answers on HTTP. */
    public void start() {
        ports.keySet().forEach(this::launch);
        ports.keySet().forEach(this::awaitHealthy);
    }

    public List<Long> ids() {
        return List.copyOf(ports.keySet());
    }

    public int redisPort(long id) {
        return node(id).redis();
    }

    public int httpPort(long id) {
        return node(id).http();
    }

    /** The node's real peer port (its peers reach it through the proxies, not here). */
    public int peerPort(long id) {
        return node(id).peer();
    }

    public Path logFile(long id) {
        return nodeDir(id).resolve("node.log");
    }

    public Path dataDir(long id) {
        return nodeDir(id).resolve("data");
    }

    /** SIGKILL; the data directory stays. No-op if the node is not running. */
    public void kill(long id) {
        Process p = processes.get(id);
        if (p == null || !p.isAlive()) return;
        p.destroyForcibly(); // SIGKILL reaches a stopped process too
        awaitExit(id, p);
        paused.remove(id);
    }

    /** Starts a killed node again on its data directory (same ports) and waits until it answers. No-op if it is running. */
    public void restart(long id) {
        if (isRunning(id)) return;
        launch(id);
        awaitHealthy(id);
    }

    /** SIGSTOP: the process stays, but neither it nor its sockets answer until {@link #resume}. */
    public void pause(long id) {
        signal(id, "STOP");
        paused.add(id);
    }

    /** SIGCONT. */
    public void resume(long id) {
        signal(id, "CONT");
        paused.remove(id);
    }

    /** Whether the node's process is alive (a paused node is running, see {@link #isPaused}). */
    public boolean isRunning(long id) {
        node(id);
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /** Whether the node is running and stopped by {@link #pause}. */
    public boolean isPaused(long id) {
        return paused.contains(id) && isRunning(id);
    }

    /** The proxies in front of every peer link. */
    public FaultProxy network() {
        return proxies;
    }

    /** The same proxies, with their ports and link-level counters. */
    public PeerLinkProxies proxies() {
        return proxies;
    }

    /** Status of a node, or empty if it does not answer within {@code timeout}. */
    public Optional<Status> status(long id, Duration timeout) {
        return getJson(id, "/v1/status", timeout).map(n -> new Status(n.get("id").asLong(), n.get("role").asText(),
                n.get("term").asLong(), n.get("leaderId").asLong(), n.get("commitIndex").asLong(),
                n.get("appliedIndex").asLong()));
    }

    /**
     * The leader that the answering nodes agree on in the highest term, if any: of the nodes that
     * say they lead, the one in the highest term, provided no answering node of that term names
     * another leader. An old leader cut off in a lower term does not count.
     */
    public Optional<Long> leader() {
        List<Status> answers = reachableIds().stream().map(id -> status(id, PROBE_TIMEOUT))
                .flatMap(Optional::stream).toList();
        Optional<Status> newest = answers.stream().filter(Status::isLeader).max(Comparator.comparingLong(Status::term));
        if (newest.isEmpty()) return Optional.empty();
        Status leader = newest.get();
        boolean agreed = answers.stream().filter(s -> s.term() == leader.term())
                .allMatch(s -> s.leaderId() == leader.id() || s.leaderId() == 0);
        return agreed ? Optional.of(leader.id()) : Optional.empty();
    }

    /** Digests of the nodes that answer (paused or killed nodes are left out). */
    public Map<Long, Digest> digests() {
        Map<Long, Digest> digests = new TreeMap<>();
        for (long id : reachableIds()) {
            getJson(id, "/v1/digest", DIGEST_TIMEOUT).ifPresent(n ->
                    digests.put(id, new Digest(n.get("appliedIndex").asLong(), n.get("sha256").asText())));
        }
        return digests;
    }

    /** Resumes paused nodes, restarts killed ones and heals the network. */
    public void healAll() {
        for (long id : ports.keySet()) {
            if (isPaused(id)) resume(id);
        }
        proxies.heal();
        for (long id : ports.keySet()) {
            if (!isRunning(id)) restart(id);
        }
    }

    /** The last {@code lines} lines of the node's log (for failure messages). */
    public String logTail(long id, int lines) {
        Path file = logFile(id);
        try {
            if (!Files.exists(file)) return "(no log yet at " + file + ")";
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Kills every node and closes the proxies (idempotent). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        try {
            killAll();
        } finally {
            proxies.close();
            http.close();
            unregisterHook();
        }
    }

    private void launch(long id) {
        synchronized (this) {
            if (closed) throw new IllegalStateException("the cluster is closed");
            registerHook();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java binary runs this JVM")));
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BallotCli.class.getName(), "server",
                "--id", Long.toString(id),
                "--peers", peerListFor(id),
                "--data", dataDir(id).toString(),
                "--client-host", HOST,
                "--redis-port", Integer.toString(node(id).redis()),
                "--http-port", Integer.toString(node(id).http())));
        cmd.addAll(serverArgs);
        try {
            Files.createDirectories(dataDir(id));
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile(id).toFile())).start();
            processes.put(id, process);
            paused.remove(id);
            log.info("started node {} (pid {})", id, process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + id + " with " + cmd, e);
        }
    }

    /** Node {@code id}'s own entry is its real peer port; every other node is reached through a proxy. */
    private String peerListFor(long id) {
        return ports.entrySet().stream().map(e -> {
            long peer = e.getKey();
            int port = peer == id ? e.getValue().peer() : proxies.port(id, peer);
            return peer + "=" + HOST + ":" + port;
        }).collect(Collectors.joining(","));
    }

    private void awaitHealthy(long id) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Process p = processes.get(id);
            if (!p.isAlive()) {
                throw new IllegalStateException("node " + id + " exited with code " + p.exitValue()
                        + " while starting; last lines of " + logFile(id) + ":\n" + logTail(id, 30));
            }
            Optional<HttpResponse<String>> r = get(id, "/healthz", PROBE_TIMEOUT);
            if (r.isPresent() && r.get().statusCode() == 200) return;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node " + id + " (pid " + p.pid() + ") did not answer /healthz on port "
                        + httpPort(id) + " within " + START_TIMEOUT + "; last lines of " + logFile(id) + ":\n"
                        + logTail(id, 30));
            }
            try {
                Thread.sleep(100); // polling interval while the JVM starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for node " + id + " to start", e);
            }
        }
    }

    private void signal(long id, String signal) {
        Process p = processes.get(id);
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("cannot send SIG" + signal + " to node " + id + ": it is not running");
        }
        ProcessBuilder kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).redirectErrorStream(true);
        try {
            Process k = kill.start();
            String output = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!k.waitFor(10, TimeUnit.SECONDS)) {
                k.destroyForcibly();
                throw new IllegalStateException("'kill -" + signal + " " + p.pid() + "' did not finish within 10 s");
            }
            if (k.exitValue() != 0) {
                throw new IllegalStateException("'kill -" + signal + " " + p.pid() + "' (node " + id + ") exited with "
                        + k.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run 'kill -" + signal + "' (is the kill command on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + signal + " to node " + id, e);
        }
    }

    /** Nodes whose process runs and is not paused. */
    private List<Long> reachableIds() {
        return ports.keySet().stream().filter(id -> isRunning(id) && !paused.contains(id)).toList();
    }

    private Optional<JsonNode> getJson(long id, String path, Duration timeout) {
        return get(id, path, timeout).filter(r -> r.statusCode() == 200).map(r -> {
            try {
                return json.readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException("node " + id + " sent bad JSON for " + path + ": " + r.body(), e);
            }
        });
    }

    /** The response, or empty if the node does not answer in time (down, paused, starting). */
    private Optional<HttpResponse<String>> get(long id, String path, Duration timeout) {
        URI uri = URI.create("http://" + HOST + ":" + httpPort(id) + path);
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            log.debug("GET {} got no answer: {}", uri, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + uri, e);
        }
    }

    /** Resumes paused nodes (best effort: SIGKILL works on them anyway), then SIGKILLs every node and waits. */
    private void killAll() {
        for (long id : paused) {
            try {
                resume(id);
            } catch (RuntimeException e) {
                log.warn("could not resume node {} before killing it: {}", id, e.getMessage());
            }
        }
        processes.values().forEach(Process::destroyForcibly);
        RuntimeException failure = null;
        for (Map.Entry<Long, Process> e : processes.entrySet()) {
            try {
                awaitExit(e.getKey(), e.getValue());
            } catch (RuntimeException notDead) {
                if (failure == null) failure = notDead;
                else failure.addSuppressed(notDead);
            }
        }
        if (failure != null) throw failure;
    }

    private void registerHook() {
        if (hookRegistered) return;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        hookRegistered = true;
    }

    private synchronized void unregisterHook() {
        if (!hookRegistered) return;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            log.debug("the JVM is shutting down; the hook kills the nodes anyway");
        }
        hookRegistered = false;
    }

    private static void awaitExit(long id, Process p) {
        try {
            if (!p.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("node " + id + " (pid " + p.pid() + ") did not exit within " + EXIT_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for node " + id + " to exit", e);
        }
    }

    private NodePorts node(long id) {
        NodePorts p = ports.get(id);
        if (p == null) throw new IllegalArgumentException("no node " + id + " in this cluster (ids " + ports.keySet() + ")");
        return p;
    }

    private Path nodeDir(long id) {
        return baseDir.resolve(Long.toString(id));
    }
}
