package dev.ballot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Turns a node's JSON error body {@code {"error": ..., "message": ...}} into one readable line. */
final class ErrorBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBody() {}

    static String describe(byte[] body) {
        if (body == null || body.length == 0) return "(no body)";
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                String message = n.path("message").asText("");
                return n.get("error").asText() + (message.isEmpty() ? "" : ": " + message);
            }
        } catch (IOException notJson) {
            // Not the JSON error shape (a proxy's page, say): show the text as it is.
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
