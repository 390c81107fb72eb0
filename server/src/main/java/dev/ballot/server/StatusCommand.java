package dev.ballot.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ballot status}: one line per node with its Raft state, or why it is down. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows each node's role, term, leader and log indexes.",
                "Exit codes: 0 at least one node answered, 2 usage, 3 no node answered."})
public final class StatusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "HOST:PORT", split = ",", converter = NodeAddress.Converter.class,
            description = "HTTP addresses of the nodes (default: the local cluster, 127.0.0.1:8401..8405)")
    private List<NodeAddress> nodes;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "2000",
            description = "how long to wait for each node (default: ${DEFAULT-VALUE})")
    private int timeoutMs;

    @Override
    public Integer call() {
        if (timeoutMs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--timeout-ms must be >= 1, was " + timeoutMs);
        }
        List<NodeAddress> targets = nodes == null || nodes.isEmpty() ? NodeAddress.localCluster(5) : nodes;
        List<StatusFetcher.Result> results = new StatusFetcher(Duration.ofMillis(timeoutMs)).fetchAll(targets);
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("NODE", "ID", "ROLE", "TERM", "LEADER", "COMMIT", "APPLIED", "LOG", "SNAPSHOT");
        for (StatusFetcher.Result r : results) {
            if (r.up()) {
                NodeStatusView s = r.status();
                table.row(r.node().toString(), Long.toString(s.id()), s.role(), Long.toString(s.term()),
                        s.leader() == 0 ? "-" : Long.toString(s.leader()), Long.toString(s.commitIndex()),
                        Long.toString(s.appliedIndex()), s.firstLogIndex() + ".." + s.lastLogIndex(),
                        s.snapshotIndex() == 0 ? "-" : Long.toString(s.snapshotIndex()));
            } else {
                table.row(r.node().toString(), "-", "down (" + r.problem() + ")", "", "", "", "", "", "");
            }
        }
        table.print(out);
        return results.stream().anyMatch(StatusFetcher.Result::up) ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }
}
