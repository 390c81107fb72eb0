package dev.ballot.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterStartCommandTest {

    @Test
    void aPortInUseStopsTheStartBeforeAnythingIsSpawned(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            // CliRun.run fails the test if a process is started.
            CliRun r = CliRun.run("cluster", "start", "--nodes", "1", "--base-dir", dir.resolve("c").toString(),
                    "--http-port-base", Integer.toString(port));
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("port " + port + " (node 1 HTTP) is already in use")
                    .contains("--http-port-base");
            assertThat(Files.exists(dir.resolve("c"))).as("no directory created").isFalse();
        }
    }

    @Test
    void eachNodeGetsARestartScriptWithItsExactCommandLine(@TempDir Path dir) throws IOException {
        java.util.List<java.util.List<String>> spawned = new java.util.ArrayList<>();
        // Children that exit at once: the supervisor then reports the dead node and gives up.
        CliRun r = CliRun.run(config -> {
            throw new AssertionError("cluster start must not start a node in this JVM");
        }, pb -> {
            spawned.add(pb.command());
            return new ProcessBuilder("true").start();
        }, "cluster", "start", "--nodes", "2", "--base-dir", dir.resolve("c").toString(),
                "--peer-port-base", "17101", "--redis-port-base", "16401", "--http-port-base", "18401");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(spawned).hasSize(2);
        for (int id = 1; id <= 2; id++) {
            Path script = dir.resolve("c").resolve(Integer.toString(id)).resolve("restart.sh");
            assertThat(script).isExecutable();
            String text = Files.readString(script);
            for (String arg : spawned.get(id - 1)) assertThat(text).contains("'" + arg + "'");
            assertThat(text).contains("'--id' '" + id + "'").contains("node.log");
        }
    }

    @Test
    void portCheckFindsOnlyTheTakenPorts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int free;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                free = probe.getLocalPort();
            }
            var ports = java.util.List.of(new ClusterLayout.Port(taken.getLocalPort(), "a", "--x"),
                    new ClusterLayout.Port(free, "b", "--y"));
            assertThat(PortCheck.busy("127.0.0.1", ports)).extracting(ClusterLayout.Port::purpose).containsExactly("a");
        }
    }

    @Test
    void tooManyNodesIsAUsageError() {
        CliRun r = CliRun.run("cluster", "start", "--nodes", "12");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--nodes must be 1..9");
    }

    @Test
    void clusterWithoutASubcommandIsAUsageError() {
        CliRun r = CliRun.run("cluster");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("cluster start");
    }
}
