package dev.ballot.kv.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP response as plain data (no Netty buffers), so it can be built on any thread and written
 * on the connection's event loop.
 *
 * @param headers extra headers (Content-Type and Content-Length are set from the other fields)
 */
record HttpReply(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json";
    static final String OCTETS = "application/octet-stream";
    static final String TEXT = "text/plain; charset=utf-8";

    HttpReply {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    static HttpReply text(HttpResponseStatus status, String text) {
        return new HttpReply(status, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static HttpReply json(ObjectMapper json, HttpResponseStatus status, Object value) {
        try {
            return new HttpReply(status, JSON, json.writeValueAsBytes(value), Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Only our own maps and lists are written: failing here is a bug.
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** {@code {"error": error, "message": message}} plus any extra fields. */
    static HttpReply error(ObjectMapper json, HttpResponseStatus status, String error, String message,
                           Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        body.putAll(extra);
        return json(json, status, body);
    }

    static HttpReply error(ObjectMapper json, HttpResponseStatus status, String error, String message) {
        return error(json, status, error, message, Map.of());
    }

    HttpReply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, contentType, body, h);
    }
}
