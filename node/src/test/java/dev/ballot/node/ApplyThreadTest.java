package dev.ballot.node;

import dev.ballot.raft.Role;
import dev.ballot.storage.Durability;
import dev.ballot.storage.StorageOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Where committed entries are applied: on the node loop (default) or on a thread of their own. */
class ApplyThreadTest {

    @TempDir
    Path dir;

    /** Records the thread of every apply, and answers with the command. */
    private static class ThreadRecorder implements StateMachine {
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile int count;

        @Override public byte[] apply(long index, byte[] command) {
            threads.add(Thread.currentThread().getName());
            count++;
            return command;
        }

        @Override public void writeSnapshot(OutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override public void restoreSnapshot(InputStream in) {
            throw new UnsupportedOperationException();
        }
    }

    private RaftServer start(boolean ownThread, StateMachine sm) {
        RaftServerConfig config = RaftServerConfig.of(1, List.of(1L), dir.resolve(ownThread ? "own" : "inline"))
                .withStorage(StorageOptions.DEFAULTS.withDurability(Durability.NONE))
                .withTickInterval(Duration.ofMillis(10))
                .withApplyOnOwnThread(ownThread);
        RaftServer server = RaftServer.start(config, sm, new LocalNetwork().transport(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.status().role() == Role.LEADER);
        return server;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void byDefaultEntriesAreAppliedOnTheNodeLoop() throws Exception {
        ThreadRecorder sm = new ThreadRecorder();
        RaftServer server = start(false, sm);
        try {
            assertThat(server.propose(b("x")).get(5, TimeUnit.SECONDS)).isEqualTo(b("x"));
            assertThat(sm.threads).isNotEmpty().allMatch(t -> t.startsWith("ballot-node-1"));
        } finally {
            server.close();
        }
    }

    @Test
    void withAnApplyThreadEntriesAndReadsRunOnItAndWritesStillGetTheirResultsInOrder() throws Exception {
        ThreadRecorder sm = new ThreadRecorder();
        RaftServer server = start(true, sm);
        try {
            var first = server.propose(b("a"));
            var second = server.propose(b("b"));
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(b("a"));
            assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(b("b"));
            String readThread = server.read(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
            assertThat(readThread).isEqualTo("ballot-apply-1");
            assertThat(server.read(() -> sm.count).get(5, TimeUnit.SECONDS)).isEqualTo(sm.count).isGreaterThanOrEqualTo(2);
            assertThat(sm.threads).isNotEmpty().allMatch(t -> t.equals("ballot-apply-1"));
            assertThat(server.status().appliedIndex()).isGreaterThanOrEqualTo(3); // the no-op and both writes
        } finally {
            server.close();
        }
    }

    @Test
    void aFailingStateMachineOnItsOwnThreadStopsTheNode() throws Exception {
        StateMachine broken = new ThreadRecorder() {
            @Override public byte[] apply(long index, byte[] command) {
                throw new IllegalStateException("boom at " + index);
            }
        };
        RaftServer server = start(true, broken);
        try {
            server.propose(b("x"));
            assertThat(server.terminated()).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause().withMessageContaining("boom at");
        } finally {
            server.close();
        }
    }
}
