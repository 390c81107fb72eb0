package dev.ballot.server;

import dev.ballot.kv.KvNodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ballot server}: runs one node until SIGTERM / Ctrl-C. Option values stay text here;
 * {@link ServerSettings} checks them all in one place, whether they came from a flag or the file.
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs one Ballot node (Raft + KV store, RESP and HTTP) until stopped with SIGTERM or Ctrl-C.",
                "Every flag may also be given in a --config file (flags win)."})
public final class ServerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private final NodeStarter starter;

    @Option(names = "--config", paramLabel = "FILE",
            description = "properties file; keys are the flag names without dashes (e.g. redis-port=6401)")
    private Path config;

    @Option(names = "--id", paramLabel = "ID", description = "this node's id, one of --peers (default: 1)")
    private String id;

    @Option(names = "--peers", paramLabel = "ID=HOST:PORT,...",
            description = "every member's peer address, the same on every node (default: ID=127.0.0.1:7101, a one-node cluster)")
    private String peers;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: data/ID)")
    private String data;

    @Option(names = "--redis-port", paramLabel = "PORT", description = "RESP port, 0 = any free (default: 6379)")
    private String redisPort;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port, 0 = any free (default: 8080)")
    private String httpPort;

    @Option(names = "--client-host", paramLabel = "HOST",
            description = "interface for the RESP and HTTP ports (default: 127.0.0.1; 0.0.0.0 = all)")
    private String clientHost;

    @Option(names = "--peer-bind-host", paramLabel = "HOST",
            description = "interface for the peer port (default: this node's host in --peers)")
    private String peerBindHost;

    @Option(names = "--tick-ms", paramLabel = "MS", description = "length of one Raft tick (default: 20)")
    private String tickMs;

    @Option(names = "--election-ticks", paramLabel = "N",
            description = "election timeout in ticks, randomised up to twice this (default: 15)")
    private String electionTicks;

    @Option(names = "--heartbeat-ticks", paramLabel = "N", description = "heartbeat interval in ticks (default: 5)")
    private String heartbeatTicks;

    @Option(names = "--fsync", negatable = true,
            description = "fsync the log before acknowledging (default: on; --no-fsync can lose acknowledged writes on power loss)")
    private Boolean fsync;

    @Option(names = "--segment-bytes", paramLabel = "BYTES", description = "log segment size (default: 64 MiB)")
    private String segmentBytes;

    @Option(names = "--snapshot-entries", paramLabel = "N",
            description = "snapshot once this many entries were applied since the last snapshot; 0 = never by count "
                    + "(default: 100000)")
    private String snapshotEntries;

    @Option(names = "--snapshot-bytes", paramLabel = "BYTES",
            description = "snapshot once the entries applied since the last snapshot hold this many bytes; "
                    + "0 = never by size (default: 268435456 = 256 MiB)")
    private String snapshotBytes;

    @Option(names = "--snapshot-catch-up-entries", paramLabel = "N",
            description = "entries kept in the log behind a snapshot for followers that lag a little (default: 5000)")
    private String snapshotCatchUpEntries;

    @Option(names = "--snapshots-retained", paramLabel = "N",
            description = "snapshot files kept in the data directory (default: 2)")
    private String snapshotsRetained;

    @Option(names = "--max-pending", paramLabel = "N",
            description = "requests waiting for an answer before new ones are refused as busy (default: 10000)")
    private String maxPending;

    @Option(names = "--request-timeout-ms", paramLabel = "MS",
            description = "how long a request may wait for a leader, commit and apply (default: 5000)")
    private String requestTimeoutMs;

    @Option(names = "--max-key-bytes", paramLabel = "BYTES",
            description = "largest key (default: 1024); must be the same on every node")
    private String maxKeyBytes;

    @Option(names = "--max-value-bytes", paramLabel = "BYTES",
            description = "largest value (default: 1 MiB); must be the same on every node")
    private String maxValueBytes;

    @Option(names = "--max-clients", paramLabel = "N",
            description = "RESP + HTTP connections accepted at once (default: 1024)")
    private String maxClients;

    @Option(names = "--max-request-bytes", paramLabel = "BYTES",
            description = "largest client request, RESP command or HTTP body (default: 4 MiB)")
    private String maxRequestBytes;

    // Hidden: a deliberately broken read path for the chaos tests (docs/testing.md), never for use.
    @Option(names = "--unsafe-local-reads", hidden = true,
            description = "TEST ONLY: serve reads from local state without ReadIndex (stale reads possible)")
    private boolean unsafeLocalReads;

    public ServerCommand(NodeStarter starter) {
        this.starter = starter;
    }

    /** The node's configuration from the file and the flags given; a usage error names the bad setting. */
    KvNodeConfig config() {
        ServerSettings settings = new ServerSettings();
        try {
            if (config != null) ConfigFile.load(config, settings);
            // Only the flags actually given, so a flag overrides the file and an absent one does not.
            for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
                String name = option.longestName().substring(2);
                if (ServerSettings.NAMES.contains(name)) {
                    settings.put(name, String.valueOf(option.<Object>getValue()), option.longestName());
                }
            }
            return settings.toConfig();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        KvNodeConfig cfg = config();
        PrintWriter out = spec.commandLine().getOut();
        NodeHandle node = starter.start(cfg);
        Thread hook = new Thread(node::close, "ballot-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("ballot node %d up: resp %s, http %s, peer %s, data %s%n", cfg.raft().id(),
                hostPort(node.redisAddress()), hostPort(node.httpAddress()), cfg.peers().address(cfg.raft().id()),
                cfg.raft().dataDir());
        out.flush();
        Throwable failure = node.awaitClosed();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is what closed the node; nothing left to undo.
        }
        if (failure != null) {
            // Exit non-zero so a supervisor (systemd, `ballot cluster start`) sees the node died.
            spec.commandLine().getErr().printf("ballot node %d stopped after a failure: %s%n", cfg.raft().id(), failure);
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    private static String hostPort(java.net.InetSocketAddress a) {
        String host = a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
