package dev.ballot.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One RESP2 reply as the load generator sees it. A null bulk string or array has a null payload. */
public sealed interface Reply {

    /** {@code +OK}. */
    record Simple(String text) implements Reply {}

    /** {@code -ERR message}. */
    record Error(String message) implements Reply {
        /**
         * The error's kind: its first word ({@code TRYAGAIN}, {@code ERR}, ...), which is how
         * Redis-protocol servers classify errors. An empty message has the kind {@code ""}.
         */
        public String kind() {
            int space = message.indexOf(' ');
            return space < 0 ? message : message.substring(0, space);
        }
    }

    /** {@code :42}. */
    record Integer(long value) implements Reply {}

    /** {@code $5\r\nhello}; {@code bytes} is null for the null bulk string {@code $-1}. */
    record Bulk(byte[] bytes) implements Reply {
        public boolean isNull() {
            return bytes == null;
        }

        public String utf8() {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** {@code *2\r\n...}; {@code elements} is null for the null array {@code *-1}. */
    record Array(List<Reply> elements) implements Reply {}
}
