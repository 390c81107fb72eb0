package dev.ballot.kv.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvLimits;
import dev.ballot.kv.sm.KvResult;
import dev.ballot.node.LogEntryView;
import dev.ballot.node.NodeStatus;
import dev.ballot.node.RequestFailure;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The routes of the HTTP API (docs/http-api.md): one request in, one {@link HttpReply} out. Thread-safe. */
final class HttpApi {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    static final int DEFAULT_LOG_LIMIT = 100;
    static final int MAX_LOG_LIMIT = 1000;
    private static final String KV_PREFIX = "/v1/kv/";

    private final KvService service;
    private final KvLimits limits;
    private final ObjectMapper json;

    HttpApi(KvService service, KvLimits limits, ObjectMapper json) {
        this.service = service;
        this.limits = limits;
        this.json = json;
    }

    CompletableFuture<HttpReply> handle(HttpMethod method, String uri, byte[] body) {
        QueryStringDecoder query = new QueryStringDecoder(uri);
        String path = query.rawPath();
        try {
            if (path.startsWith(KV_PREFIX)) {
                return kv(method, path.substring(KV_PREFIX.length()), body);
            }
            if (path.equals("/v1/digest")) {
                return get(method) ? digest() : done(notAllowed("GET"));
            }
            if (path.equals("/v1/admin/snapshot")) {
                return method.equals(HttpMethod.POST) ? snapshot() : done(notAllowed("POST"));
            }
            return CompletableFuture.completedFuture(switch (path) {
                case "/healthz" -> get(method) ? HttpReply.text(HttpResponseStatus.OK, "ok") : notAllowed("GET");
                case "/readyz" -> get(method) ? ready() : notAllowed("GET");
                case "/v1/status" -> get(method) ? status() : notAllowed("GET");
                case "/v1/log" -> get(method) ? log(query.parameters()) : notAllowed("GET");
                default -> error(HttpResponseStatus.NOT_FOUND, "not found", "no route for " + path);
            });
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(internalError(e));
        }
    }

    // ---------------------------------------------------------------- /v1/kv/{key}

    private CompletableFuture<HttpReply> kv(HttpMethod method, String segment, byte[] body) {
        if (segment.indexOf('/') >= 0) {
            return done(error(HttpResponseStatus.NOT_FOUND, "not found",
                    "a key is one path segment; encode '/' in a key as %2F"));
        }
        byte[] key;
        try {
            key = PercentDecoding.decode(segment);
        } catch (IllegalArgumentException e) {
            return done(error(HttpResponseStatus.BAD_REQUEST, "bad key", e.getMessage()));
        }
        if (key.length == 0) {
            return done(error(HttpResponseStatus.BAD_REQUEST, "bad key", "the key must not be empty"));
        }
        KvCommand command;
        if (method.equals(HttpMethod.GET)) {
            command = new KvCommand.Get(key);
        } else if (method.equals(HttpMethod.PUT)) {
            command = new KvCommand.Set(key, body);
        } else if (method.equals(HttpMethod.DELETE)) {
            command = new KvCommand.Del(key);
        } else {
            return done(notAllowed("GET, PUT, DELETE"));
        }
        String tooLarge = KvLimitCheck.check(command, limits);
        if (tooLarge != null) {
            String message = tooLarge.startsWith("ERR ") ? tooLarge.substring(4) : tooLarge;
            return done(message.startsWith("value")
                    ? error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "value too large", message)
                    : error(HttpResponseStatus.BAD_REQUEST, "key too large", message));
        }
        CompletableFuture<KvResult> future;
        try {
            future = service.execute(command);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        return future.handle((result, failure) -> failure != null ? failure(failure) : kvResult(command, result));
    }

    private HttpReply kvResult(KvCommand command, KvResult result) {
        return switch (result) {
            case KvResult.Bulk b -> new HttpReply(HttpResponseStatus.OK, HttpReply.OCTETS, b.value(), Map.of());
            case KvResult.Nil n when command instanceof KvCommand.Get ->
                    error(HttpResponseStatus.NOT_FOUND, "not found", "no such key");
            case KvResult.Ok ok -> HttpReply.json(json, HttpResponseStatus.OK, Map.of("ok", true));
            case KvResult.Integer i when command instanceof KvCommand.Del ->
                    HttpReply.json(json, HttpResponseStatus.OK, Map.of("deleted", i.value()));
            case KvResult.Error e -> error(HttpResponseStatus.BAD_REQUEST, "bad request",
                    e.message().startsWith("ERR ") ? e.message().substring(4) : e.message());
            default -> internalError(new IllegalStateException("unexpected result " + result + " for " + command));
        };
    }

