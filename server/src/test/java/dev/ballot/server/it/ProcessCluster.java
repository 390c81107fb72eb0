package dev.ballot.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballot.server.BallotCli;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Ballot cluster of real node processes ({@code BallotCli server}, one JVM each) on 127.0.0.1,
 * for fault tests that need what an in-JVM cluster cannot do: SIGKILL, SIGTERM, a restart from the
 * data directory. Each node keeps its ports across restarts and appends its stdout and stderr to
 * {@code BASE/N/node.log}.
 */
public final class ProcessCluster implements ProcessDiagnostics {

    public static final String HOST = "127.0.0.1";

    /** Small heaps and C1 only: five JVMs share two busy cores in CI, and a node needs neither. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);

    /** One node's ports, fixed for the cluster's life so a restarted node is where its peers expect it. */
    public record Ports(int peer, int redis, int http) {}

    /** The fields of {@code GET /v1/status} the tests look at. */
    public record Status(long id, String role, long term, long leaderId, long commitIndex, long appliedIndex,
                         long lastLogIndex) {
        boolean leader() {
            return "leader".equals(role);
        }
    }

    /** {@code GET /v1/digest}: a hash of the node's whole state at its applied index. */
    public record Digest(long appliedIndex, String sha256) {}

    private final Path baseDir;
    private final List<String> nodeArgs;
    private final Map<Long, Ports> ports;
    private final Map<Long, Process> processes = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    private ProcessCluster(Path baseDir, Map<Long, Ports> ports, List<String> nodeArgs) {
        this.baseDir = baseDir;
        this.ports = ports;
        this.nodeArgs = List.copyOf(nodeArgs);
    }

