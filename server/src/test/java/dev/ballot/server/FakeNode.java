package dev.ballot.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A tiny HTTP server answering with canned responses, in order; records what it was asked. */
final class FakeNode implements AutoCloseable {

    record Canned(int status, String body, String retryAfter) {}

    record Received(String method, String rawPath, String body) {}

    private final HttpServer server;
    private final Deque<Canned> answers = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();

    FakeNode() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Queues an answer; the last one is repeated once the queue is down to it. */
    synchronized FakeNode answer(int status, String body) {
        answers.add(new Canned(status, body, null));
        return this;
    }

    synchronized FakeNode answer503(String retryAfter) {
        answers.add(new Canned(503, "{\"error\":\"NO_LEADER\",\"message\":\"no leader yet\"}", retryAfter));
        return this;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    NodeAddress address() {
        return new NodeAddress("127.0.0.1", server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        Canned c;
        synchronized (this) {
            received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            c = answers.size() > 1 ? answers.poll() : answers.peek();
        }
        if (c == null) c = new Canned(500, "no canned answer", null);
        byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
        if (c.retryAfter() != null) ex.getResponseHeaders().add("Retry-After", c.retryAfter());
        ex.sendResponseHeaders(c.status(), body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
