package dev.ballot.bench.load;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny RESP server for the load generator's tests: SET answers +OK, GET answers $-1, every
 * {@code errorEvery}-th command (counted over all connections) answers -TRYAGAIN, and a connection
 * is closed, unanswered, on its {@code closeEvery}-th command. It replies only when it has read
 * everything a client sent, so the most commands it ever holds unanswered is the client's real
 * pipeline depth.
 */
final class FakeRespServer implements AutoCloseable {
    private final int errorEvery;
    private final int closeEvery;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong gets = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger maxOutstanding = new AtomicInteger();
    private final java.util.Set<String> keys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param errorEvery 0 for never; @param closeEvery 0 for never */
    FakeRespServer(int errorEvery, int closeEvery) throws IOException {
        this.errorEvery = errorEvery;
        this.closeEvery = closeEvery;
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("fake-resp-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    long commands() {
        return commands.get();
    }

    /** Every distinct key a command named. */
    java.util.Set<String> keys() {
        return java.util.Set.copyOf(keys);
    }

    long gets() {
        return gets.get();
    }

    int connections() {
        return connections.get();
    }

    int maxOutstanding() {
        return maxOutstanding.get();
    }

    /** Anything that went wrong in the server other than a client hanging up. */
    List<Throwable> failures() {
        return failures;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                connections.incrementAndGet();
                Thread.ofPlatform().daemon().name("fake-resp-conn").start(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    failures.add(e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            // A request is an array of bulk strings: the shape of a reply, so the reply reader parses it.
            RespReplyReader requests = new RespReplyReader(in);
            int outstanding = 0;
            long onThisConnection = 0;
            while (true) {
                Reply.Array request = (Reply.Array) requests.read();
                String command = ((Reply.Bulk) request.elements().get(0)).utf8();
                if (request.elements().size() > 1) keys.add(((Reply.Bulk) request.elements().get(1)).utf8());
                long n = commands.incrementAndGet();
                if (closeEvery > 0 && ++onThisConnection % closeEvery == 0) {
                    out.flush();
                    return;
                }
                outstanding++;
                out.write(reply(command, n).getBytes(US_ASCII));
                if (in.available() == 0) {
                    maxOutstanding.accumulateAndGet(outstanding, Math::max);
                    outstanding = 0;
                    out.flush();
                }
            }
        } catch (EOFException e) {
            // The client hung up: the normal end of a connection.
        } catch (SocketException e) {
            if (!closed) {
                failures.add(e);
            }
        } catch (IOException | RuntimeException e) {
            failures.add(e);
        }
    }

    private String reply(String command, long n) {
        if (errorEvery > 0 && n % errorEvery == 0) {
            return "-TRYAGAIN no leader yet\r\n";
        }
        return switch (command) {
            case "SET" -> "+OK\r\n";
            case "GET" -> {
                gets.incrementAndGet();
                yield "$-1\r\n";
            }
            default -> "-ERR unknown command '" + command + "'\r\n";
        };
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
