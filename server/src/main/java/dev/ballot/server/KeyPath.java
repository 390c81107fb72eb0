package dev.ballot.server;

import java.nio.charset.StandardCharsets;

/** The URL path of a key: {@code /v1/kv/} + the key's UTF-8 bytes, percent-encoded as one path segment. */
final class KeyPath {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private KeyPath() {}

    static String of(String key) {
        StringBuilder sb = new StringBuilder("/v1/kv/");
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            // RFC 3986 unreserved characters stay as they are; everything else (/ ? # % space ...) is escaped.
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }
}
