package dev.ballot.node;

import dev.ballot.node.transport.Forward;
import dev.ballot.raft.Message;
import dev.ballot.storage.Durability;
import dev.ballot.storage.StorageOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The follower's side of forwarding, with the leaders played by the test (node 2 of {1, 2, 3} is
 * the node under test): the interleavings that broke a connection's order or completed the
 * wrong request, staged exactly.
 */
class ForwardingTest {

    @TempDir
    Path dir;

    private RaftServer server;
    private ScriptedPeers peers;

    /** Ticks so slow that the node never campaigns during a test: the test decides who leads. */
    private RaftServer start() {
        peers = new ScriptedPeers();
        RaftServerConfig config = RaftServerConfig.of(2, List.of(1L, 2L, 3L), dir.resolve("n2"))
                .withStorage(StorageOptions.DEFAULTS.withDurability(Durability.NONE))
                .withTickInterval(Duration.ofSeconds(30));
        server = RaftServer.start(config, new RecordingStateMachine(), peers);
        return server;
    }

    @AfterEach
    void close() {
        if (server != null) server.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Makes {@code leader} the leader of {@code term} as far as node 2 knows. */
    private void leads(long leader, long term) {
        peers.deliver(new Message.Heartbeat(leader, 2, term, 0, 0));
        assertThat(server.status().leaderId()).isEqualTo(leader);
    }

    /** Proposes on the node loop, as a client connection's handler does. */
    private CompletableFuture<byte[]> propose(String command, ClientSession session) {
        CompletableFuture<CompletableFuture<byte[]>> f = new CompletableFuture<>();
        server.loop().execute(() -> f.complete(server.propose(b(command), session)));
        CompletableFuture<byte[]> write = f.join();
        peers.sync();
        return write;
    }

    private static RequestFailure failure(CompletableFuture<?> f) {
        return (RequestFailure) catchThrowableOfType(ExecutionException.class, () -> f.get()).getCause();
    }

    @Test
    void aRefusedWriteIsNotSentAgainOnceALaterWriteOfTheSameConnectionIsOnItsWay() throws Exception {
        start();
        leads(1, 1);
        ClientSession session = openSession();
        CompletableFuture<byte[]> first = propose("SET k 1", session);
        CompletableFuture<byte[]> second = propose("SET k 2", session);
        ScriptedPeers.Sent one = peers.nextForward();
        ScriptedPeers.Sent two = peers.nextForward();
        assertThat(((Forward.Propose) one.frame()).command()).isEqualTo(b("SET k 1"));
        assertThat(((Forward.Propose) two.frame()).command()).isEqualTo(b("SET k 2"));
        // Node 1 lost its leadership when the first write came and refused it; by the time the second
        // came it may have won again and proposed it. Sending the first again would apply it after.
        peers.reply(1, new Forward.Reply(one.frame().requestId(), Forward.Outcome.NOT_LEADER, 0, 0, new byte[0]));
        RequestFailure f = failure(first);
        assertThat(f.kind()).isEqualTo(RequestFailure.Kind.NOT_LEADER);
        assertThat(f.retryable()).as("it had no effect").isTrue();
        tick();
        assertThat(peers.forwardWithin(Duration.ofMillis(200))).as("nothing is re-sent").isNull();
        peers.reply(1, new Forward.Reply(two.frame().requestId(), Forward.Outcome.OK, 1, 0, b("OK")));
        assertThat(second.get()).isEqualTo(b("OK"));
    }

    @Test
    void aRefusedWriteWithNothingLaterSentIsSentAgainFirstAndKeepsItsPlace() throws Exception {
        start();
        leads(1, 1);
        ClientSession session = openSession();
        CompletableFuture<byte[]> first = propose("SET k 1", session);
        ScriptedPeers.Sent toOld = peers.nextForward();
        // Node 1 refuses it (not proposed) before this node hears of the new leader.
        peers.reply(1, new Forward.Reply(toOld.frame().requestId(), Forward.Outcome.NOT_LEADER, 0, 0, new byte[0]));
        leads(3, 2);
        CompletableFuture<byte[]> second = propose("SET k 2", session);
        // The refused write waits for the next tick; the later one waits behind it, not ahead of it.
        assertThat(peers.forwardWithin(Duration.ofMillis(200))).isNull();
        tick(); // ticks are 30 s apart: run one by hand
        ScriptedPeers.Sent again = peers.nextForward();
        ScriptedPeers.Sent then = peers.nextForward();
        assertThat(again.to()).isEqualTo(3);
        assertThat(((Forward.Propose) again.frame()).command()).isEqualTo(b("SET k 1"));
        assertThat(((Forward.Propose) then.frame()).command()).isEqualTo(b("SET k 2"));
        peers.reply(3, new Forward.Reply(again.frame().requestId(), Forward.Outcome.OK, 3, 0, b("OK")));
        peers.reply(3, new Forward.Reply(then.frame().requestId(), Forward.Outcome.OK, 3, 0, b("OK")));
        assertThat(first.get()).isEqualTo(b("OK"));
        assertThat(second.get()).isEqualTo(b("OK"));
    }

    @Test
    void aReplyFromAnotherNodeThanTheOneAskedDoesNotCompleteTheRequest() throws Exception {
        start();
        leads(1, 1);
        CompletableFuture<byte[]> write = propose("SET k 1", null);
        ScriptedPeers.Sent sent = peers.nextForward();
        peers.reply(3, new Forward.Reply(sent.frame().requestId(), Forward.Outcome.OK, 3, 0, b("forged")));
        assertThat(write).isNotDone();
        peers.reply(1, new Forward.Reply(sent.frame().requestId(), Forward.Outcome.OK, 1, 0, b("OK")));
        assertThat(write.get()).isEqualTo(b("OK"));
    }

    @Test
    void aLateReplyToARequestFromBeforeARestartDoesNotCompleteANewRequest() throws Exception {
        start();
        leads(1, 1);
        propose("SET k old", null);
        ScriptedPeers.Sent beforeRestart = peers.nextForward();
        server.close();

        start();
        leads(1, 2);
        CompletableFuture<byte[]> write = propose("SET k new", null);
        ScriptedPeers.Sent afterRestart = peers.nextForward();
        assertThat(afterRestart.frame().requestId()).isNotEqualTo(beforeRestart.frame().requestId());
        // The leader answers the request it got before the restart: that answer is not for this write.
        peers.reply(1, new Forward.Reply(beforeRestart.frame().requestId(), Forward.Outcome.OK, 1, 0, b("OK")));
        assertThat(write).isNotDone();
    }

    private ClientSession openSession() {
        return server.openSession();
    }

    /** Runs one tick of the node loop now (the configured ticks are 30 s apart). */
    private void tick() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        server.loop().execute(() -> {
            server.tick();
            done.complete(null);
        });
        done.join();
        peers.sync();
    }
}
