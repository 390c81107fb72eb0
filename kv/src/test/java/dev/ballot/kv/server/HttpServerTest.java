package dev.ballot.kv.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballot.kv.sm.KvCodec;
import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvLimits;
import dev.ballot.kv.sm.KvResult;
import dev.ballot.node.LogEntryView;
import dev.ballot.node.RequestFailure;
import dev.ballot.raft.EntryType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HttpServerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private LocalKvService service;
    private HttpServer server;
    private ConnectionLimit connections;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        client.close();
    }

    private void start(KvLimits limits, int maxRequestBytes, int maxConnections) {
        service = new LocalKvService(limits);
        toClose.add(service);
        server = HttpServer.start(service, new ClientServerSettings("127.0.0.1", 0, limits, maxRequestBytes, 1024),
                connections = new ConnectionLimit(maxConnections));
        toClose.add(server);
    }

    private void start() {
        start(KvLimits.DEFAULTS, 4 * 1024 * 1024, 100);
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + pathAndQuery);
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, publisher).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return send("GET", path, null);
    }

    private JsonNode body(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return json.readTree(r.body());
    }

    private void assertError(HttpResponse<byte[]> r, int status, String error) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode b = body(r);
        assertThat(b.get("error").asText()).isEqualTo(error);
        assertThat(b.get("message").asText()).isNotBlank();
    }

    @Test
    void putGetDelete() throws Exception {
        start();
        HttpResponse<byte[]> put = send("PUT", "/v1/kv/greeting", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(body(put).get("ok").asBoolean()).isTrue();

        HttpResponse<byte[]> got = get("/v1/kv/greeting");
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("hello");

        HttpResponse<byte[]> del = send("DELETE", "/v1/kv/greeting", null);
        assertThat(del.statusCode()).isEqualTo(200);
        assertThat(body(del).get("deleted").asLong()).isEqualTo(1);
        assertThat(body(send("DELETE", "/v1/kv/greeting", null)).get("deleted").asLong()).isEqualTo(0);

        assertError(get("/v1/kv/greeting"), 404, "not found");
    }

    @Test
    void keysArePercentDecodedBytesAndValuesAreBinary() throws Exception {
        start();
        byte[] value = {0, (byte) 0xFF, '\r', '\n'};
        assertThat(send("PUT", "/v1/kv/a%20b%2Fc%FF+", value).statusCode()).isEqualTo(200);
        byte[] key = {'a', ' ', 'b', '/', 'c', (byte) 0xFF, '+'};
        assertThat(service.peek(new KvCommand.Get(key))).isEqualTo(new KvResult.Bulk(value));
        assertThat(get("/v1/kv/a%20b%2Fc%FF+").body()).isEqualTo(value);
        assertThat(send("PUT", "/v1/kv/%C3%A9t%C3%A9", new byte[0]).statusCode()).isEqualTo(200);
        assertThat(service.peek(new KvCommand.Get("été".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(new KvResult.Bulk(new byte[0]));
        assertThat(get("/v1/kv/%C3%A9t%C3%A9").body()).isEmpty();
    }

    @Test
    void badKeys() throws Exception {
        start(new KvLimits(8, 16), 4096, 100);
        assertError(get("/v1/kv/"), 400, "bad key");
        // The JDK client refuses to send a bad escape: a raw request it is.
        for (String bad : List.of("/v1/kv/%zz", "/v1/kv/%4")) {
            try (RawClient raw = new RawClient(server.address())) {
                raw.send("GET " + bad + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(raw.readToEnd()).startsWith("HTTP/1.1 400 ").contains("\"error\":\"bad key\"");
            }
        }
        assertError(get("/v1/kv/a/b"), 404, "not found");
        assertError(send("PUT", "/v1/kv/123456789", "v".getBytes(StandardCharsets.UTF_8)), 400, "key too large");
        assertError(send("PUT", "/v1/kv/k", "x".repeat(17).getBytes(StandardCharsets.UTF_8)), 413, "value too large");
        assertThat(service.executed()).isZero();
        assertThat(service.size()).isZero();
    }

    @Test
    void bodyOverTheRequestLimitIs413AndTheConnectionStaysUsable() throws Exception {
        start(KvLimits.DEFAULTS, 2048, 100);
        HttpResponse<byte[]> r = send("PUT", "/v1/kv/big", new byte[4096]);
        assertError(r, 413, "request too large");
        assertThat(service.executed()).isZero();
        assertThat(send("PUT", "/v1/kv/small", new byte[100]).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndWrongMethods() throws Exception {
        start();
        assertError(get("/nope"), 404, "not found");
        assertError(get("/v1/kvx"), 404, "not found");
        HttpResponse<byte[]> post = send("POST", "/v1/kv/k", new byte[1]);
        assertError(post, 405, "method not allowed");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, PUT, DELETE");
        assertError(send("DELETE", "/v1/status", null), 405, "method not allowed");
        assertError(send("PUT", "/healthz", new byte[0]), 405, "method not allowed");
        assertThat(service.executed()).isZero();
    }

    @Test
    void healthAndReadiness() throws Exception {
        start();
        HttpResponse<byte[]> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(new String(health.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        service.ready(false);
        assertError(get("/readyz"), 503, "not ready");
        service.ready(true);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void status() throws Exception {
        start();
        JsonNode s = body(get("/v1/status"));
        assertThat(s.get("id").asLong()).isEqualTo(1);
        assertThat(s.get("role").asText()).isEqualTo("leader");
        assertThat(s.get("term").asLong()).isEqualTo(3);
        assertThat(s.get("leaderId").asLong()).isEqualTo(1);
        assertThat(s.get("commitIndex").asLong()).isEqualTo(10);
        assertThat(s.get("appliedIndex").asLong()).isEqualTo(9);
        assertThat(s.get("firstLogIndex").asLong()).isEqualTo(1);
        assertThat(s.get("lastLogIndex").asLong()).isEqualTo(11);
        assertThat(s.get("members").toString()).isEqualTo("[1,2,3]");
        assertThat(s.get("snapshot").get("snapshotIndex").asLong()).isEqualTo(5);
        assertThat(s.get("snapshot").get("snapshotTerm").asLong()).isEqualTo(2);
        assertThat(s.get("snapshot").get("sizeBytes").asLong()).isEqualTo(1234);
        assertThat(s.get("snapshot").get("ageSeconds").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void anAdminSnapshotIsTakenWithPostAndAnswersWithTheSnapshot() throws Exception {
        start();
        var r = send("POST", "/v1/admin/snapshot", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("snapshotIndex").asLong())
                .isEqualTo(5);
        assertError(get("/v1/admin/snapshot"), 405, "method not allowed");
    }

    @Test
    void digestHashesTheWholeStateAtItsAppliedIndex() throws Exception {
        start();
        JsonNode empty = body(get("/v1/digest"));
        assertThat(send("PUT", "/v1/kv/d", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        JsonNode after = body(get("/v1/digest"));
        assertThat(after.get("appliedIndex").asLong()).isGreaterThan(empty.get("appliedIndex").asLong());
        assertThat(after.get("sha256").asText()).hasSize(64).isNotEqualTo(empty.get("sha256").asText());
        assertError(send("POST", "/v1/digest", null), 405, "method not allowed");
    }

    @Test
    void logShowsReadableCommands() throws Exception {
        start();
        List<LogEntryView> entries = new ArrayList<>();
        entries.add(new LogEntryView(1, 1, EntryType.NOOP, new byte[0], true));
        entries.add(new LogEntryView(2, 1, EntryType.COMMAND,
                KvCodec.encode(new KvCommand.Set("k".getBytes(StandardCharsets.UTF_8),
                        new byte[] {'a', ' ', 0}, KvCommand.Condition.NX)), true));
        entries.add(new LogEntryView(3, 2, EntryType.COMMAND, KvCodec.encode(new KvCommand.IncrBy(
                "n".getBytes(StandardCharsets.UTF_8), -5)), false));
        entries.add(new LogEntryView(4, 2, EntryType.COMMAND, new byte[] {9, 9}, false));
        for (int i = 5; i <= 1200; i++) {
            entries.add(new LogEntryView(i, 2, EntryType.NOOP, new byte[0], false));
        }
        service.log(entries);

        JsonNode page = body(get("/v1/log?from=1&limit=4"));
        assertThat(page.get("firstIndex").asLong()).isEqualTo(1);
        assertThat(page.get("lastIndex").asLong()).isEqualTo(11);
        assertThat(page.get("snapshotIndex").asLong()).isEqualTo(5);
        JsonNode all = page.get("entries");
        assertThat(all.size()).isEqualTo(4);
        assertThat(all.get(0).toString())
                .isEqualTo("{\"index\":1,\"term\":1,\"type\":\"noop\",\"command\":\"(no-op)\",\"committed\":true}");
        assertThat(all.get(1).get("command").asText()).isEqualTo("SET k \"a \\x00\" NX");
        assertThat(all.get(1).get("type").asText()).isEqualTo("command");
        assertThat(all.get(2).get("command").asText()).isEqualTo("INCRBY n -5");
        assertThat(all.get(2).get("committed").asBoolean()).isFalse();
        assertThat(all.get(3).get("command").asText()).startsWith("(malformed: ");

        assertThat(body(get("/v1/log?from=3&limit=1")).get("entries").get(0).get("index").asLong()).isEqualTo(3);
        assertThat(body(get("/v1/log")).get("entries").size()).isEqualTo(HttpApi.DEFAULT_LOG_LIMIT);
        assertThat(body(get("/v1/log?limit=100000")).get("entries").size()).isEqualTo(HttpApi.MAX_LOG_LIMIT);

        assertError(get("/v1/log?from=x"), 400, "bad parameter");
        assertError(get("/v1/log?from=0"), 400, "bad parameter");
        assertError(get("/v1/log?limit=0"), 400, "bad parameter");
        assertError(get("/v1/log?limit=1&limit=2"), 400, "bad parameter");
        assertError(get("/v1/log?frm=1"), 400, "bad parameter");
    }

    @ParameterizedTest
    @CsvSource({
            "NOT_LEADER, 503, not leader, true",
            "NO_LEADER, 503, no leader, true",
            "BUSY, 429, busy, true",
            "TIMEOUT, 504, timeout, false",
            "UNKNOWN_OUTCOME, 500, unknown outcome, false",
            "SHUTDOWN, 503, shutting down, true"})
    void requestFailures(RequestFailure.Kind kind, int status, String error, boolean retryAfter) throws Exception {
        start();
        service.failWith(kind, 2, true);
        for (HttpResponse<byte[]> r : List.of(get("/v1/kv/k"), send("PUT", "/v1/kv/k", new byte[1]),
                send("DELETE", "/v1/kv/k", null))) {
            assertError(r, status, error);
            assertThat(r.headers().firstValue("Retry-After").isPresent()).isEqualTo(retryAfter);
            if (kind == RequestFailure.Kind.NOT_LEADER) {
                assertThat(body(r).get("leaderId").asLong()).isEqualTo(2);
            }
            if (kind == RequestFailure.Kind.UNKNOWN_OUTCOME) {
                assertThat(body(r).get("message").asText()).contains("may or may not have been applied");
            }
        }
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        start();
        for (int i = 0; i < 50; i++) {
            assertThat(send("PUT", "/v1/kv/k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(200);
            assertThat(get("/v1/kv/k" + i).body()).isEqualTo(("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        // The JDK client reused its keep-alive connection: all of this took one connection.
        assertThat(connections.open()).isEqualTo(1);
        try (RawClient raw = new RawClient(server.address())) {
            raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String both = raw.readToEnd();
            assertThat(both.split("HTTP/1.1 200 OK", -1)).hasSize(3);
            assertThat(both).endsWith("ok");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        start();
        service.complete(LocalKvService.Completion.RANDOM_DELAY);
        StringBuilder requests = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            String value = "value-" + i;
            requests.append("PUT /v1/kv/k").append(i).append(" HTTP/1.1\r\nHost: x\r\nContent-Length: ")
                    .append(value.length()).append("\r\n\r\n").append(value);
            requests.append("GET /v1/kv/k").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            expected.append("{\"ok\":true}").append(value);
        }
        requests.append("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        expected.append("ok");
        try (RawClient raw = new RawClient(server.address())) {
            raw.send(requests.toString());
            String all = raw.readToEnd();
            StringBuilder bodies = new StringBuilder();
            for (String response : all.split("HTTP/1\\.1 200 OK\r\n")) {
                if (!response.isEmpty()) {
                    bodies.append(response, response.indexOf("\r\n\r\n") + 4, response.length());
                }
            }
            assertThat(bodies.toString()).isEqualTo(expected.toString());
        }
    }

    @Test
    void malformedRequestLineIs400AndCloses() throws Exception {
        start();
        try (RawClient raw = new RawClient(server.address())) {
            raw.send("GARBAGE\r\n\r\n");
            String reply = raw.readToEnd();
            assertThat(reply).startsWith("HTTP/1.1 400 ").contains("\"error\":\"bad request\"");
        }
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void connectionsBeyondTheCapAreRefused() throws Exception {
        start(KvLimits.DEFAULTS, 4096, 1);
        try (RawClient first = new RawClient(server.address())) {
            first.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(first.read(15)).isEqualTo("HTTP/1.1 200 OK");
            try (RawClient second = new RawClient(server.address())) {
                String reply = second.readToEnd();
                assertThat(reply).startsWith("HTTP/1.1 503 ").contains("too many connections");
            }
        }
    }
}
