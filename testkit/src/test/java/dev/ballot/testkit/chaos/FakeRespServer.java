package dev.ballot.testkit.chaos;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A tiny RESP server for client tests: reads multibulk requests and answers each with what the
 * handler returns (raw RESP text), or nothing at all when it returns null (to provoke timeouts).
 * CLIENT and PING, which Jedis sends on connecting, are answered for the handler.
 */
final class FakeRespServer implements AutoCloseable {

    private final ServerSocket server;
    private final Function<List<String>, String> handler;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    FakeRespServer(Function<List<String>, String> handler) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.handler = handler;
        Thread.ofPlatform().daemon().name("fake-resp-accept").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread.ofPlatform().daemon().name("fake-resp-conn").start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
            while (true) {
                List<String> request = readRequest(in);
                if (request == null) return;
                String command = request.getFirst().toUpperCase();
                String reply = switch (command) {
                    case "CLIENT" -> "+OK\r\n";
                    case "PING" -> "+PONG\r\n";
                    default -> handler.apply(request);
                };
                if (reply != null) {
                    out.write(reply.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // The client went away (or the test closed us): nothing more to serve.
        }
    }

    private static List<String> readRequest(InputStream in) throws IOException {
        String header = readLine(in);
        if (header == null) return null;
        if (!header.startsWith("*")) throw new IOException("expected a multibulk request, got " + header);
        int count = Integer.parseInt(header.substring(1));
        List<String> args = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = Integer.parseInt(readLine(in).substring(1));
            byte[] data = in.readNBytes(length + 2);
            args.add(new String(data, 0, length, StandardCharsets.UTF_8));
        }
        return args;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') return line.toString().stripTrailing();
            line.append((char) c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) socket.close();
    }
}
