package dev.ballot.kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One client request: the command name and its arguments, as raw, binary-safe bytes. Equality
 * compares the argument bytes.
 *
 * <p>The argument arrays are not copied; treat them as read-only.
 */
public final class RespRequest {

    private final List<byte[]> args;

    /** @param args the arguments, command name first; at least one */
    public RespRequest(List<byte[]> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a request has at least one argument");
        }
        this.args = Collections.unmodifiableList(new ArrayList<>(args));
    }

    /** Convenience for tests and clients: the arguments as UTF-8 strings. */
    public static RespRequest of(String... args) {
        List<byte[]> list = new ArrayList<>(args.length);
        for (String a : args) {
            list.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return new RespRequest(list);
    }

    /** All arguments, command name first. */
    public List<byte[]> args() {
        return args;
    }

    public int argCount() {
        return args.size();
    }

    public byte[] arg(int i) {
        return args.get(i);
    }

    /** The command name, upper-cased (ASCII), e.g. {@code "GET"}. */
    public String command() {
        return new String(args.get(0), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RespRequest other) || other.args.size() != args.size()) {
            return false;
        }
        for (int i = 0; i < args.size(); i++) {
            if (!Arrays.equals(args.get(i), other.args.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (byte[] a : args) {
            h = 31 * h + Arrays.hashCode(a);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RespRequest[");
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            byte[] a = args.get(i);
            if (a.length > 64) {
                sb.append('"').append(escape(a, 64)).append("...\"(").append(a.length).append(" bytes)");
            } else {
                sb.append('"').append(escape(a, a.length)).append('"');
            }
        }
        return sb.append(']').toString();
    }

    private static String escape(byte[] a, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int b = a[i] & 0xff;
            if (b == '"' || b == '\\') {
                sb.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.toString();
    }
}
