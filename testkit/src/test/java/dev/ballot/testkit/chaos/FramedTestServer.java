package dev.ballot.testkit.chaos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a Ballot node's peer port: reads length-prefixed frames, records each with the
 * time it arrived and, if told to, echoes it back on the same connection.
 */
final class FramedTestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FramedTestServer.class);

    /** A frame's body as it arrived, and when. */
    record Received(byte[] body, long atNanos) {}

    private final ServerSocket server;
    private final boolean echo;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();

    FramedTestServer(boolean echo) {
        this.echo = echo;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("framed-test-server").start(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<String> receivedText() {
        return received.stream().map(r -> new String(r.body())).toList();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Connections that reached their end (the other side closed them). */
    int ended() {
        return ended.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                if (!server.isClosed()) throw new UncheckedIOException(e);
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                byte[] body;
                try {
                    body = new byte[in.readInt()];
                } catch (EOFException closed) {
                    return;
                }
                in.readFully(body);
                received.add(new Received(body, System.nanoTime()));
                if (echo) out.write(frame(body));
            }
        } catch (IOException e) {
            log.debug("test server connection ended with {}", e.toString()); // a reset counts as an end too
        } finally {
            ended.incrementAndGet();
        }
    }

    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    static byte[] frame(String body) {
        return frame(body.getBytes());
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