    /** Failures of {@link KvService#execute}: the status codes and what they promise are in docs/http-api.md. */
    private HttpReply failure(Throwable t) {
        RequestFailure f = Failures.requestFailure(t);
        if (f == null) {
            return internalError(Failures.unwrap(t));
        }
        return switch (f.kind()) {
            case NOT_LEADER -> retryLater(HttpReply.error(json, HttpResponseStatus.SERVICE_UNAVAILABLE, "not leader",
                    "this node is not the leader and could not forward the request; it had no effect, retry",
                    Map.of("leaderId", f.leaderHint())));
            case NO_LEADER -> retryLater(error(HttpResponseStatus.SERVICE_UNAVAILABLE, "no leader",
                    "no leader is known (an election is running); the request had no effect, retry"));
            case BUSY -> retryLater(error(HttpResponseStatus.TOO_MANY_REQUESTS, "busy",
                    "too many pending requests; the request had no effect, retry later"));
            case TIMEOUT -> error(HttpResponseStatus.GATEWAY_TIMEOUT, "timeout",
                    "the request timed out without taking effect; it is safe to retry");
            case UNKNOWN_OUTCOME -> error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "unknown outcome",
                    "the outcome of the write is unknown: it may or may not have been applied");
            case SHUTDOWN -> retryLater(error(HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting down",
                    "the server is shutting down; the request had no effect"));
        };
    }

    // ---------------------------------------------------------------- status, log, health

    private HttpReply ready() {
        return service.ready()
                ? HttpReply.text(HttpResponseStatus.OK, "ready")
                : retryLater(error(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready",
                        "no leader is known or this node has not caught up"));
    }

    private CompletableFuture<HttpReply> digest() {
        return service.digest().handle((d, err) -> {
            if (err != null) return failure(err);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("appliedIndex", d.appliedIndex());
            body.put("sha256", d.sha256());
            return HttpReply.json(json, HttpResponseStatus.OK, body);
        });
    }

    private HttpReply status() {
        NodeStatus s = service.status();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", s.id());
        body.put("role", s.role().name().toLowerCase(Locale.ROOT));
        body.put("term", s.term());
        body.put("leaderId", s.leaderId());
        body.put("commitIndex", s.commitIndex());
        body.put("appliedIndex", s.appliedIndex());
        body.put("firstLogIndex", s.firstLogIndex());
        body.put("lastLogIndex", s.lastLogIndex());
        body.put("members", s.members());
        body.put("snapshot", snapshotBody(s.snapshot()));
        return HttpReply.json(json, HttpResponseStatus.OK, body);
    }

    private static Map<String, Object> snapshotBody(NodeStatus.Snapshot snap) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("snapshotIndex", snap.index());
        m.put("snapshotTerm", snap.term());
        m.put("sizeBytes", snap.sizeBytes());
        m.put("ageSeconds", InfoReply.ageSeconds(snap, System.currentTimeMillis()));
        return m;
    }

    /** {@code POST /v1/admin/snapshot}: takes a snapshot now; answers once it is durable. */
    private CompletableFuture<HttpReply> snapshot() {
        return service.takeSnapshot().handle((snap, err) -> {
            if (err != null) return failure(err);
            return HttpReply.json(json, HttpResponseStatus.OK, snapshotBody(snap));
        });
    }

    private HttpReply log(Map<String, List<String>> params) {
        for (String name : params.keySet()) {
            if (!Set.of("from", "limit").contains(name)) {
                return error(HttpResponseStatus.BAD_REQUEST, "bad parameter",
                        "unknown parameter '" + name + "' (expected from, limit)");
            }
        }
        long from;
        long limit;
        try {
            from = longParam(params, "from", -1);
            limit = longParam(params, "limit", DEFAULT_LOG_LIMIT);
        } catch (IllegalArgumentException e) {
            return error(HttpResponseStatus.BAD_REQUEST, "bad parameter", e.getMessage());
        }
        if (from == -1) {
            from = Math.max(1, service.status().firstLogIndex());
        }
        if (from < 1) {
            return error(HttpResponseStatus.BAD_REQUEST, "bad parameter", "from must be >= 1, was " + from);
        }
        if (limit < 1) {
            return error(HttpResponseStatus.BAD_REQUEST, "bad parameter", "limit must be >= 1, was " + limit);
        }
        NodeStatus status = service.status();
        List<LogEntryView> entries = service.log(from, (int) Math.min(limit, MAX_LOG_LIMIT));
        List<Map<String, Object>> list = new ArrayList<>(entries.size());
        for (LogEntryView e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", e.index());
            m.put("term", e.term());
            m.put("type", e.type().name().toLowerCase(Locale.ROOT));
            m.put("command", LogEntryFormat.describe(e));
            m.put("committed", e.committed());
            list.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        // Entries before firstIndex were compacted into the snapshot: they are asked for in vain.
        body.put("firstIndex", status.firstLogIndex());
        body.put("lastIndex", status.lastLogIndex());
        body.put("commitIndex", status.commitIndex());
        body.put("snapshotIndex", status.snapshot().index());
        body.put("snapshotTerm", status.snapshot().term());
        body.put("entries", list);
        return HttpReply.json(json, HttpResponseStatus.OK, body);
    }

    private static long longParam(Map<String, List<String>> params, String name, long absent) {
        List<String> values = params.get(name);
        if (values == null) {
            return absent;
        }
        if (values.size() != 1) {
            throw new IllegalArgumentException(name + " given " + values.size() + " times");
        }
        try {
            return Long.parseLong(values.get(0));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was '" + values.get(0) + "'");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static boolean get(HttpMethod method) {
        return method.equals(HttpMethod.GET);
    }

    private HttpReply notAllowed(String allow) {
        return error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed", "allowed: " + allow)
                .withHeader("Allow", allow);
    }

    private HttpReply internalError(Throwable t) {
        log.error("HTTP request failed unexpectedly", t);
        return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error", String.valueOf(t));
    }

    private static HttpReply retryLater(HttpReply reply) {
        return reply.withHeader("Retry-After", "1");
    }

    private HttpReply error(HttpResponseStatus status, String error, String message) {
        return HttpReply.error(json, status, error, message);
    }

    private static CompletableFuture<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
