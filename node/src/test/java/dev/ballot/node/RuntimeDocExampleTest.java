package dev.ballot.node;

import dev.ballot.node.transport.NettyTransport;
import dev.ballot.node.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** The example of docs/runtime.md, compiled and run (one node, so it needs no other machine). */
class RuntimeDocExampleTest {

    /** A replicated counter: commands are decimal increments, results the new total. */
    static final class Counter implements StateMachine {
        private long total;

        @Override public byte[] apply(long index, byte[] command) {
            total += Long.parseLong(new String(command, UTF_8));
            return Long.toString(total).getBytes(UTF_8);
        }

        long total() { return total; }      // read it through server.read(...) only

        @Override public void writeSnapshot(OutputStream out) throws IOException {
            new DataOutputStream(out).writeLong(total);
        }

        @Override public void restoreSnapshot(InputStream in) throws IOException {
            total = new DataInputStream(in).readLong();
        }
    }

    @Test
    void theDocumentedExampleReplicatesAndReads(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Peers peers = Peers.parse("--peers", "1=127.0.0.1:" + port);
        Counter counter = new Counter();
        RaftServer server = RaftServer.start(
                RaftServerConfig.of(1, List.copyOf(peers.ids()), dir.resolve("data/1")),
                counter,
                new NettyTransport(1, peers, null, TransportOptions.defaults()));
        try {
            byte[] total = server.propose("5".getBytes(UTF_8)).get();  // replicated, applied, answered
            long now = server.read(counter::total).get();               // linearizable, no log write
            assertThat(new String(total, UTF_8)).isEqualTo("5");
            assertThat(now).isEqualTo(5);
        } finally {
            server.close();
        }
    }
}
