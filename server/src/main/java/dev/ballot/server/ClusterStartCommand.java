package dev.ballot.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code ballot cluster start}: N nodes as child processes of this one, until Ctrl-C. */
@Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts N nodes on this machine (one JVM each), waits for a leader, prints where",
                "everything is, and keeps running until Ctrl-C, which stops every node cleanly."})
public final class ClusterStartCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private final ProcessStarter starter;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "5",
            description = "number of nodes, 1..9 (default: ${DEFAULT-VALUE})")
    private int nodes;

    @Option(names = "--base-dir", paramLabel = "DIR", defaultValue = "data/cluster",
            description = "node N keeps its data in DIR/N/data and its log in DIR/N/node.log (default: ${DEFAULT-VALUE})")
    private Path baseDir;

    @Option(names = "--peer-port-base", paramLabel = "PORT", defaultValue = "7101",
            description = "node N's peer port is this + N - 1 (default: ${DEFAULT-VALUE})")
    private int peerPortBase;

    @Option(names = "--redis-port-base", paramLabel = "PORT", defaultValue = "6401",
            description = "node N's RESP port is this + N - 1 (default: ${DEFAULT-VALUE})")
    private int redisPortBase;

    @Option(names = "--http-port-base", paramLabel = "PORT", defaultValue = "8401",
            description = "node N's HTTP port is this + N - 1 (default: ${DEFAULT-VALUE})")
    private int httpPortBase;

    @Option(names = "--no-fsync", description = "start the nodes with --no-fsync (faster, unsafe on power loss)")
    private boolean noFsync;

    @Option(names = "--start-timeout-s", paramLabel = "S", defaultValue = "60",
            description = "how long the nodes may take to answer before start is abandoned (default: ${DEFAULT-VALUE})")
    private int startTimeoutS;

    public ClusterStartCommand(ProcessStarter starter) {
        this.starter = starter;
    }

    /** The layout from the flags; a usage error names the bad flag. */
    ClusterLayout layout() {
        try {
            return new ClusterLayout(nodes, baseDir, "127.0.0.1", peerPortBase, redisPortBase, httpPortBase, !noFsync);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        ClusterLayout layout = layout();
        if (startTimeoutS < 1) {
            throw new ParameterException(spec.commandLine(), "--start-timeout-s must be >= 1, was " + startTimeoutS);
        }
        return new ClusterSupervisor(layout, starter, ClusterSupervisor.currentJava(),
                System.getProperty("java.class.path"), Duration.ofSeconds(startTimeoutS), Duration.ofSeconds(15),
                spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    }
}
