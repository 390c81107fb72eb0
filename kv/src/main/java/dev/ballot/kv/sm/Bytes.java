package dev.ballot.kv.sm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** Helpers for the byte arrays inside commands and results: copies, equality, printing. */
public final class Bytes {

    private Bytes() {}

    static byte[] copy(byte[] bytes, String what) {
        return Objects.requireNonNull(bytes, what).clone();
    }

    /** A deep, unmodifiable copy of a non-empty list of non-null arrays. */
    static List<byte[]> copyAll(List<byte[]> list, String what) {
        Objects.requireNonNull(list, what);
        if (list.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        List<byte[]> copy = new ArrayList<>(list.size());
        for (byte[] b : list) {
            copy.add(copy(b, what + " element"));
        }
        return Collections.unmodifiableList(copy);
    }

    /** A deep, modifiable copy (what accessors hand out, so the record stays immutable). */
    static List<byte[]> deepCopy(List<byte[]> list) {
        List<byte[]> copy = new ArrayList<>(list.size());
        for (byte[] b : list) {
            copy.add(b.clone());
        }
        return copy;
    }

    static boolean equalsAll(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static int hashAll(List<byte[]> list) {
        int h = 1;
        for (byte[] b : list) {
            h = 31 * h + Arrays.hashCode(b);
        }
        return h;
    }

    /** A quoted, printable rendering: ASCII as is, everything else as {@code \xHH} (as redis-cli shows it). */
    public static String show(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 2).append('"');
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            }
        }
        return sb.append('"').toString();
    }

    static String showAll(List<byte[]> list) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(show(list.get(i)));
        }
        return sb.append(']').toString();
    }
}
