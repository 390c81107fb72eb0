package dev.ballot.kv.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one URL path segment to bytes: {@code %HH} escapes become that byte, every other
 * character its UTF-8 bytes; {@code +} stays a plus (it only means space in query strings).
 * Decoding to bytes rather than a String keeps keys binary-safe ({@code %FF} is the byte 0xFF).
 */
final class PercentDecoding {

    private PercentDecoding() {}

    /** @throws IllegalArgumentException on a {@code %} not followed by two hex digits */
    static byte[] decode(String segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
        int i = 0;
        while (i < segment.length()) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new IllegalArgumentException("incomplete escape '%' at position " + i);
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid escape '" + segment.substring(i, i + 3)
                            + "' at position " + i);
                }
                out.write(hi << 4 | lo);
                i += 3;
            } else {
                int end = i + 1;
                while (end < segment.length() && segment.charAt(end) != '%') {
                    end++;
                }
                out.writeBytes(segment.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return out.toByteArray();
    }
}
