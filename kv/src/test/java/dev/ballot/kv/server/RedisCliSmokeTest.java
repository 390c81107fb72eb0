package dev.ballot.kv.server;

import dev.ballot.kv.sm.KvLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real redis-cli against a RespServer; skipped (with the reason shown) when redis-cli is not installed. */
class RedisCliSmokeTest {

    private LocalKvService service;
    private RespServer server;

    @BeforeEach
    void setUp() {
        assumeTrue(redisCliOnPath(), "redis-cli is not on the PATH (install redis-tools to run this test)");
        service = new LocalKvService();
        server = RespServer.start(service, new ClientServerSettings("127.0.0.1", 0, KvLimits.DEFAULTS,
                4 * 1024 * 1024, 1024), new ConnectionLimit(10));
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
            service.close();
        }
    }

    @Test
    void commandsThroughRedisCli() throws Exception {
        assertThat(cli(null, "SET", "greeting", "hello world")).isEqualTo("OK");
        assertThat(cli(null, "GET", "greeting")).isEqualTo("hello world");
        assertThat(cli(null, "INCRBY", "n", "41")).isEqualTo("41");
        assertThat(cli(null, "INCR", "n")).isEqualTo("42");
        assertThat(cli(null, "CAS", "n", "42", "43")).isEqualTo("1");
        assertThat(cli(null, "MGET", "n", "missing")).isEqualTo("43\n");
        assertThat(cli(null, "PING")).isEqualTo("PONG");
        assertThat(cli(null, "INFO", "raft")).contains("role:leader");
        assertThat(cli(null, "NOSUCH")).startsWith("ERR unknown command 'NOSUCH'");
    }

    @Test
    void pipeMode() throws Exception {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            input.append("SET key:").append(i).append(" value:").append(i).append("\r\n");
        }
        String out = cli(input.toString(), "--pipe");
        assertThat(out).contains("errors: 0, replies: 200");
        assertThat(service.size()).isEqualTo(200);
        assertThat(cli(null, "GET", "key:199")).isEqualTo("value:199");
    }

    private String cli(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1",
                "-p", Integer.toString(server.address().getPort())));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    private static boolean redisCliOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, "redis-cli").canExecute()) {
                return true;
            }
        }
        return false;
    }
}
