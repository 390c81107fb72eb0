package dev.ballot.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local cluster: one child JVM per node, each logging to its own file; waits until every
 * node answers, reports the leader, then watches the children until they exit. Stopping the
 * supervisor (Ctrl-C, SIGTERM) stops the children: SIGTERM first, SIGKILL after a grace period.
 */
final class ClusterSupervisor {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ClusterLayout layout;
    private final ProcessStarter starter;
    private final String javaBinary;
    private final String classPath;
    private final Duration startTimeout;
    private final Duration leaderTimeout;
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<Process> children = new ArrayList<>();
    private volatile boolean stopping;

    ClusterSupervisor(ClusterLayout layout, ProcessStarter starter, String javaBinary, String classPath,
                      Duration startTimeout, Duration leaderTimeout, PrintWriter out, PrintWriter err) {
        this.layout = layout;
        this.starter = starter;
        this.javaBinary = javaBinary;
        this.classPath = classPath;
        this.startTimeout = startTimeout;
        this.leaderTimeout = leaderTimeout;
        this.out = out;
        this.err = err;
    }

    /** The java binary running this JVM, so the children run on the same JDK. */
    static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    int run() throws InterruptedException {
        List<ClusterLayout.Port> busy = PortCheck.busy(layout.host(), layout.ports());
        if (!busy.isEmpty()) {
            for (ClusterLayout.Port p : busy) {
                err.printf("ballot cluster: port %d (%s) is already in use on %s; stop what uses it "
                        + "(another cluster? `ss -ltnp | grep %d`) or choose other ports with %s%n",
                        p.port(), p.purpose(), layout.host(), p.port(), p.flag());
            }
            err.flush();
            return ExitCodes.FAILURE;
        }
        Thread hook = new Thread(this::stopAll, "ballot-cluster-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (!startAll() || !awaitReady()) {
                stopAll();
                return ExitCodes.FAILURE;
            }
            printTable(awaitLeader());
            printHints();
            return supervise();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running (Ctrl-C) and stops the children itself.
            }
        }
    }

    private boolean startAll() {
        for (ClusterLayout.Node node : layout.nodes()) {
            try {
                Files.createDirectories(node.dataDir());
                List<String> command = layout.command(javaBinary, classPath, node);
                writeRestartScript(node, command);
                ProcessBuilder pb = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(Redirect.appendTo(node.logFile().toFile()));
                synchronized (children) {
                    children.add(starter.start(pb));
                }
            } catch (IOException e) {
                err.println("ballot cluster: cannot start node " + node.id() + ": " + e);
                err.flush();
                return false;
            }
        }
        out.printf("started %d nodes under %s, waiting for them to answer...%n", layout.size(), layout.baseDir());
        out.flush();
        return true;
    }

    /**
     * Writes {@code <node dir>/restart.sh}: the node's exact command line, so a person who killed
     * a node can start it again on its data directory (it rejoins and catches up).
     */
    private static void writeRestartScript(ClusterLayout.Node node, List<String> command) throws IOException {
        StringBuilder sh = new StringBuilder("#!/bin/sh\n# Restarts node " + node.id()
                + " on its data directory; output goes to its log.\nexec");
        for (String arg : command) sh.append(' ').append('\'').append(arg.replace("'", "'\\''")).append('\'');
        sh.append(" >> '").append(node.logFile().toString().replace("'", "'\\''")).append("' 2>&1\n");
        Path script = node.logFile().resolveSibling("restart.sh");
        Files.writeString(script, sh.toString());
        if (!script.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + script + " executable");
        }
    }

    /** True once every node answers /v1/status; false (with the reason printed) if one dies or the time runs out. */
    private boolean awaitReady() throws InterruptedException {
        StatusFetcher fetcher = new StatusFetcher(Duration.ofSeconds(1));
        List<ClusterLayout.Node> nodes = layout.nodes();
        List<NodeAddress> addresses = layout.httpAddresses();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            for (int i = 0; i < nodes.size(); i++) {
                Process p = children.get(i);
                if (!p.isAlive()) {
                    err.printf("ballot cluster: node %d exited with code %d while starting; its log %s ends:%n",
                            nodes.get(i).id(), p.exitValue(), nodes.get(i).logFile());
                    printTail(nodes.get(i).logFile());
                    return false;
                }
            }
            if (fetcher.fetchAll(addresses).stream().allMatch(StatusFetcher.Result::up)) return true;
            if (System.nanoTime() >= deadline) {
                err.printf("ballot cluster: not every node answered within %d s; see the logs under %s%n",
                        startTimeout.toSeconds(), layout.baseDir());
                err.flush();
                return false;
            }
            Thread.sleep(POLL); // polling other processes: there is nothing to wait on but their HTTP port
        }
    }

    /** The statuses once some node is leader, or the last statuses seen when none is within the bound. */
    private List<StatusFetcher.Result> awaitLeader() throws InterruptedException {
        StatusFetcher fetcher = new StatusFetcher(Duration.ofSeconds(1));
        long deadline = System.nanoTime() + leaderTimeout.toNanos();
        while (true) {
            List<StatusFetcher.Result> results = fetcher.fetchAll(layout.httpAddresses());
            if (leaderOf(results).isPresent() || System.nanoTime() >= deadline) return results;
            Thread.sleep(POLL);
        }
    }

    static Optional<Long> leaderOf(List<StatusFetcher.Result> results) {
        return results.stream().filter(r -> r.up() && "leader".equalsIgnoreCase(r.status().role()))
                .map(r -> r.status().id()).findFirst();
    }

    private void printTable(List<StatusFetcher.Result> statuses) {
        Table table = new Table("ID", "ROLE", "RESP", "HTTP", "DATA", "LOG");
        List<ClusterLayout.Node> nodes = layout.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            ClusterLayout.Node n = nodes.get(i);
            StatusFetcher.Result r = statuses.get(i);
            String role = r.up() ? r.status().role().toLowerCase(java.util.Locale.ROOT) : "down";
            table.row(Long.toString(n.id()), role, layout.host() + ":" + n.redisPort(),
                    layout.host() + ":" + n.httpPort(), n.dataDir().toString(), n.logFile().toString());
        }
        table.print(out);
        Optional<Long> leader = leaderOf(statuses);
        out.println(leader.map(id -> "leader: node " + id)
                .orElse("no leader yet after " + leaderTimeout.toSeconds() + " s (see `ballot status`)"));
        out.flush();
    }

    private void printHints() {
        ClusterLayout.Node first = layout.nodes().get(0);
        out.println();
        out.println("try:");
        out.printf("  redis-cli -p %d set k v%n", first.redisPort());
        out.printf("  redis-cli -p %d get k%n", first.redisPort());
        out.printf("  curl %s:%d/v1/status%n", "localhost", first.httpPort());
        out.println("  ./ballot status    ./ballot put k v    ./ballot get k");
        out.println("Ctrl-C stops the cluster; the data stays in " + layout.baseDir() + ".");
        out.flush();
    }

    /** Reports each child's exit; returns once all have exited. */
    private int supervise() {
        List<ClusterLayout.Node> nodes = layout.nodes();
        List<CompletableFuture<Process>> exits = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            long id = nodes.get(i).id();
            Path log = nodes.get(i).logFile();
            exits.add(children.get(i).onExit().whenComplete((p, e) -> {
                if (e != null) {
                    err.println("ballot cluster: lost track of node " + id + ": " + e);
                } else if (stopping) {
                    out.printf("node %d stopped (exit code %d)%n", id, p.exitValue());
                } else {
                    out.printf("node %d exited with code %d; see %s%n", id, p.exitValue(), log);
                }
                out.flush();
                err.flush();
            }));
        }
        CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).join();
        return stopping ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** SIGTERM to every child, then SIGKILL to those still alive after the grace period. */
    void stopAll() {
        stopping = true;
        List<Process> snapshot;
        synchronized (children) {
            snapshot = List.copyOf(children);
        }
        if (snapshot.stream().anyMatch(Process::isAlive)) {
            out.println("stopping the cluster...");
            out.flush();
        }
        snapshot.forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Process p : snapshot) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    err.println("ballot cluster: pid " + p.pid() + " did not stop within "
                            + STOP_GRACE.toSeconds() + " s; killing it");
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        err.flush();
    }

    private void printTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(l -> err.println("  | " + l));
        } catch (IOException e) {
            err.println("  (cannot read " + log + ": " + e + ")");
        }
        err.flush();
    }
}
