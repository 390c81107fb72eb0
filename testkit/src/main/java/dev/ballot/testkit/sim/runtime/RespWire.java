package dev.ballot.testkit.sim.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's side of RESP, as simple as a test client can be: commands out as arrays of bulk
 * strings, replies in. A simulated connection receives exactly one encoded reply per write of the
 * server's encoder, so {@link #parse} takes one whole reply.
 */
final class RespWire {

    /** A reply: {@code +simple}, {@code -error}, {@code :integer}, {@code $bulk} (null = nil) or an array. */
    record Reply(char type, String text, long integer, List<Reply> items) {
        boolean isError() {
            return type == '-';
        }

        /** The bulk or simple string, null for nil. */
        String string() {
            return text;
        }

        @Override
        public String toString() {
            return switch (type) {
                case '+' -> "+" + text;
                case '-' -> "-" + text;
                case ':' -> ":" + integer;
                case '$' -> text == null ? "(nil)" : "\"" + text + "\"";
                default -> String.valueOf(items);
            };
        }
    }

    private RespWire() {}

    static byte[] command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "*" + args.length + "\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            write(out, "$" + b.length + "\r\n");
            out.writeBytes(b);
            write(out, "\r\n");
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Parses one complete reply; throws IllegalStateException if the bytes are not exactly one. */
    static Reply parse(byte[] bytes) {
        int[] pos = {0};
        Reply r = parse(bytes, pos);
        if (pos[0] != bytes.length) {
            throw new IllegalStateException("trailing bytes after a reply: " + new String(bytes, StandardCharsets.UTF_8));
        }
        return r;
    }

    private static Reply parse(byte[] b, int[] pos) {
        char type = (char) b[pos[0]++];
        String line = line(b, pos);
        return switch (type) {
            case '+', '-' -> new Reply(type, line, 0, null);
            case ':' -> new Reply(type, null, Long.parseLong(line), null);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) yield new Reply('$', null, 0, null);
                String s = new String(b, pos[0], n, StandardCharsets.UTF_8);
                pos[0] += n + 2;
                yield new Reply('$', s, 0, null);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                List<Reply> items = new ArrayList<>();
                for (int i = 0; i < n; i++) items.add(parse(b, pos));
                yield new Reply('*', null, 0, items);
            }
            default -> throw new IllegalStateException("not a RESP reply: type byte '" + type + "'");
        };
    }

    private static String line(byte[] b, int[] pos) {
        int start = pos[0];
        while (b[pos[0]] != '\r') pos[0]++;
        String s = new String(b, start, pos[0] - start, StandardCharsets.UTF_8);
        pos[0] += 2;
        return s;
    }
}
