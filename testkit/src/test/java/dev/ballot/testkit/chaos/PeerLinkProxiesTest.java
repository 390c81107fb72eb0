package dev.ballot.testkit.chaos;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link PeerLinkProxies} in front of fake framed servers, driven with plain sockets. */
class PeerLinkProxiesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
    }

    private <T extends AutoCloseable> T track(T c) {
        toClose.add(c);
        return c;
    }

    /** Nodes 1 and 2; node 2's peer port is {@code target}, node 1's a server nobody dials in these tests. */
    private PeerLinkProxies proxiesTo(FramedTestServer target) {
        FramedTestServer unused = track(new FramedTestServer(false));
        return track(new PeerLinkProxies(Map.of(1L, unused.address(), 2L, target.address()), 42));
    }

    private Socket dial(PeerLinkProxies proxies, long from, long to) throws IOException {
        Socket s = track(new Socket(InetAddress.getLoopbackAddress(), proxies.port(from, to)));
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return body;
    }

    @Test
    void framesPassIntactBothWaysWhateverTheirSizeAndHowTheyAreWritten() throws Exception {
        FramedTestServer echo = track(new FramedTestServer(true));
        PeerLinkProxies proxies = proxiesTo(echo);
        Socket s = dial(proxies, 1, 2);
        Random random = new Random(7);
        List<byte[]> bodies = List.of(new byte[0], new byte[1], new byte[100_000], new byte[3 << 20], new byte[17]);
        bodies.forEach(random::nextBytes);

        OutputStream out = s.getOutputStream();
        byte[] all = bodies.stream().map(FramedTestServer::frame).reduce(new byte[0], PeerLinkProxiesTest::concat);
        // Dribbled in odd pieces, so frames and even length prefixes arrive split across reads.
        Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < all.length; i += 7_001) out.write(all, i, Math.min(7_001, all.length - i));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });

        DataInputStream in = new DataInputStream(s.getInputStream());
        for (byte[] body : bodies) assertThat(readFrame(in)).isEqualTo(body);
        assertThat(echo.received()).extracting(FramedTestServer.Received::body)
                .usingElementComparator(Arrays::compare).containsExactlyElementsOf(bodies);
        assertThat(proxies.openConnections(1, 2)).isEqualTo(1);
    }

    @Test
    void lossOneDropsEveryFrameButTheHelloAndLossZeroDropsNone() throws Exception {
        FramedTestServer target = track(new FramedTestServer(false));
        PeerLinkProxies proxies = proxiesTo(target);
        proxies.setLoss(1.0);
        OutputStream out = dial(proxies, 1, 2).getOutputStream();
        out.write(FramedTestServer.frame("hello"));
        for (int i = 0; i < 50; i++) out.write(FramedTestServer.frame("lost " + i));
        await().atMost(WAIT).until(proxies::droppedFrames, n -> n == 50);

        proxies.setLoss(0);
        for (int i = 0; i < 200; i++) out.write(FramedTestServer.frame("kept " + i));
        await().atMost(WAIT).until(() -> target.received().size() == 201);

        assertThat(target.receivedText()).containsExactlyElementsOf(IntStream.range(-1, 200)
                .mapToObj(i -> i < 0 ? "hello" : "kept " + i).toList());
        assertThat(proxies.droppedFrames()).isEqualTo(50);
    }

    @Test
    void partialLossDropsAboutThatShareAndKeepsTheOrderOfTheRest() throws Exception {
        FramedTestServer target = track(new FramedTestServer(false));
        PeerLinkProxies proxies = proxiesTo(target);
        proxies.setLoss(0.3);
        OutputStream out = dial(proxies, 1, 2).getOutputStream();
        int frames = 2_000;
        for (int i = 0; i < frames; i++) out.write(FramedTestServer.frame(Integer.toString(i)));
        await().atMost(WAIT).until(() -> target.received().size() + proxies.droppedFrames() == frames);

        assertThat(proxies.droppedFrames()).isBetween(500L, 700L);
        List<Integer> arrived = target.receivedText().stream().map(Integer::parseInt).toList();
        assertThat(arrived).isSorted().doesNotHaveDuplicates().startsWith(0); // frame 0 stands for the Hello
    }

    @Test
    void delayHoldsEveryFrameAtLeastTheMinimumAndKeepsTheOrder() throws Exception {
        FramedTestServer target = track(new FramedTestServer(false));
        PeerLinkProxies proxies = proxiesTo(target);
        proxies.setDelay(Duration.ofMillis(40), Duration.ofMillis(120));
        OutputStream out = dial(proxies, 1, 2).getOutputStream();
        int frames = 30;
        long[] sentAt = new long[frames];
        for (int i = 0; i < frames; i++) {
            sentAt[i] = System.nanoTime();
            out.write(FramedTestServer.frame(Integer.toString(i)));
        }
        await().atMost(WAIT).until(() -> target.received().size() == frames);

        List<FramedTestServer.Received> received = target.received();
        for (int i = 0; i < frames; i++) {
            assertThat(new String(received.get(i).body())).isEqualTo(Integer.toString(i));
            assertThat(Duration.ofNanos(received.get(i).atNanos() - sentAt[i])).as("frame %d held", i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(40));
        }
        assertThat(proxies.describe()).isEqualTo("delay 40-120ms");
        proxies.clearLossAndDelay();
        assertThat(proxies.describe()).isEqualTo("no faults");
    }

    @Test
    void cutClosesBothSidesAndRefusesNewConnectionsUntilHealed() throws Exception {
        FramedTestServer target = track(new FramedTestServer(false));
        PeerLinkProxies proxies = proxiesTo(target);
        Socket before = dial(proxies, 1, 2);
        before.getOutputStream().write(FramedTestServer.frame("before"));
        await().atMost(WAIT).until(() -> target.receivedText().equals(List.of("before")));

        proxies.cut(1, 2);

        assertThat(before.getInputStream().read()).as("the dialler's side is closed").isEqualTo(-1);
        await().atMost(WAIT).until(() -> target.ended() == 1); // and the target's side
        Socket during = dial(proxies, 1, 2);
        assertThat(during.getInputStream().read()).as("a new connection is closed at once").isEqualTo(-1);
        assertThat(target.accepted()).as("nothing reached the target while cut").isEqualTo(1);
        assertThat(proxies.cuts()).containsExactly(new DirectedLink(1, 2));
        assertThat(proxies.describe()).isEqualTo("cut 1->2");

        proxies.heal();

        assertThat(proxies.cuts()).isEmpty();
        Socket after = dial(proxies, 1, 2);
        after.getOutputStream().write(FramedTestServer.frame("after"));
        await().atMost(WAIT).until(() -> target.receivedText().equals(List.of("before", "after")));
    }

    @Test
    void aCutLeavesTheOtherDirectionWorking() throws Exception {
        FramedTestServer node1 = track(new FramedTestServer(false));
        FramedTestServer node2 = track(new FramedTestServer(false));
        PeerLinkProxies proxies = track(new PeerLinkProxies(Map.of(1L, node1.address(), 2L, node2.address()), 1));
        proxies.cut(1, 2);

        dial(proxies, 2, 1).getOutputStream().write(FramedTestServer.frame("2 to 1"));

        await().atMost(WAIT).until(() -> node1.receivedText().equals(List.of("2 to 1")));
        assertThat(dial(proxies, 1, 2).getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void aTargetThatIsDownClosesTheDiallersConnection() throws Exception {
        FramedTestServer target = new FramedTestServer(false);
        PeerLinkProxies proxies = proxiesTo(target);
        target.close();

        assertThat(dial(proxies, 1, 2).getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void aLengthPrefixBeyondAnyFrameClosesTheConnection() throws Exception {
        FramedTestServer target = track(new FramedTestServer(false));
        PeerLinkProxies proxies = proxiesTo(target);
        Socket s = dial(proxies, 1, 2);

        s.getOutputStream().write(ByteBuffer.allocate(4).putInt(-1).array());

        InputStream in = s.getInputStream();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(target.received()).isEmpty();
    }

    @Test
    void partitionCutsEveryLinkBetweenSidesInBothDirections() throws Exception {
        FramedTestServer a = track(new FramedTestServer(false));
        FramedTestServer b = track(new FramedTestServer(false));
        FramedTestServer c = track(new FramedTestServer(false));
        PeerLinkProxies proxies = track(new PeerLinkProxies(
                Map.of(1L, a.address(), 2L, b.address(), 3L, c.address()), 3));

        proxies.partition(List.of(Set.of(1L), Set.of(3L, 2L)));

        assertThat(proxies.cuts()).containsExactly(new DirectedLink(1, 2), new DirectedLink(1, 3),
                new DirectedLink(2, 1), new DirectedLink(3, 1));
        proxies.setLoss(0.1);
        proxies.setDelay(Duration.ofMillis(5), Duration.ofMillis(50));
        assertThat(proxies.describe()).isEqualTo("partition [1] | [2, 3]; loss 0.10; delay 5-50ms");
        dial(proxies, 2, 3).getOutputStream().write(FramedTestServer.frame("within a side"));
        await().atMost(WAIT).until(() -> c.receivedText().equals(List.of("within a side")));
        assertThat(dial(proxies, 3, 1).getInputStream().read()).isEqualTo(-1);

        proxies.cut(2, 3);
        proxies.partition(List.of(Set.of(1L, 2L)));

        assertThat(proxies.cuts()).as("a partition replaces the cuts before it; node 3 is in no side")
                .containsExactly(new DirectedLink(1, 3), new DirectedLink(2, 3), new DirectedLink(3, 1),
                        new DirectedLink(3, 2));
        assertThat(proxies.describe()).startsWith("partition [1, 2] (isolated [3]);");
    }

    @Test
    void closeIsIdempotentAndReleasesThePorts() throws Exception {
        FramedTestServer target = track(new FramedTestServer(false));
        PeerLinkProxies proxies = proxiesTo(target);
        int port = proxies.port(1, 2);

        proxies.close();
        proxies.close();

        // The port is free again: it can be bound. Retried, because on a busy machine the kernel may lend the
        // number to some other process's outgoing connection for a moment; a proxy still listening never lets go.
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
