package dev.ballot.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ballot bench-kv}: a closed-loop RESP2 load generator (SET, and GET with
 * {@code --read-ratio}) for Ballot's KV server or any Redis-protocol server. See
 * docs/benchmarks.md, "Client load (RESP)".
 */
@Command(name = "bench-kv", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Closed-loop RESP load: each client sends --pipeline commands, reads the replies, repeats.")
public final class LoadGenerator implements Callable<Integer> {

    @Option(names = "--host", description = "server host (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--ports", split = ",", paramLabel = "PORT",
            description = "RESP ports; clients are spread over them round-robin (default: 6401)")
    List<Integer> ports = List.of(6401);

    @Option(names = "--clients", description = "connections, one thread each (default: ${DEFAULT-VALUE})")
    int clients = 50;

    @Option(names = "--pipeline", description = "commands in flight per client (default: ${DEFAULT-VALUE})")
    int pipeline = 1;

    @Option(names = "--value-size", paramLabel = "BYTES", description = "SET value size (default: ${DEFAULT-VALUE})")
    int valueSize = 100;

    @Option(names = "--read-ratio", description = "fraction of GETs, 0..1 (default: ${DEFAULT-VALUE} = all SET)")
    double readRatio = 0;

    @Option(names = "--keys", description = "keyspace size; keys are key:000000000000.. (default: ${DEFAULT-VALUE})")
    int keys = 100_000;

    @Option(names = "--key-size", paramLabel = "BYTES",
            description = "key size, >= 16; the key number is zero-padded to it (default: ${DEFAULT-VALUE})")
    int keySize = LoadOptions.DEFAULT_KEY_SIZE;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "measurement time (default: ${DEFAULT-VALUE})")
    double duration = 10;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "unmeasured time before it (default: ${DEFAULT-VALUE})")
    double warmup = 2;

    @Option(names = "--requests", paramLabel = "N",
            description = "stop after N measured commands (or at --duration, whichever first); 0 = off (default)")
    long requests = 0;

    @Option(names = "--seed", description = "random seed for keys and the GET/SET mix (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--timeout-ms", description = "connect and reply timeout (default: ${DEFAULT-VALUE})")
    long timeoutMillis = 5000;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON to FILE")
    Path json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        LoadOptions options = new LoadOptions(host, ports, clients, pipeline, valueSize, readRatio, keys,
                seconds(duration, "--duration"), seconds(warmup, "--warmup"), seed, requests,
                Duration.ofMillis(timeoutMillis), keySize);
        LoadResult result = LoadRun.run(options);
        System.out.print(LoadReport.text(result));
        if (json != null) {
            Files.writeString(json, LoadReport.json(result) + System.lineSeparator(), StandardCharsets.UTF_8);
        }
        // A run in which nothing succeeded is a failed run, so scripts notice.
        return result.totalOps() - result.errors() > 0 ? 0 : 1;
    }

    private static Duration seconds(double value, String option) {
        if (!(value >= 0) || value > 86_400) {
            throw new IllegalArgumentException(option + " must be between 0 and 86400 seconds, got " + value);
        }
        return Duration.ofNanos(Math.round(value * 1e9));
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LoadGenerator());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("bench-kv: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