    /**
     * A cluster of {@code size} nodes (ids 1..size) under {@code baseDir}; nothing runs until
     * {@link #start}. {@code nodeArgs} are extra {@code server} flags for every node (e.g. {@code --tick-ms}).
     */
    public static ProcessCluster create(Path baseDir, int size, String... nodeArgs) {
        List<Integer> free = FreePorts.any(3 * size);
        Map<Long, Ports> ports = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            ports.put((long) i + 1, new Ports(free.get(3 * i), free.get(3 * i + 1), free.get(3 * i + 2)));
        }
        return new ProcessCluster(baseDir, ports, List.of(nodeArgs));
    }

    public List<Long> ids() {
        return List.copyOf(ports.keySet());
    }

    public Ports ports(long id) {
        return ports.get(id);
    }

    public Path dataDir(long id) {
        return baseDir.resolve(Long.toString(id)).resolve("data");
    }

    public Path logFile(long id) {
        return baseDir.resolve(Long.toString(id)).resolve("node.log");
    }

    /** The ids of the nodes whose process is running. */
    public List<Long> liveIds() {
        return ports.keySet().stream().filter(this::isAlive).toList();
    }

    public boolean isAlive(long id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    public Process process(long id) {
        Process p = processes.get(id);
        if (p == null) throw new IllegalStateException("node " + id + " was never started");
        return p;
    }

    /** Starts every node, then waits until each answers {@code /v1/status}. */
    public void startAll() {
        ports.keySet().forEach(this::launch);
        ports.keySet().forEach(this::awaitUp);
    }

    /** Starts (or restarts, on the same data directory) one node and waits until it answers. */
    public void start(long id) {
        launch(id);
        awaitUp(id);
    }

    private void launch(long id) {
        if (isAlive(id)) throw new IllegalStateException("node " + id + " is already running");
        Ports p = ports.get(id);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java binary runs this JVM")));
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BallotCli.class.getName(), "server",
                "--id", Long.toString(id),
                "--peers", peerList(),
                "--data", dataDir(id).toString(),
                "--client-host", HOST,
                "--redis-port", Integer.toString(p.redis()),
                "--http-port", Integer.toString(p.http())));
        cmd.addAll(nodeArgs);
        try {
            Files.createDirectories(dataDir(id));
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile(id).toFile())).start();
            processes.put(id, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + id, e);
        }
    }

    private String peerList() {
        return ports.entrySet().stream().map(e -> e.getKey() + "=" + HOST + ":" + e.getValue().peer())
                .collect(Collectors.joining(","));
    }

    private void awaitUp(long id) {
        await("node " + id + " answers /v1/status").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    if (!isAlive(id)) {
                        throw new AssertionError("node " + id + " exited with code " + process(id).exitValue()
                                + " while starting:\n" + logTail(id, 30));
                    }
                    return status(id).id() == id;
                });
    }

    /** SIGKILL (no shutdown hooks, no flushing); returns once the process is gone. */
    public void sigkill(long id) {
        Process p = process(id);
        p.destroyForcibly();
        awaitExit(id, p);
    }

    /** SIGTERM; returns the exit code once the process has exited, fails if it does not within 15 s. */
    public int sigterm(long id) {
        Process p = process(id);
        p.destroy();
        return awaitExit(id, p);
    }

    private static int awaitExit(long id, Process p) {
        try {
            if (!p.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("node " + id + " (pid " + p.pid() + ") did not exit within " + EXIT_TIMEOUT);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for node " + id + " to exit", e);
        }
    }

    /**
     * Waits until exactly one live node says it is leader and every live node names it as leader;
     * returns its id.
     */
    public long awaitLeader() {
        return await("one leader that every live node agrees on").atMost(LEADER_TIMEOUT)
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(this::agreedLeader, Optional::isPresent).orElseThrow();
    }

    private Optional<Long> agreedLeader() {
        List<Status> statuses = liveIds().stream().map(this::status).toList();
        List<Status> leaders = statuses.stream().filter(Status::leader).toList();
        if (leaders.size() != 1) return Optional.empty();
        long leader = leaders.get(0).id();
        return statuses.stream().allMatch(s -> s.leaderId() == leader) ? Optional.of(leader) : Optional.empty();
    }

    /** Waits until every live node reports the same applied index and state hash; returns it. */
    public Digest awaitSameDigest() {
        return await("every live node has the same applied index and state hash").atMost(LEADER_TIMEOUT)
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> liveIds().stream().map(this::digest).distinct().toList(), d -> d.size() == 1)
                .get(0);
    }

    public Status status(long id) {
        JsonNode n = getJson(id, "/v1/status");
        return new Status(n.get("id").asLong(), n.get("role").asText(), n.get("term").asLong(),
                n.get("leaderId").asLong(), n.get("commitIndex").asLong(), n.get("appliedIndex").asLong(),
                n.get("lastLogIndex").asLong());
    }

    /** The last index of the node's newest snapshot (0: none), from {@code GET /v1/status}. */
    public long snapshotIndex(long id) {
        return getJson(id, "/v1/status").path("snapshot").path("snapshotIndex").asLong();
    }

    public Digest digest(long id) {
        JsonNode n = getJson(id, "/v1/digest");
        return new Digest(n.get("appliedIndex").asLong(), n.get("sha256").asText());
    }

    /** {@code GET /v1/kv/KEY} on one node: the value, or empty on 404. */
    public Optional<String> httpGet(long id, String key) {
        HttpResponse<String> r = get(id, "/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        if (r.statusCode() == 404) return Optional.empty();
        assertThat(r.statusCode()).as("GET /v1/kv/%s on node %d: %s", key, id, r.body()).isEqualTo(200);
        return Optional.of(r.body());
    }

    /** A new RESP connection to one node (the caller closes it); the timeout exceeds the node's request timeout. */
    public Jedis jedis(long id) {
        // RESP2 without a HELLO: Ballot speaks RESP2, and Jedis would warn on every connection otherwise.
        return new Jedis(HOST, ports.get(id).redis(),
                DefaultJedisClientConfig.builder().timeoutMillis(10_000).serverDefaultProtocol().build());
    }

    private JsonNode getJson(long id, String path) {
        HttpResponse<String> r = get(id, path);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " on node " + id + ": " + r.statusCode() + " " + r.body());
        }
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("bad JSON from node " + id + ": " + r.body(), e);
        }
    }

    private HttpResponse<String> get(long id, String path) {
        URI uri = URI.create("http://" + HOST + ":" + ports.get(id).http() + path);
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The node's whole log, empty if it has none yet. */
    public String log(long id) {
        try {
            return Files.exists(logFile(id)) ? Files.readString(logFile(id)) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail(long id, int lines) {
        List<String> all = log(id).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public String diagnostics() {
        StringBuilder sb = new StringBuilder();
        for (long id : ports.keySet()) {
            sb.append("---- node ").append(id).append(isAlive(id) ? " (running)" : " (not running)")
                    .append(", last lines of ").append(logFile(id)).append(" ----\n")
                    .append(logTail(id, 40)).append('\n');
        }
        return sb.toString();
    }

    /** Kills every node still running (SIGKILL) and waits for each to exit. */
    @Override
    public void close() {
        processes.values().forEach(Process::destroyForcibly);
        processes.forEach(ProcessCluster::awaitExit);
    }
}
