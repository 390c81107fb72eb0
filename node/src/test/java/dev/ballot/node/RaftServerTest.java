package dev.ballot.node;

import dev.ballot.raft.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RaftServerTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static RequestFailure failureOf(CompletableFuture<?> f) {
        assertThat(f).failsWithin(Duration.ofSeconds(10));
        try {
            f.join();
        } catch (RuntimeException e) {
            return RaftServer.unwrap(e);
        }
        throw new AssertionError("future did not fail");
    }

    @Test
    void proposeOnLeaderIsAppliedEverywhereAndReturnsTheResult() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3)) {
            RaftServer leader = c.awaitLeader();
            byte[] result = leader.propose(b("x=1")).get(5, TimeUnit.SECONDS);
            // index 1 is the leader's no-op, so the first command lands at 2 or later
            assertThat(s(result)).endsWith(":x=1");
            await().untilAsserted(() -> c.machines.values()
                    .forEach(m -> assertThat(m.applied()).containsExactly("x=1")));
        }
    }

    @Test
    void aFollowerForwardsWritesAndReadsToTheLeader() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3)) {
            RaftServer follower = c.follower();
            assertThat(s(follower.propose(b("a")).get(5, TimeUnit.SECONDS))).endsWith(":a");
            // A linearizable read on the follower sees the write it just acknowledged.
            RecordingStateMachine sm = c.machines.get(follower.id());
            List<String> seen = follower.read(sm::applied).get(5, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("a");
        }
    }

    @Test
    void concurrentWritesFromEveryNodeAreAppliedInOneOrderEverywhere() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3)) {
            c.awaitLeader();
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                RaftServer s = c.servers.get((long) (i % 3) + 1);
                futures.add(s.propose(b("w" + i)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            List<String> reference = c.machines.get(1L).applied();
            await().untilAsserted(() -> c.machines.values().forEach(m -> assertThat(m.applied()).hasSize(300)));
            reference = c.machines.get(1L).applied();
            for (RecordingStateMachine m : c.machines.values()) assertThat(m.applied()).isEqualTo(reference);
            // Every result names the command it answers, so no result went to the wrong request.
            for (int i = 0; i < 300; i++) assertThat(s(futures.get(i).join())).endsWith(":w" + i);
        }
    }

    @Test
    void readsOnEveryNodeSeeEveryAcknowledgedWrite() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3)) {
            c.awaitLeader();
            for (int i = 0; i < 20; i++) {
                RaftServer writer = c.servers.get((long) (i % 3) + 1);
                writer.propose(b("v" + i)).get(5, TimeUnit.SECONDS);
                for (RaftServer reader : c.servers.values()) {
                    RecordingStateMachine sm = c.machines.get(reader.id());
                    assertThat(reader.read(sm::applied).get(5, TimeUnit.SECONDS)).contains("v" + i);
                }
            }
        }
    }

    @Test
    void anIsolatedLeaderCannotCommitAndTheMajorityElectsANewOne() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, Duration.ofMillis(1500), 10_000)) {
            RaftServer old = c.awaitLeader();
            old.propose(b("before")).get(5, TimeUnit.SECONDS);
            c.network.isolate(old.id(), c.ids);

            CompletableFuture<byte[]> stranded = old.propose(b("stranded"));
            RequestFailure f = failureOf(stranded);
            // It was appended to the old leader's log, so the server must not claim it failed.
            assertThat(f.kind()).isEqualTo(RequestFailure.Kind.UNKNOWN_OUTCOME);
            assertThat(f.retryable()).isFalse();

            RaftServer fresh = await().atMost(Duration.ofSeconds(10)).until(() -> c.servers.values().stream()
                    .filter(s -> s != old && s.status().role() == Role.LEADER).findFirst().orElse(null), s -> s != null);
            assertThat(s(fresh.propose(b("after")).get(5, TimeUnit.SECONDS))).endsWith(":after");

            c.network.heal();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> c.machines.values().forEach(m ->
                    assertThat(m.applied()).containsExactly("before", "after")));
        }
    }

    @Test
    void aReadOnAnIsolatedLeaderIsNeverServedFromStaleState() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, Duration.ofMillis(1500), 10_000)) {
            RaftServer old = c.awaitLeader();
            old.propose(b("x")).get(5, TimeUnit.SECONDS);
            c.network.isolate(old.id(), c.ids);
            RequestFailure f = failureOf(old.read(() -> "stale"));
            assertThat(f.kind()).isEqualTo(RequestFailure.Kind.TIMEOUT);
            assertThat(f.retryable()).isTrue();
        }
    }

    @Test
    void aWriteForwardedToALeaderThatIsThenDeposedReportsAnUnknownOutcomeWithoutWaitingForTheTimeout()
            throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, Duration.ofSeconds(60), 10_000)) {
            RaftServer leader = c.awaitLeader();
            RaftServer follower = c.follower();
            // The leader still hears the follower but can no longer answer anyone: it receives the
            // forwarded write, may append it, and the others elect a new leader in a higher term.
            c.network.silence(leader.id(), c.ids);
            long start = System.nanoTime();
            RequestFailure f = failureOf(follower.propose(b("forwarded")));
            assertThat(f.kind()).isEqualTo(RequestFailure.Kind.UNKNOWN_OUTCOME);
            assertThat(f.getMessage()).contains("lost its leadership");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void withoutAMajorityAWriteWaitsThenFailsAsRetryable() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, Duration.ofMillis(1500), 10_000)) {
            RaftServer leader = c.awaitLeader();
            long survivor = c.ids.stream().filter(id -> id != leader.id()).findFirst().orElseThrow();
            for (long id : c.ids) if (id != survivor) c.stop(id);
            RaftServer alone = c.servers.get(survivor);
            await().atMost(Duration.ofSeconds(5)).until(() -> alone.status().leaderId() == 0);
            RequestFailure f = failureOf(alone.propose(b("nobody")));
            assertThat(f.kind()).isEqualTo(RequestFailure.Kind.NO_LEADER);
            assertThat(f.retryable()).isTrue();
        }
    }

    @Test
    void aRestartedNodeRecoversItsLogAndCatchesUp() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3)) {
            RaftServer follower = c.follower();
            long id = follower.id();
            c.servers.values().iterator().next().propose(b("one")).get(5, TimeUnit.SECONDS);
            c.stop(id);
            RaftServer leader = c.awaitLeader();
            leader.propose(b("two")).get(5, TimeUnit.SECONDS);
            RaftServer back = c.start(id);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(c.machines.get(id).applied()).containsExactly("one", "two"));
            assertThat(back.status().appliedIndex()).isEqualTo(leader.status().appliedIndex());
        }
    }

    @Test
    void tooManyPendingRequestsAreRefusedAsBusyWithoutBeingProposed() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, Duration.ofMillis(800), 2)) {
            RaftServer leader = c.awaitLeader();
            c.network.isolate(leader.id(), c.ids); // nothing commits, so requests stay pending
            CompletableFuture<byte[]> a = leader.propose(b("a"));
            CompletableFuture<byte[]> bb = leader.propose(b("b"));
            RequestFailure busy = failureOf(leader.propose(b("c")));
            assertThat(busy.kind()).isEqualTo(RequestFailure.Kind.BUSY);
            assertThat(busy.retryable()).isTrue();
            failureOf(a);
            failureOf(bb);
        }
    }

    @Test
    void closeFailsPendingRequestsAndRefusesNewOnes() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, Duration.ofSeconds(30), 10_000)) {
            RaftServer leader = c.awaitLeader();
            c.network.isolate(leader.id(), c.ids);
            long before = leader.status().lastLogIndex();
            CompletableFuture<byte[]> pending = leader.propose(b("in flight"));
            // Once the write is in the leader's log it has been proposed; only then is its outcome unknown.
            await().until(() -> leader.status().lastLogIndex() > before);
            CompletableFuture<String> read = leader.read(() -> "r");
            c.stop(leader.id());
            assertThat(failureOf(pending).kind()).isEqualTo(RequestFailure.Kind.UNKNOWN_OUTCOME);
            assertThat(failureOf(read).kind()).isEqualTo(RequestFailure.Kind.SHUTDOWN);
            assertThat(failureOf(leader.propose(b("late"))).kind()).isEqualTo(RequestFailure.Kind.SHUTDOWN);
            assertThat(leader.terminated()).isCompleted();
        }
    }

    @Test
    void aStateMachineThatThrowsStopsTheNodeAndTerminatedReportsWhy() throws Exception {
        StateMachine broken = new StateMachine() {
            @Override public byte[] apply(long index, byte[] command) {
                throw new IllegalStateException("boom at " + index);
            }

            @Override public void writeSnapshot(java.io.OutputStream out) {
                throw new UnsupportedOperationException();
            }

            @Override public void restoreSnapshot(java.io.InputStream in) {
                throw new UnsupportedOperationException();
            }
        };
        LocalNetwork network = new LocalNetwork();
        RaftServerConfig config = RaftServerConfig.of(1, List.of(1L), dir.resolve("broken"))
                .withTickInterval(Duration.ofMillis(10));
        RaftServer server = RaftServer.start(config, broken, network.transport(1));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.status().role() == Role.LEADER);
            CompletableFuture<byte[]> write = server.propose(b("x"));
            assertThat(server.terminated()).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause().withMessageContaining("boom at");
            // The write was proposed and may or may not be in the log of a surviving replica.
            assertThat(failureOf(write).kind()).isEqualTo(RequestFailure.Kind.UNKNOWN_OUTCOME);
            assertThat(failureOf(server.propose(b("late"))).kind()).isEqualTo(RequestFailure.Kind.SHUTDOWN);
        } finally {
            server.close();
        }
    }

    @Test
    void logShowsEntriesWithCommittedFlags() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3)) {
            RaftServer leader = c.awaitLeader();
            leader.propose(b("p")).get(5, TimeUnit.SECONDS);
            List<LogEntryView> entries = leader.log(1, 100);
            assertThat(entries).isNotEmpty();
            assertThat(entries.getFirst().index()).isEqualTo(1);
            assertThat(entries).anySatisfy(e -> {
                assertThat(s(e.data())).isEqualTo("p");
                assertThat(e.committed()).isTrue();
            });
            assertThat(leader.log(1, 1)).hasSize(1);
            assertThat(leader.log(1_000_000, 10)).isEmpty();
            assertThatThrownBy(() -> leader.log(1, -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aSingleNodeClusterServesWritesAndReads() throws Exception {
        try (TestCluster c = new TestCluster(dir, 1)) {
            RaftServer only = c.awaitLeader();
            assertThat(s(only.propose(b("solo")).get(5, TimeUnit.SECONDS))).endsWith(":solo");
            assertThat(only.read(() -> c.machines.get(1L).applied()).get(5, TimeUnit.SECONDS)).containsExactly("solo");
            assertThat(only.isReady()).isTrue();
        }
    }
}
