package dev.ballot.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real {@code redis-cli} against three node processes, when it is installed. */
class RedisCliProcessTest {

    @RegisterExtension
    final ProcessGuard guard = new ProcessGuard();

    @Test
    @Timeout(120)
    void redisCliWorksAgainstAThreeNodeCluster(@TempDir Path dir) throws Exception {
        Optional<Path> redisCli = onPath("redis-cli");
        assumeTrue(redisCli.isPresent(), "redis-cli is not on the PATH; install redis-tools to run this test");
        ProcessCluster cluster = guard.track(ProcessCluster.create(dir.resolve("cluster"), 3));
        cluster.startAll();
        cluster.awaitLeader();
        int p1 = cluster.ports(1).redis();
        int p2 = cluster.ports(2).redis();
        int p3 = cluster.ports(3).redis();
        Path cli = redisCli.get();

        assertThat(run(cli, "", "-p", p1, "set", "a", "1")).isEqualTo("OK");
        assertThat(run(cli, "", "-p", p2, "get", "a")).isEqualTo("1");
        assertThat(run(cli, "", "-p", p3, "incr", "a")).isEqualTo("2");
        assertThat(run(cli, "", "-p", p1, "get", "a")).isEqualTo("2");
        assertThat(run(cli, "", "-p", p2, "info", "raft")).contains("# Raft").containsPattern("role:(leader|follower)");

        // --pipe: raw RESP on stdin, replies counted; redis-cli ends with an ECHO to find the last reply.
        String protocol = resp("SET", "p1", "x") + resp("INCRBY", "p2", "5") + resp("APPEND", "p1", "y");
        String pipe = run(cli, protocol, "-p", p3, "--pipe");
        assertThat(pipe).contains("errors: 0, replies: 3");
        assertThat(run(cli, "", "-p", p1, "mget", "p1", "p2")).isEqualTo("xy\n5");
    }

    /** One command in RESP, as {@code redis-cli --pipe} expects on stdin. */
    private static String resp(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** Runs redis-cli with {@code stdin}; returns its trimmed stdout and stderr, failing on a non-zero exit. */
    private static String run(Path cli, String stdin, Object... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(cli.toString()));
        for (Object a : args) cmd.add(a.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        // Read on another thread so a hung redis-cli fails the test instead of blocking it.
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish within 30 s");
        }
        String output = out.join();
        assertThat(p.exitValue()).as("exit code of %s, output:\n%s", cmd, output).isZero();
        return output;
    }

    private static Optional<Path> onPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst();
    }
}
