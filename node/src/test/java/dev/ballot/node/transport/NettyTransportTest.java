package dev.ballot.node.transport;

import dev.ballot.node.Peers;
import dev.ballot.node.wire.Hello;
import dev.ballot.node.wire.PeerFrameCodec;
import dev.ballot.raft.Entry;
import dev.ballot.raft.Message;
import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.AppendEntriesResponse;
import dev.ballot.raft.Message.Heartbeat;
import dev.ballot.raft.Message.HeartbeatResponse;
import dev.ballot.raft.Message.RequestVote;
import dev.ballot.raft.Message.RequestVoteResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.ballot.node.transport.TransportTestSupport.fastOptions;
import static dev.ballot.node.transport.TransportTestSupport.freePorts;
import static dev.ballot.node.transport.TransportTestSupport.loopbackPeers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** NettyTransport over real TCP on loopback. */
class NettyTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
    }

    private NettyTransport start(long id, Peers peers, RecordingInbound inbound, TransportOptions options) {
        NettyTransport t = new NettyTransport(id, peers, null, options);
        toClose.add(t);
        t.start(inbound);
        return t;
    }

    private NettyTransport start(long id, Peers peers, RecordingInbound inbound) {
        return start(id, peers, inbound, fastOptions());
    }

    private static void awaitConnected(NettyTransport t, long... peers) {
        await().atMost(WAIT).until(() -> {
            for (long p : peers) if (!t.isConnected(p)) return false;
            return true;
        });
    }

    private static PeerStats stats(NettyTransport t, long peer) {
        return t.peerStats().stream().filter(s -> s.peerId() == peer).findFirst().orElseThrow();
    }

    private static List<Message> everyType(long from, long to) {
        return List.of(
                new RequestVote(from, to, 3, 10, 2, false),
                new RequestVote(from, to, 4, 10, 2, true),
                new RequestVoteResponse(from, to, 3, true, false),
                new AppendEntries(from, to, 3, 9, 2,
                        List.of(Entry.noop(10, 3), Entry.command(11, 3, new byte[]{1, 2, 3})), 8),
                AppendEntriesResponse.accepted(from, to, 3, 11),
                AppendEntriesResponse.rejected(from, to, 3, 9, 2, 5),
                new Heartbeat(from, to, 3, 8, 5),
                new HeartbeatResponse(from, to, 3, 5));
    }

    /**
     * An ordinary message with a sequence number, for tests that need many. (Not a Heartbeat: its
     * fields are changing, and only {@link #everyType} should need an edit then.)
     */
    private static Message msg(long from, long to, long term, long seq) {
        return new RequestVote(from, to, term, seq, 0, false);
    }

    @Test
    void threeNodesExchangeEveryMessageTypeAndForwardFramesInOrder() {
        Peers peers = loopbackPeers(freePorts(3));
        RecordingInbound r1 = new RecordingInbound(), r2 = new RecordingInbound(), r3 = new RecordingInbound();
        NettyTransport t1 = start(1, peers, r1), t2 = start(2, peers, r2), t3 = start(3, peers, r3);
        awaitConnected(t1, 2, 3);
        awaitConnected(t2, 1, 3);
        awaitConnected(t3, 1, 2);

        List<Message> from1 = new ArrayList<>(everyType(1, 2));
        List<Message> from3 = new ArrayList<>(everyType(3, 2));
        for (int i = 0; i < 2000; i++) {
            from1.add(msg(1, 2, 5, i));
            from3.add(new RequestVoteResponse(3, 2, i + 1, true, false));
        }
        for (int i = 0; i < from1.size(); i++) {
            t1.send(from1.get(i));
            t3.send(from3.get(i));
            if (i == 100) t1.send(2, new Forward.Propose(7, new byte[]{9, 8}));
        }
        t1.send(2, new Forward.ReadIndex(8));
        t2.send(1, new Forward.Reply(7, Forward.Outcome.OK, 0, 0, new byte[]{4}));
        t2.send(3, new Forward.Reply(8, Forward.Outcome.NOT_LEADER, 1, 0, new byte[0]));
        t2.send(everyType(2, 1).get(0));

        await().atMost(WAIT).until(() -> r2.messages.size() == from1.size() + from3.size() && r2.forwards.size() == 2);
        assertThat(r2.from(1)).containsExactlyElementsOf(from1);
        assertThat(r2.from(3)).containsExactlyElementsOf(from3);
        assertThat(r2.forwards).extracting(RecordingInbound.ForwardFrom::from).containsExactly(1L, 1L);
        assertThat(r2.forwards.get(0).frame()).isInstanceOfSatisfying(Forward.Propose.class, p -> {
            assertThat(p.requestId()).isEqualTo(7);
            assertThat(p.command()).containsExactly(9, 8);
        });
        assertThat(r2.forwards.get(1).frame()).isEqualTo(new Forward.ReadIndex(8));

        await().atMost(WAIT).until(() -> r1.forwards.size() == 1 && r3.forwards.size() == 1 && r1.messages.size() == 1);
        assertThat(r1.forwards.get(0).from()).isEqualTo(2);
        assertThat(((Forward.Reply) r1.forwards.get(0).frame()).result()).containsExactly(4);
        assertThat(((Forward.Reply) r3.forwards.get(0).frame()).outcome()).isEqualTo(Forward.Outcome.NOT_LEADER);
        assertThat(r1.messages).containsExactly(everyType(2, 1).get(0));

        await().atMost(WAIT).until(() -> t1.sentCount() == from1.size() + 2);
        assertThat(t1.droppedCount()).isZero();
        assertThat(stats(t2, 1).received()).isEqualTo(from1.size() + 2);
        assertThat(stats(t2, 3).received()).isEqualTo(from3.size());
        assertThat(t2.receivedCount()).isEqualTo(from1.size() + from3.size() + 2);
    }

    @Test
    void sendsToADownPeerAreDroppedUntilTheBackoffLoopConnects() {
        int[] ports = freePorts(2);
        Peers peers = loopbackPeers(ports);
        RecordingInbound r1 = new RecordingInbound(), r2 = new RecordingInbound();
        NettyTransport t1 = start(1, peers, r1);

        for (int i = 0; i < 100; i++) t1.send(msg(1, 2, 1, i));
        t1.send(2, new Forward.ReadIndex(1));
        assertThat(t1.droppedCount()).isEqualTo(101);
        assertThat(stats(t1, 2).dropped()).isEqualTo(101);
        assertThat(t1.isConnected(2)).isFalse();

        start(2, peers, r2);
        awaitConnected(t1, 2);
        t1.send(msg(1, 2, 1, 500));
        await().atMost(WAIT).until(() -> r2.messages.size() == 1);
        assertThat(r2.messages).containsExactly(msg(1, 2, 1, 500));
    }

    @Test
    void reconnectsToAPeerThatRestartsOnTheSamePort() {
        Peers peers = loopbackPeers(freePorts(2));
        RecordingInbound r1 = new RecordingInbound(), r2 = new RecordingInbound(), r2b = new RecordingInbound();
        NettyTransport t1 = start(1, peers, r1);
        NettyTransport t2 = start(2, peers, r2);
        awaitConnected(t1, 2);
        t1.send(msg(1, 2, 1, 1));
        await().atMost(WAIT).until(() -> r2.messages.size() == 1);

        t2.close();
        await().atMost(WAIT).until(() -> !t1.isConnected(2));

        NettyTransport t2b = start(2, peers, r2b);
        awaitConnected(t1, 2);
        awaitConnected(t2b, 1);
        t1.send(msg(1, 2, 2, 2));
        t2b.send(new RequestVoteResponse(2, 1, 2, true, false));
        await().atMost(WAIT).until(() -> r2b.messages.size() == 1 && r1.messages.size() == 1);
        assertThat(r2b.messages).containsExactly(msg(1, 2, 2, 2));
        assertThat(r1.messages).containsExactly(new RequestVoteResponse(2, 1, 2, true, false));
    }

    @Test
    void concurrentSendersToOnePeerKeepEachThreadsOrderAndLoseNothingUnderTheLimits() throws Exception {
        Peers peers = loopbackPeers(freePorts(2));
        RecordingInbound r2 = new RecordingInbound();
        NettyTransport t1 = start(1, peers, new RecordingInbound());
        start(2, peers, r2);
        awaitConnected(t1, 2);

        int threads = 4, perThread = 2_000;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long term = t + 1; // the term tells the sending thread apart
            senders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) t1.send(msg(1, 2, term, i));
            }));
        }
        for (Thread t : senders) t.join();
        await().atMost(WAIT).until(() -> r2.messages.size() == threads * perThread);
        for (long term = 1; term <= threads; term++) {
            long expected = 0;
            for (Message m : r2.messages) {
                if (m.term() == term) assertThat(((RequestVote) m).lastLogIndex()).isEqualTo(expected++);
            }
            assertThat(expected).isEqualTo(perThread);
        }
        assertThat(t1.droppedCount()).isZero();
    }

    @Test
    void aPeerThatClosesEveryConnectionAtOnceIsRedialledWithGrowingDelays() throws Exception {
        int[] ports = freePorts(2);
        Peers peers = loopbackPeers(ports);
        List<Long> acceptedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket rude = new ServerSocket(ports[1], 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!rude.isClosed()) {
                    try (Socket s = rude.accept()) {
                        acceptedAt.add(System.nanoTime());
                    } catch (IOException closed) {
                        return; // the test closed the server socket
                    }
                }
            });
            start(1, peers, new RecordingInbound()); // backoff 10 ms doubling up to 200 ms
            await().atMost(WAIT).until(() -> acceptedAt.size() >= 6);
            rude.close();
            acceptor.join();
        }
        // Delays are drawn from [d/2, d] with d = 10, 20, 40, 80, 160 ms: the fifth is at least 80 ms.
        // (Resetting the backoff on every connect would redial every 5-10 ms.)
        long gapMillis = (acceptedAt.get(5) - acceptedAt.get(4)) / 1_000_000;
        assertThat(gapMillis).isGreaterThanOrEqualTo(70);
    }

    // ------------------------------------------------------------------ bad input from the network

    private static byte[] frame(Object f) {
        PeerFrameCodec codec = new PeerFrameCodec(1024 * 1024);
        ByteBuf buf = Unpooled.buffer();
        codec.writeFrame(f, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Writes {@code bytes} on a fresh connection to {@code port} and asserts the transport closes it. */
    private static void assertConnectionClosedAfter(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) WAIT.toMillis());
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            try {
                assertThat(in.read()).as("end of stream").isEqualTo(-1);
            } catch (SocketException reset) {
                assertThat(reset.getMessage()).contains("reset");
            }
        }
    }

    @Test
    void malformedInputClosesThatConnectionAndTheTransportKeepsServingPeers() throws Exception {
        int[] ports = freePorts(2);
        Peers peers = loopbackPeers(ports);
        RecordingInbound r1 = new RecordingInbound(), r2 = new RecordingInbound();
        NettyTransport t1 = start(1, peers, r1);
        NettyTransport t2 = start(2, peers, r2);
        awaitConnected(t2, 1);

        byte[] hello = frame(new Hello(2, 1));
        byte[] heartbeat = frame(msg(2, 1, 1, 1));
        // Garbage: the first four bytes read as a length far beyond the max frame size.
        assertConnectionClosedAfter(ports[0], "this is not a frame at all".getBytes());
        // Oversized length prefix.
        assertConnectionClosedAfter(ports[0], concat(hello, HexFormat.of().parseHex("7fffffff")));
        // A frame whose body is a truncated Heartbeat.
        byte[] truncated = HexFormat.of().parseHex("0000000a" + "0105" + "0000000000000002");
        assertConnectionClosedAfter(ports[0], concat(hello, truncated));
        // Unknown message type.
        assertConnectionClosedAfter(ports[0], concat(hello, HexFormat.of().parseHex("00000002" + "0139")));
        // A Raft message or a Forward before the Hello.
        assertConnectionClosedAfter(ports[0], heartbeat);
        assertConnectionClosedAfter(ports[0], frame(new Forward.ReadIndex(1)));
        // A Hello from a stranger, from the node itself, or meant for another node; a second Hello.
        assertConnectionClosedAfter(ports[0], frame(new Hello(9, 1)));
        assertConnectionClosedAfter(ports[0], frame(new Hello(1, 1)));
        assertConnectionClosedAfter(ports[0], frame(new Hello(2, 3)));
        assertConnectionClosedAfter(ports[0], concat(hello, hello));

        assertThat(r1.messages).isEmpty();
        assertThat(r1.forwards).isEmpty();
        t2.send(msg(2, 1, 1, 42));
        await().atMost(WAIT).until(() -> r1.messages.size() == 1);
        assertThat(r1.messages).containsExactly(msg(2, 1, 1, 42));
        assertThat(t1.isConnected(2)).isTrue();
    }

    @Test
    void messagesNotFromTheHelloPeerOrNotForThisNodeAreDroppedAndCounted() throws Exception {
        int[] ports = freePorts(3);
        Peers peers = loopbackPeers(ports);
        RecordingInbound r1 = new RecordingInbound();
        NettyTransport t1 = start(1, peers, r1);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ports[0])) {
            s.getOutputStream().write(concat(frame(new Hello(2, 1)),
                    frame(msg(2, 3, 1, 1)),   // for node 3
                    frame(msg(3, 1, 1, 2)),   // claims to be from 3 on 2's connection
                    frame(msg(2, 1, 1, 3)))); // fine
            s.getOutputStream().flush();
            await().atMost(WAIT).until(() -> r1.messages.size() == 1);
        }
        assertThat(r1.messages).containsExactly(msg(2, 1, 1, 3));
        assertThat(t1.misaddressedCount()).isEqualTo(2);
        assertThat(t1.droppedCount()).isEqualTo(2);
        assertThat(stats(t1, 2).received()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ back-pressure

    @Test
    void aPeerThatNeverReadsCostsBoundedMemoryAndLaterSendsAreDropped() throws Exception {
        int[] ports = freePorts(2);
        Peers peers = loopbackPeers(ports);
        long maxPendingBytes = 256 * 1024;
        TransportOptions options = fastOptions().withMaxFrameSize(64 * 1024).withMaxPending(maxPendingBytes, 100_000);
        // The kernel completes the handshake from the listen backlog; nobody ever reads.
        try (ServerSocket silent = new ServerSocket(ports[1], 50, InetAddress.getLoopbackAddress())) {
            NettyTransport t1 = start(1, peers, new RecordingInbound(), options);
            awaitConnected(t1, 2);

            byte[] data = new byte[8 * 1024];
            int total = 5_000; // 40 MiB: far more than socket buffers hold
            for (int i = 0; i < total; i++) {
                t1.send(new AppendEntries(1, 2, 1, i, 1, List.of(Entry.command(i + 1, 1, data)), 0));
                assertThat(stats(t1, 2).pendingBytes()).isLessThanOrEqualTo(maxPendingBytes);
            }
            assertThat(t1.droppedCount()).isPositive();
            await().atMost(WAIT).untilAsserted(() -> {
                PeerStats s = stats(t1, 2);
                assertThat(s.sent() + s.dropped() + s.pendingMessages()).isEqualTo(total);
            });
            PeerStats s = stats(t1, 2);
            assertThat(s.pendingBytes()).isLessThanOrEqualTo(maxPendingBytes);
            assertThat(s.sent()).isLessThan(total / 2);
            assertThat(s.connected()).isTrue();
        }
    }

    // ------------------------------------------------------------------ fault injection

    @Test
    void linkFilterIsolatesANodeInBothDirectionsAndHeals() {
        Peers peers = loopbackPeers(freePorts(3));
        RecordingInbound r1 = new RecordingInbound(), r2 = new RecordingInbound(), r3 = new RecordingInbound();
        NettyTransport t1 = start(1, peers, r1), t2 = start(2, peers, r2), t3 = start(3, peers, r3);
        awaitConnected(t1, 2, 3);
        awaitConnected(t2, 1, 3);
        awaitConnected(t3, 1, 2);

        t1.setLinkFilter(peer -> false);
        t1.send(msg(1, 2, 1, 1));
        t1.send(3, new Forward.ReadIndex(1));
        assertThat(stats(t1, 2).dropped()).isEqualTo(1);
        assertThat(stats(t1, 3).dropped()).isEqualTo(1);
        t2.send(msg(2, 1, 1, 2));
        t2.send(msg(2, 3, 1, 3));
        await().atMost(WAIT).until(() -> stats(t1, 2).dropped() == 2 && r3.messages.size() == 1);
        assertThat(r1.messages).isEmpty();
        assertThat(r2.messages).isEmpty();
        assertThat(r3.forwards).isEmpty();
        assertThat(r3.messages).containsExactly(msg(2, 3, 1, 3));

        t1.setLinkFilter(peer -> peer != 2); // cut only 1-2
        t1.send(msg(1, 3, 1, 4));
        await().atMost(WAIT).until(() -> r3.messages.size() == 2);

        t1.setLinkFilter(null);
        t1.send(msg(1, 2, 1, 5));
        t2.send(msg(2, 1, 1, 6));
        await().atMost(WAIT).until(() -> r1.messages.size() == 1 && r2.messages.size() == 1);
        assertThat(r1.messages).containsExactly(msg(2, 1, 1, 6));
        assertThat(r2.messages).containsExactly(msg(1, 2, 1, 5));
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    void closeIsIdempotentAndReleasesThePort() {
        Peers peers = loopbackPeers(freePorts(2));
        NettyTransport t1 = start(1, peers, new RecordingInbound());
        assertThatThrownBy(() -> start(1, peers, new RecordingInbound()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot listen for peers on 127.0.0.1:" + peers.address(1).port());

        t1.close();
        t1.close();
        t1.send(msg(1, 2, 1, 1)); // neither throws nor blocks
        assertThat(t1.droppedCount()).isEqualTo(1);
        assertThatThrownBy(() -> t1.start(new RecordingInbound())).isInstanceOf(IllegalStateException.class);

        NettyTransport again = start(1, peers, new RecordingInbound());
        assertThat(again.localAddress().getPort()).isEqualTo(peers.address(1).port());
    }

    @Test
    void sendingToANonMemberIsABug() {
        Peers peers = loopbackPeers(freePorts(2));
        NettyTransport t1 = start(1, peers, new RecordingInbound());
        assertThatThrownBy(() -> t1.send(msg(1, 9, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 9 is not a peer of node 1");
        assertThatThrownBy(() -> t1.send(1, new Forward.ReadIndex(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 1 is not a peer of node 1");
        assertThatThrownBy(() -> new NettyTransport(5, peers, null, fastOptions()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 5 is not a member");
    }
}
