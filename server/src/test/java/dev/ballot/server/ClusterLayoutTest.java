package dev.ballot.server;

import dev.ballot.kv.KvNodeConfig;
import dev.ballot.storage.Durability;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterLayoutTest {

    private final ClusterLayout three = new ClusterLayout(3, Path.of("base"), "127.0.0.1", 7101, 6401, 8401, false);

    @Test
    void nodesGetConsecutivePortsAndTheirOwnDirectories() {
        assertThat(three.nodes()).containsExactly(
                new ClusterLayout.Node(1, 7101, 6401, 8401, Path.of("base/1/data"), Path.of("base/1/node.log")),
                new ClusterLayout.Node(2, 7102, 6402, 8402, Path.of("base/2/data"), Path.of("base/2/node.log")),
                new ClusterLayout.Node(3, 7103, 6403, 8403, Path.of("base/3/data"), Path.of("base/3/node.log")));
        assertThat(three.peers()).isEqualTo("1=127.0.0.1:7101,2=127.0.0.1:7102,3=127.0.0.1:7103");
        assertThat(three.ports()).extracting(ClusterLayout.Port::port)
                .containsExactly(7101, 6401, 8401, 7102, 6402, 8402, 7103, 6403, 8403);
    }

    @Test
    void theChildCommandRunsThisCliAndParsesBackToTheNodesConfig() {
        ClusterLayout.Node second = three.nodes().get(1);
        List<String> cmd = three.command("/jdk/bin/java", "a.jar:lib/*", second);
        assertThat(cmd.get(0)).isEqualTo("/jdk/bin/java");
        int cp = cmd.indexOf("-cp");
        assertThat(cmd.get(cp + 1)).isEqualTo("a.jar:lib/*");
        assertThat(cmd.get(cp + 2)).isEqualTo(BallotCli.class.getName());
        assertThat(cmd.get(cp + 3)).isEqualTo("server");

        // Whatever the child gets must be a valid `server` command line describing this node.
        List<String> args = cmd.subList(cp + 3, cmd.size());
        AtomicReference<KvNodeConfig> started = new AtomicReference<>();
        CliRun r = CliRun.run(config -> {
            started.set(config);
            return new ImmediatelyClosedNode();
        }, pb -> {
            throw new AssertionError();
        }, args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        KvNodeConfig c = started.get();
        assertThat(c.raft().id()).isEqualTo(2);
        assertThat(c.peers().toString()).isEqualTo(three.peers());
        assertThat(c.raft().dataDir()).isEqualTo(second.dataDir());
        assertThat(c.redisPort()).isEqualTo(6402);
        assertThat(c.httpPort()).isEqualTo(8402);
        assertThat(c.clientHost()).isEqualTo("127.0.0.1");
        assertThat(c.raft().storage().durability()).isEqualTo(Durability.NONE);
    }

    @Test
    void fsyncIsTheDefaultForChildren() {
        ClusterLayout durable = new ClusterLayout(1, Path.of("b"), "127.0.0.1", 7101, 6401, 8401, true);
        assertThat(durable.command("java", "cp", durable.nodes().get(0))).doesNotContain("--no-fsync");
        assertThat(three.command("java", "cp", three.nodes().get(0))).contains("--no-fsync");
    }

    @Test
    void sizeAndPortBasesAreChecked() {
        assertThatThrownBy(() -> new ClusterLayout(0, Path.of("b"), "h", 7101, 6401, 8401, true))
                .hasMessageContaining("--nodes");
        assertThatThrownBy(() -> new ClusterLayout(10, Path.of("b"), "h", 7101, 6401, 8401, true))
                .hasMessageContaining("--nodes");
        assertThatThrownBy(() -> new ClusterLayout(5, Path.of("b"), "h", 7101, 65533, 8401, true))
                .hasMessageContaining("--redis-port-base");
    }

    private static final class ImmediatelyClosedNode implements NodeHandle {
        @Override
        public java.net.InetSocketAddress redisAddress() {
            return new java.net.InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public java.net.InetSocketAddress httpAddress() {
            return new java.net.InetSocketAddress("127.0.0.1", 2);
        }

        @Override
        public Throwable awaitClosed() {
            return null;
        }

        @Override
        public void close() {}
    }
}
