package dev.ballot.kv.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes client requests in RESP2 into {@link RespRequest}s: multibulk arrays
 * ({@code *N\r\n$len\r\n...\r\n}) and inline commands ({@code PING\r\n}), across any TCP
 * fragmentation and with any number of pipelined requests per read, emitted in order.
 *
 * <p>Invalid input or a broken {@link RespLimits limit} makes it emit one {@link RespProtocolError}
 * and then discard everything that follows; the handler is expected to reply with
 * {@link RespProtocolError#toReply()} and close the connection. Nothing is allocated for an element
 * until all of its bytes have arrived, and a length is checked against the limits before the
 * decoder waits for (and so buffers) that many bytes. Client input never makes {@code decode}
 * throw.
 *
 * <p>Not sharable: one instance per channel.
 */
public final class RespDecoder extends ByteToMessageDecoder {

    static final String INVALID_MULTIBULK_LENGTH = "Protocol error: invalid multibulk length";
    static final String INVALID_BULK_LENGTH = "Protocol error: invalid bulk length";
    static final String TOO_BIG_INLINE = "Protocol error: too big inline request";
    static final String UNBALANCED_QUOTES = "Protocol error: unbalanced quotes in request";
    static final String TOO_BIG_REQUEST = "Protocol error: too big request";
    static final String TOO_MANY_ARGS = "Protocol error: too many arguments";
    static final String BULK_NOT_TERMINATED = "Protocol error: bulk string not terminated by CRLF";

    /** Longest accepted length line ({@code *N} or {@code $N}) between the prefix and CRLF. */
    private static final int MAX_LENGTH_DIGITS = 19;
    private static final byte[] EMPTY = new byte[0];

    private enum State { START, BULK_HEADER, BULK_DATA, FAILED }

    private final RespLimits limits;

    private State state = State.START;
    /** Arguments of the multibulk request being decoded. */
    private List<byte[]> args;
    /** Arguments still expected in the current multibulk request. */
    private int argsRemaining;
    /** Length of the bulk string whose data is expected (state BULK_DATA). */
    private int bulkLength;
    /** Wire bytes of the current multibulk request consumed so far. */
    private long requestBytes;
    /**
     * Bytes of a pending inline line (from the reader index) already searched for '\n', so a line
     * arriving a byte at a time is scanned once, not quadratically.
     */
    private int inlineScanned;

    public RespDecoder() {
        this(RespLimits.defaults());
    }

    public RespDecoder(RespLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Bytes received but not decoded yet (for tests: it stays within the limits). */
    int bufferedBytes() {
        ByteBuf buf = internalBuffer();
        return buf.readableBytes();
    }

    /** Whether a protocol error has been emitted (all further input is discarded). */
    public boolean failed() {
        return state == State.FAILED;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean progress = true;
        while (progress) {
            progress = switch (state) {
                case FAILED -> {
                    in.skipBytes(in.readableBytes());
                    yield false;
                }
                case START -> in.isReadable() && (in.getByte(in.readerIndex()) == '*'
                        ? multibulkHeader(in, out)
                        : inline(in, out));
                case BULK_HEADER -> bulkHeader(in, out);
                case BULK_DATA -> bulkData(in, out);
            };
        }
    }

    private boolean multibulkHeader(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int cr = findLineEnd(in, start + 1, MAX_LENGTH_DIGITS);
        if (cr == NEED_MORE) {
            return false;
        }
        long n = cr == INVALID ? BAD_NUMBER : parseNumber(in, start + 1, cr);
        if (n == BAD_NUMBER || n < -1) {
            return fail(in, out, INVALID_MULTIBULK_LENGTH);
        }
        if (n > limits.maxArgs()) {
            return fail(in, out, TOO_MANY_ARGS);
        }
        in.readerIndex(cr + 2);
        if (n <= 0) {
            // *0 and *-1 (empty and null arrays) are ignored, as Redis does.
            return true;
        }
        requestBytes = cr + 2 - start;
        argsRemaining = (int) n;
        args = new ArrayList<>((int) Math.min(n, 16));
        state = State.BULK_HEADER;
        return true;
    }

    private boolean bulkHeader(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return false;
        }
        int start = in.readerIndex();
        byte prefix = in.getByte(start);
        if (prefix != '$') {
            return fail(in, out, "Protocol error: expected '$', got '" + printable(prefix) + "'");
        }
        int cr = findLineEnd(in, start + 1, MAX_LENGTH_DIGITS);
        if (cr == NEED_MORE) {
            return false;
        }
        long len = cr == INVALID ? BAD_NUMBER : parseNumber(in, start + 1, cr);
        if (len == BAD_NUMBER || len < 0 || len > limits.maxBulkBytes()) {
            return fail(in, out, INVALID_BULK_LENGTH);
        }
        int headerBytes = cr + 2 - start;
        if (requestBytes + headerBytes + len + 2 > limits.maxRequestBytes()) {
            return fail(in, out, TOO_BIG_REQUEST);
        }
        in.readerIndex(cr + 2);
        requestBytes += headerBytes;
        bulkLength = (int) len;
        state = State.BULK_DATA;
        return true;
    }

    private boolean bulkData(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        // Fail early on a wrong terminator as soon as its first byte is there.
        if (readable > bulkLength && in.getByte(start + bulkLength) != '\r'
                || readable > bulkLength + 1 && in.getByte(start + bulkLength + 1) != '\n') {
            return fail(in, out, BULK_NOT_TERMINATED);
        }
        if (readable < bulkLength + 2) {
            return false;
        }
        byte[] arg;
        if (bulkLength == 0) {
            arg = EMPTY;
        } else {
            arg = new byte[bulkLength];
            in.readBytes(arg);
        }
        in.skipBytes(2);
        requestBytes += bulkLength + 2;
        args.add(arg);
        if (--argsRemaining == 0) {
            out.add(new RespRequest(args));
            args = null;
            requestBytes = 0;
            state = State.START;
        } else {
            state = State.BULK_HEADER;
        }
        return true;
    }

    private boolean inline(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int max = limits.maxInlineBytes();
        // A line of max bytes plus "\r\n".
        int window = (int) Math.min(readable, (long) max + 2);
        int nl = in.indexOf(start + Math.min(inlineScanned, window), start + window, (byte) '\n');
        if (nl < 0) {
            if (readable >= (long) max + 2) {
                return fail(in, out, TOO_BIG_INLINE);
            }
            inlineScanned = window;
            return false;
        }
        inlineScanned = 0;
        int end = nl;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        if (end - start > max) {
            return fail(in, out, TOO_BIG_INLINE);
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        List<byte[]> words = InlineSplitter.split(line);
        if (words == null) {
            return fail(in, out, UNBALANCED_QUOTES);
        }
        if (words.size() > limits.maxArgs()) {
            return fail(in, out, TOO_MANY_ARGS);
        }
        in.readerIndex(nl + 1);
        if (!words.isEmpty()) {
            // An empty line is ignored, as Redis does.
            out.add(new RespRequest(words));
        }
        return true;
    }

    private boolean fail(ByteBuf in, List<Object> out, String message) {
        out.add(new RespProtocolError(message));
        state = State.FAILED;
        inlineScanned = 0;
        args = null;
        in.skipBytes(in.readableBytes());
        return false;
    }

    private static final int NEED_MORE = -1;
    private static final int INVALID = -2;
    private static final long BAD_NUMBER = Long.MIN_VALUE;

    /**
     * Finds the CRLF ending a line that starts at {@code from} and has at most {@code maxLength}
     * bytes: returns the index of its CR, {@link #NEED_MORE} or {@link #INVALID} (too long, or a
     * CR not followed by LF).
     */
    private static int findLineEnd(ByteBuf in, int from, int maxLength) {
        int end = in.writerIndex();
        int searchEnd = (int) Math.min(end, (long) from + maxLength + 1);
        int cr = from >= searchEnd ? -1 : in.indexOf(from, searchEnd, (byte) '\r');
        if (cr < 0) {
            return end - from > maxLength ? INVALID : NEED_MORE;
        }
        if (cr + 1 >= end) {
            return NEED_MORE;
        }
        return in.getByte(cr + 1) == '\n' ? cr : INVALID;
    }

    /**
     * Parses a decimal integer in {@code [from, to)} as Redis's {@code string2ll} does: an optional
     * minus sign, no plus sign, no leading zeros, no spaces. Returns {@link #BAD_NUMBER} if invalid.
     */
    private static long parseNumber(ByteBuf in, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && in.getByte(i) == '-') {
            negative = true;
            i++;
        }
        if (i >= to || to - i > 18) {
            return BAD_NUMBER;
        }
        byte first = in.getByte(i);
        if (first == '0') {
            return to - i == 1 && !negative ? 0 : BAD_NUMBER;
        }
        long value = 0;
        for (; i < to; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return BAD_NUMBER;
            }
            value = value * 10 + (b - '0');
        }
        return negative ? -value : value;
    }

    private static String printable(byte b) {
        int c = b & 0xff;
        return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }
}
