package dev.ballot.kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A RESP2 reply. {@link RespWriter} turns one into bytes; {@link RespEncoder} does so in a
 * pipeline.
 */
public sealed interface RespReply
        permits RespReply.SimpleString, RespReply.ErrorReply, RespReply.IntegerReply,
                RespReply.BulkString, RespReply.ArrayReply {

    /** {@code +OK\r\n}. */
    SimpleString OK = new SimpleString("OK");
    /** {@code +PONG\r\n}. */
    SimpleString PONG = new SimpleString("PONG");
    /** The nil bulk string, {@code $-1\r\n}. */
    BulkString NIL = new BulkString(null);
    /** The nil array, {@code *-1\r\n}. */
    ArrayReply NIL_ARRAY = new ArrayReply(null);
    /** The empty array, {@code *0\r\n}. */
    ArrayReply EMPTY_ARRAY = new ArrayReply(List.of());

    /** {@code +value\r\n}; the value may not contain CR or LF. */
    record SimpleString(String value) implements RespReply {
        public SimpleString {
            Objects.requireNonNull(value, "value");
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a simple string cannot contain CR or LF");
            }
        }
    }

    /**
     * {@code -text\r\n}, where text starts with the error code, e.g. {@code "ERR syntax error"} or
     * {@code "WRONGTYPE Operation against a key holding the wrong kind of value"}. CR and LF in the
     * text are replaced by spaces, as Redis does.
     */
    record ErrorReply(String text) implements RespReply {
        public ErrorReply {
            Objects.requireNonNull(text, "text");
            if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
                text = text.replace('\r', ' ').replace('\n', ' ');
            }
        }
    }

    /** {@code :value\r\n}. */
    record IntegerReply(long value) implements RespReply {}

    /**
     * {@code $len\r\nbytes\r\n}, or {@code $-1\r\n} (nil) when {@code value} is null. The array is
     * not copied; treat it as read-only. Equality compares the bytes.
     */
    record BulkString(byte[] value) implements RespReply {
        public boolean isNil() {
            return value == null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BulkString b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return value == null ? "BulkString[nil]"
                    : "BulkString[" + new String(value, StandardCharsets.UTF_8) + "]";
        }
    }

    /** {@code *n\r\n} followed by the elements, or {@code *-1\r\n} (nil) when null. */
    record ArrayReply(List<RespReply> elements) implements RespReply {
        public ArrayReply {
            if (elements != null) {
                elements = List.copyOf(elements);
            }
        }

        public boolean isNil() {
            return elements == null;
        }
    }

    static SimpleString simple(String value) {
        return new SimpleString(value);
    }

    /** An error with the generic {@code ERR} code: {@code -ERR message\r\n}. */
    static ErrorReply err(String message) {
        return new ErrorReply("ERR " + message);
    }

    static IntegerReply integer(long value) {
        return new IntegerReply(value);
    }

    static BulkString bulk(byte[] value) {
        return new BulkString(value);
    }

    static BulkString bulk(String value) {
        return new BulkString(value.getBytes(StandardCharsets.UTF_8));
    }

    static ArrayReply array(RespReply... elements) {
        return new ArrayReply(List.of(elements));
    }

    static ArrayReply array(List<? extends RespReply> elements) {
        return new ArrayReply(List.copyOf(elements));
    }

    /**
     * Redis's reply to an unknown command:
     * {@code -ERR unknown command 'foo', with args beginning with: 'a' 'b' }.
     */
    static ErrorReply unknownCommand(RespRequest request) {
        // As Redis 7's processCommand: arguments are quoted while the list is under 128 characters.
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < request.argCount() && args.length() < 128; i++) {
            String arg = printable(request.arg(i), 128 - args.length());
            args.append('\'').append(arg).append("' ");
        }
        return err("unknown command '" + printable(request.arg(0), 128)
                + "', with args beginning with: " + args);
    }

    private static String printable(byte[] bytes, int max) {
        String s = new String(bytes, 0, Math.min(bytes.length, max), StandardCharsets.UTF_8);
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
