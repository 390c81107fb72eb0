package dev.ballot.bench.failover;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballot.server.ClusterLayout;
import dev.ballot.server.NodeStatusView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local cluster of real {@code ballot server} processes, laid out and started exactly as
 * {@code ballot cluster start} does ({@link ClusterLayout}: the same command line, direct peer
 * links, one log file per node), plus what the failover benchmark needs: SIGKILL one node, start
 * it again on its data directory, ask any node for its status. The nodes run on this JVM's java
 * binary and class path.
 *
 * <p>A shutdown hook of this instance kills the nodes if the benchmark is stopped with Ctrl-C.
 */
final class LocalCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration HEALTH_PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final ClusterLayout layout;
    private final List<String> extraArgs;
    private final String javaBinary;
    private final String classPath;
    private final Map<Long, Process> processes = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HEALTH_PROBE_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Thread shutdownHook = Thread.ofPlatform().name("failover-cluster-stop").unstarted(this::stopAll);
    private boolean hookRegistered; // guarded by this

    /** @param extraArgs {@code ballot server} flags for every node, after the layout's own */
    LocalCluster(ClusterLayout layout, List<String> extraArgs, String javaBinary, String classPath) {
        this.layout = layout;
        this.extraArgs = List.copyOf(extraArgs);
        this.javaBinary = javaBinary;
        this.classPath = classPath;
    }

    /** The java binary running this JVM, so the nodes run on the same JDK. */
    static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The ports of the layout that cannot be bound now (something else listens there), with their flags. */
    static List<ClusterLayout.Port> busyPorts(ClusterLayout layout) {
        List<ClusterLayout.Port> busy = new ArrayList<>();
        for (ClusterLayout.Port p : layout.ports()) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true); // as the node binds: TIME_WAIT from an earlier run is fine
                socket.bind(new InetSocketAddress(layout.host(), p.port()));
            } catch (IOException e) {
                busy.add(p);
            }
        }
        return busy;
    }

    ClusterLayout layout() {
        return layout;
    }

    List<Long> ids() {
        return layout.nodes().stream().map(ClusterLayout.Node::id).toList();
    }

    int redisPort(long id) {
        return node(id).redisPort();
    }

    /** The exact command line of node {@code id}. */
    List<String> command(long id) {
        List<String> cmd = new ArrayList<>(layout.command(javaBinary, classPath, node(id)));
        cmd.addAll(extraArgs);
        return cmd;
    }

    /** Starts every node and waits until each answers {@code /healthz}. */
    void startAll(Duration timeout) throws InterruptedException {
        for (long id : ids()) launch(id);
        for (long id : ids()) awaitHealthy(id, timeout);
    }

    boolean isRunning(long id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /**
     * Sends SIGKILL to node {@code id} and returns {@link System#nanoTime()} taken just before the
     * signal, without waiting for the process to be gone (see {@link #awaitExit}).
     */
    long kill(long id) {
        Process p = processes.get(id);
        if (p == null || !p.isAlive()) throw new IllegalStateException("node " + id + " is not running");
        long before = System.nanoTime();
        p.destroyForcibly(); // java.lang.Process sends SIGKILL for this on Linux and macOS
        return before;
    }

    /** Waits until node {@code id}'s process has exited. */
    void awaitExit(long id) throws InterruptedException {
        Process p = processes.get(id);
        if (p != null && !p.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("node " + id + " (pid " + p.pid() + ") did not exit within " + EXIT_TIMEOUT);
        }
    }

    /** Starts a stopped node again on its data directory (same ports, same flags) and waits until it answers. */
    void restart(long id, Duration timeout) throws InterruptedException {
        if (isRunning(id)) throw new IllegalStateException("node " + id + " is still running");
        launch(id);
        awaitHealthy(id, timeout);
    }

    /** Node {@code id}'s {@code /v1/status}, or empty if it does not answer within {@code timeout}. */
    Optional<NodeStatusView> status(long id, Duration timeout) {
        return get(id, "/v1/status", timeout).filter(r -> r.statusCode() == 200).map(r -> {
            try {
                return json.readValue(r.body(), NodeStatusView.class);
            } catch (IOException e) {
                throw new UncheckedIOException("node " + id + " sent an unreadable /v1/status: " + r.body(), e);
            }
        });
    }

    Path logFile(long id) {
        return node(id).logFile();
    }

    /** The last {@code lines} lines of node {@code id}'s log, for error messages. */
    String logTail(long id, int lines) {
        Path file = logFile(id);
        try {
            if (!Files.exists(file)) return "(no log at " + file + ")";
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Stops every node: SIGTERM, then SIGKILL for those still running after a grace period. */
    @Override
    public void close() {
        try {
            stopAll();
        } finally {
            http.close();
            synchronized (this) {
                if (hookRegistered) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(shutdownHook);
                    } catch (IllegalStateException shuttingDown) {
                        log.debug("the JVM is shutting down; the hook stops the nodes itself");
                    }
                    hookRegistered = false;
                }
            }
        }
    }

    private void launch(long id) {
        synchronized (this) {
            if (!hookRegistered) {
                Runtime.getRuntime().addShutdownHook(shutdownHook);
                hookRegistered = true;
            }
        }
        ClusterLayout.Node node = node(id);
        List<String> cmd = command(id);
        try {
            Files.createDirectories(node.dataDir());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(node.logFile().toFile())).start();
            processes.put(id, p);
            log.debug("started node {} (pid {}): {}", id, p.pid(), cmd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + id + " with " + cmd, e);
        }
    }

    private void awaitHealthy(long id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Process p = processes.get(id);
            if (!p.isAlive()) {
                throw new IllegalStateException("node " + id + " exited with code " + p.exitValue()
                        + " while starting; the end of " + logFile(id) + ":" + System.lineSeparator() + logTail(id, 30));
            }
            Optional<HttpResponse<String>> r = get(id, "/healthz", HEALTH_PROBE_TIMEOUT);
            if (r.isPresent() && r.get().statusCode() == 200) return;
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("node " + id + " (pid " + p.pid() + ") did not answer /healthz on "
                        + layout.host() + ":" + node(id).httpPort() + " within " + timeout.toSeconds() + " s; the end of "
                        + logFile(id) + ":" + System.lineSeparator() + logTail(id, 30));
            }
            Thread.sleep(50); // polling another process while its JVM starts: nothing to wait on but its port
        }
    }

    private Optional<HttpResponse<String>> get(long id, String path, Duration timeout) {
        URI uri = URI.create("http://" + layout.host() + ":" + node(id).httpPort() + path);
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            log.debug("GET {}: no answer ({})", uri, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void stopAll() {
        List<Process> alive = processes.values().stream().filter(Process::isAlive).toList();
        alive.forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Process p : alive) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    log.warn("node pid {} did not stop within {} s of SIGTERM; killing it", p.pid(), STOP_GRACE.toSeconds());
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private ClusterLayout.Node node(long id) {
        return layout.nodes().stream().filter(n -> n.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in this cluster (ids " + ids() + ")"));
    }
}
