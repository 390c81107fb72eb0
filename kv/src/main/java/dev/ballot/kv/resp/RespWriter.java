package dev.ballot.kv.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Writes RESP2 replies into a {@link ByteBuf}. Stateless. */
public final class RespWriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NIL_BULK = {'$', '-', '1', '\r', '\n'};
    private static final byte[] NIL_ARRAY = {'*', '-', '1', '\r', '\n'};

    private RespWriter() {}

    /** Writes {@code reply}, recursively for arrays. */
    public static void write(ByteBuf out, RespReply reply) {
        switch (reply) {
            case RespReply.SimpleString s -> writeSimpleString(out, s.value());
            case RespReply.ErrorReply e -> writeError(out, e.text());
            case RespReply.IntegerReply i -> writeInteger(out, i.value());
            case RespReply.BulkString b -> writeBulk(out, b.value());
            case RespReply.ArrayReply a -> {
                if (a.elements() == null) {
                    out.writeBytes(NIL_ARRAY);
                } else {
                    writeArrayHeader(out, a.elements().size());
                    for (RespReply element : a.elements()) {
                        write(out, element);
                    }
                }
            }
        }
    }

    /** {@code +value\r\n}; the caller guarantees there is no CR or LF in {@code value}. */
    public static void writeSimpleString(ByteBuf out, String value) {
        out.writeByte('+');
        out.writeCharSequence(value, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /** {@code -text\r\n}; the caller guarantees there is no CR or LF in {@code text}. */
    public static void writeError(ByteBuf out, String text) {
        out.writeByte('-');
        out.writeCharSequence(text, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /** {@code :value\r\n}. */
    public static void writeInteger(ByteBuf out, long value) {
        out.writeByte(':');
        writeDecimal(out, value);
        out.writeBytes(CRLF);
    }

    /** {@code $len\r\nvalue\r\n}, or {@code $-1\r\n} when {@code value} is null. */
    public static void writeBulk(ByteBuf out, byte[] value) {
        if (value == null) {
            out.writeBytes(NIL_BULK);
            return;
        }
        out.writeByte('$');
        writeDecimal(out, value.length);
        out.writeBytes(CRLF);
        out.writeBytes(value);
        out.writeBytes(CRLF);
    }

    /** {@code *count\r\n}; the caller writes {@code count} elements next. */
    public static void writeArrayHeader(ByteBuf out, int count) {
        out.writeByte('*');
        writeDecimal(out, count);
        out.writeBytes(CRLF);
    }

    /** {@code *-1\r\n}. */
    public static void writeNilArray(ByteBuf out) {
        out.writeBytes(NIL_ARRAY);
    }

    private static void writeDecimal(ByteBuf out, long value) {
        if (value >= 0 && value < 10) {
            out.writeByte('0' + (int) value);
        } else {
            out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
        }
    }
}
