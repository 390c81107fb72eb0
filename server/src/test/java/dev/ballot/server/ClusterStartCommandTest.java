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
