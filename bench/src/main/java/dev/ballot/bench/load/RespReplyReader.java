package dev.ballot.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal blocking RESP2 reply reader over an {@link InputStream} (wrap a socket stream in a
 * {@link java.io.BufferedInputStream}: this class reads byte by byte for the header lines).
 * Handles the five reply types; a reply split over any number of reads is reassembled by the
 * stream. Not thread-safe: one reader per connection.
 */
public final class RespReplyReader {

    /** Refuse absurd lengths instead of allocating them: a corrupted stream, not a real reply. */
    static final int MAX_BULK_BYTES = 512 * 1024 * 1024;
    static final int MAX_ARRAY_ELEMENTS = 1 << 24;
    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int MAX_DEPTH = 32;

    private final InputStream in;
    private byte[] line = new byte[64];

    public RespReplyReader(InputStream in) {
        this.in = in;
    }

    /** Reads one whole reply; blocks until it has arrived. */
    public Reply read() throws IOException {
        return read(0);
    }

    private Reply read(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new RespProtocolException("arrays nested deeper than " + MAX_DEPTH);
        }
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by the server");
        }
        return switch (type) {
            case '+' -> new Reply.Simple(readLine());
            case '-' -> new Reply.Error(readLine());
            case ':' -> new Reply.Integer(parseLong(readLine()));
            case '$' -> readBulk();
            case '*' -> readArray(depth);
            default -> throw new RespProtocolException(
                    "unexpected reply type byte 0x" + java.lang.Integer.toHexString(type));
        };
    }

    private Reply readBulk() throws IOException {
        long length = parseLong(readLine());
        if (length == -1) {
            return new Reply.Bulk(null);
        }
        if (length < 0 || length > MAX_BULK_BYTES) {
            throw new RespProtocolException("bad bulk string length " + length);
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length) {
            throw new EOFException("connection closed inside a bulk string");
        }
        expectCrlf();
        return new Reply.Bulk(bytes);
    }

    private Reply readArray(int depth) throws IOException {
        long count = parseLong(readLine());
        if (count == -1) {
            return new Reply.Array(null);
        }
        if (count < 0 || count > MAX_ARRAY_ELEMENTS) {
            throw new RespProtocolException("bad array length " + count);
        }
        List<Reply> elements = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            elements.add(read(depth + 1));
        }
        return new Reply.Array(elements);
    }

    /** Reads up to CRLF (excluded) and decodes it as UTF-8. */
    private String readLine() throws IOException {
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a reply line");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new RespProtocolException("CR not followed by LF in a reply line");
                }
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (length == line.length) {
                if (length == MAX_LINE_BYTES) {
                    throw new RespProtocolException("reply line longer than " + MAX_LINE_BYTES + " bytes");
                }
                line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, length * 2));
            }
            line[length++] = (byte) b;
        }
    }

    private void expectCrlf() throws IOException {
        int cr = in.read();
        int lf = in.read();
        if (cr != '\r' || lf != '\n') {
            if (cr < 0 || lf < 0) {
                throw new EOFException("connection closed inside a bulk string");
            }
            throw new RespProtocolException("bulk string not terminated by CRLF");
        }
    }

    private static long parseLong(String text) throws RespProtocolException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RespProtocolException("not an integer: '" + text + "'");
        }
    }
}
