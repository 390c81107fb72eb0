package dev.ballot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;

/**
 * {@code ballot admin snapshot}: every node named takes a snapshot of its state now and compacts
 * its log behind it ({@code POST /v1/admin/snapshot}); prints what each node then holds.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Makes each node snapshot its state now and drop the log the snapshot covers.",
                "Exit codes: 0 every node took one, 2 usage, 3 no node answered, 1 some did not."})
public final class AdminSnapshotCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "HOST:PORT", split = ",", converter = NodeAddress.Converter.class,
            description = "HTTP addresses of the nodes (default: the local cluster, 127.0.0.1:8401..8405)")
    private List<NodeAddress> nodes;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "60000",
            description = "how long to wait for each node's snapshot to be written (default: ${DEFAULT-VALUE})")
    private int timeoutMs;

    private record Outcome(NodeAddress node, JsonNode snapshot, String problem) {}

    @Override
    public Integer call() {
        if (timeoutMs < 1) throw new ParameterException(spec.commandLine(), "--timeout-ms must be >= 1, was " + timeoutMs);
        List<NodeAddress> targets = nodes == null || nodes.isEmpty() ? NodeAddress.localCluster(5) : nodes;
        Duration timeout = Duration.ofMillis(timeoutMs);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (NodeAddress node : targets) {
            HttpRequest request = HttpRequest.newBuilder(node.uri("/v1/admin/snapshot")).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            futures.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .handle((response, error) -> outcome(node, response, error)));
        }
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("NODE", "SNAPSHOT INDEX", "TERM", "BYTES");
        int ok = 0;
        for (CompletableFuture<Outcome> f : futures) {
            Outcome o = f.join();
            if (o.snapshot() != null) {
                ok++;
                table.row(o.node().toString(), o.snapshot().path("snapshotIndex").asText(),
                        o.snapshot().path("snapshotTerm").asText(), o.snapshot().path("sizeBytes").asText());
            } else {
                table.row(o.node().toString(), "failed (" + o.problem() + ")", "", "");
            }
        }
        table.print(out);
        if (ok == targets.size()) return ExitCodes.OK;
        return ok == 0 ? ExitCodes.UNAVAILABLE : ExitCodes.FAILURE;
    }

    private static Outcome outcome(NodeAddress node, HttpResponse<byte[]> response, Throwable error) {
        if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            return new Outcome(node, null, cause instanceof java.net.ConnectException ? "connection refused" : cause.toString());
        }
        if (response.statusCode() != 200) {
            return new Outcome(node, null, "HTTP " + response.statusCode() + " " + ErrorBody.describe(response.body()));
        }
        try {
            return new Outcome(node, JSON.readTree(response.body()), null);
        } catch (IOException e) {
            return new Outcome(node, null, "unreadable answer: " + e.getMessage());
        }
    }
}
