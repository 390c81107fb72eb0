package dev.ballot.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RespDecoderTest {

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code input} in chunks of {@code chunk} bytes and returns everything decoded. */
    static List<Object> decode(RespDecoder decoder, byte[] input, int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        for (int i = 0; i < input.length; i += chunk) {
            int n = Math.min(chunk, input.length - i);
            ch.writeInbound(Unpooled.wrappedBuffer(input, i, n));
        }
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    static List<Object> decode(String input) {
        return decode(new RespDecoder(), bytes(input), Integer.MAX_VALUE);
    }

    static byte[] multibulk(byte[]... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes("*" + args.length + "\r\n"));
        for (byte[] a : args) {
            out.writeBytes(bytes("$" + a.length + "\r\n"));
            out.writeBytes(a);
            out.writeBytes(bytes("\r\n"));
        }
        return out.toByteArray();
    }

    static byte[] multibulk(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return multibulk(b);
    }

    @Test
    void multibulkRequest() {
        assertThat(decode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n"))
                .containsExactly(RespRequest.of("SET", "k", "value"));
    }

    @Test
    void emptyBulkArgument() {
        assertThat(decode("*2\r\n$3\r\nGET\r\n$0\r\n\r\n")).containsExactly(RespRequest.of("GET", ""));
    }

    @Test
    void commandName() {
        RespRequest r = (RespRequest) decode("*1\r\n$4\r\nping\r\n").get(0);
        assertThat(r.command()).isEqualTo("PING");
        assertThat(r.argCount()).isEqualTo(1);
    }

    @Test
    void emptyAndNullArraysAreIgnoredAsRedisDoes() {
        assertThat(decode("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n")).containsExactly(RespRequest.of("PING"));
    }

    @Test
    void inlineCommands() {
        assertThat(decode("PING\r\nGET k\r\nSET  k   v\n\r\n   \r\nECHO\tx\r\n")).containsExactly(
                RespRequest.of("PING"), RespRequest.of("GET", "k"), RespRequest.of("SET", "k", "v"),
                RespRequest.of("ECHO", "x"));
    }

    @Test
    void inlineQuotingLikeRedis() {
        assertThat(decode("SET \"a b\" 'c d'\r\n")).containsExactly(RespRequest.of("SET", "a b", "c d"));
        assertThat(decode("SET k \"x\\r\\n\\x00\\\"\\\\\"\r\n"))
                .containsExactly(RespRequest.of("SET", "k", "x\r\n\u0000\"\\"));
        assertThat(decode("SET k 'it\\'s' \"\"\r\n")).containsExactly(RespRequest.of("SET", "k", "it's", ""));
        assertThat(decode("SET k'v'\r\n")).containsExactly(RespRequest.of("SET", "kv"));
    }

    @Test
    void mixedInlineAndMultibulk() {
        assertThat(decode("PING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n")).containsExactly(
                RespRequest.of("PING"), RespRequest.of("GET", "k"), RespRequest.of("PING"));
    }

    @Test
    void binarySafeArguments() {
        byte[] value = {'\r', '\n', 0, '\r', '$', '3', '\r', '\n', '*', (byte) 0xff, '\n'};
        List<Object> out = decode(new RespDecoder(), multibulk(bytes("SET"), bytes("k\r\n"), value), 1 << 20);
        assertThat(out).hasSize(1);
        RespRequest r = (RespRequest) out.get(0);
        assertThat(r.arg(1)).isEqualTo(bytes("k\r\n"));
        assertThat(r.arg(2)).isEqualTo(value);
    }

    @Test
    void byteByByte() {
        byte[] input = new ByteArrayOutputStream() {
            {
                writeBytes(multibulk("SET", "key", "a\r\nb"));
                writeBytes(bytes("PING\r\n"));
                writeBytes(multibulk("GET", "key"));
                writeBytes(bytes("ECHO 'x y'\n"));
            }
        }.toByteArray();
        for (int chunk : new int[] {1, 2, 3, 5, 7, 13}) {
            assertThat(decode(new RespDecoder(), input, chunk)).as("chunk %d", chunk).containsExactly(
                    RespRequest.of("SET", "key", "a\r\nb"), RespRequest.of("PING"),
                    RespRequest.of("GET", "key"), RespRequest.of("ECHO", "x y"));
        }
    }

    @Test
    void thousandPipelinedRequestsInOneBuffer() {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        List<RespRequest> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            if (i % 10 == 9) {
                in.writeBytes(bytes("INCR counter" + i + "\r\n"));
                expected.add(RespRequest.of("INCR", "counter" + i));
            } else {
                in.writeBytes(multibulk("SET", "key:" + i, "value-" + i));
                expected.add(RespRequest.of("SET", "key:" + i, "value-" + i));
            }
        }
        assertThat(decode(new RespDecoder(), in.toByteArray(), Integer.MAX_VALUE))
                .containsExactlyElementsOf(expected);
        // And the same stream in odd-sized reads.
        assertThat(decode(new RespDecoder(), in.toByteArray(), 1000)).containsExactlyElementsOf(expected);
    }

    @Test
    void largeValueUpToTheLimit() {
        RespLimits limits = new RespLimits(1000, 10, 100, 2000);
        byte[] value = new byte[1000];
        value[999] = 7;
        List<Object> out = decode(new RespDecoder(limits), multibulk(bytes("SET"), bytes("k"), value), 64);
        assertThat(out).hasSize(1);
        assertThat(((RespRequest) out.get(0)).arg(2)).isEqualTo(value);
    }

    @Test
    void nothingIsBufferedBeyondOneElement() {
        RespDecoder decoder = new RespDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(Unpooled.wrappedBuffer(bytes("*2\r\n$3\r\nGET\r\n$10\r\n01234")));
        Object none = ch.readInbound();
        assertThat(none).isNull();
        assertThat(decoder.bufferedBytes()).isEqualTo(5);
        ch.writeInbound(Unpooled.wrappedBuffer(bytes("56789\r\n")));
        Object request = ch.readInbound();
        assertThat(request).isEqualTo(RespRequest.of("GET", "0123456789"));
        assertThat(decoder.bufferedBytes()).isZero();
        ch.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            *x\\r\\n                          | Protocol error: invalid multibulk length
            *\\r\\n                           | Protocol error: invalid multibulk length
            *+1\\r\\n                         | Protocol error: invalid multibulk length
            *01\\r\\n                         | Protocol error: invalid multibulk length
            *1 \\r\\n                         | Protocol error: invalid multibulk length
            *-2\\r\\n                         | Protocol error: invalid multibulk length
            *1\\rX                            | Protocol error: invalid multibulk length
            *99999999999999999999999\\r\\n    | Protocol error: invalid multibulk length
            *11\\r\\n                         | Protocol error: too many arguments
            *1\\r\\nx                         | Protocol error: expected '$', got 'x'
            *1\\r\\n\\r\\n                    | Protocol error: expected '$', got '\\x0d'
            *1\\r\\n$x\\r\\n                  | Protocol error: invalid bulk length
            *1\\r\\n$-1\\r\\n                 | Protocol error: invalid bulk length
            *1\\r\\n$\\r\\n                   | Protocol error: invalid bulk length
            *1\\r\\n$101\\r\\n                | Protocol error: invalid bulk length
            *1\\r\\n$1\\nx                    | Protocol error: invalid bulk length
            *1\\r\\n$3\\r\\nabcX              | Protocol error: bulk string not terminated by CRLF
            *1\\r\\n$3\\r\\nabc\\rX           | Protocol error: bulk string not terminated by CRLF
            SET "k\\r\\n                      | Protocol error: unbalanced quotes in request
            SET "k"x\\r\\n                    | Protocol error: unbalanced quotes in request
            SET 'k\\r\\n                      | Protocol error: unbalanced quotes in request
            """)
    void protocolErrors(String escaped, String message) {
        String input = escaped.replace("\\r", "\r").replace("\\n", "\n");
        RespLimits limits = new RespLimits(100, 10, 20, 150);
        String trailer = "*1\r\n$4\r\nPING\r\nPING\r\n";
        for (int chunk : new int[] {1, 3, Integer.MAX_VALUE}) {
            RespDecoder decoder = new RespDecoder(limits);
            assertThat(decode(decoder, bytes(input + trailer), chunk)).as("chunk %d", chunk)
                    .containsExactly(new RespProtocolError(message));
            assertThat(decoder.failed()).isTrue();
        }
    }

    @Test
    void tooBigInlineRequest() {
        RespLimits limits = new RespLimits(100, 10, 20, 150);
        String line = "GET " + "k".repeat(17); // 21 bytes
        assertThat(decode(new RespDecoder(limits), bytes(line + "\r\nPING\r\n"), 1))
                .containsExactly(new RespProtocolError("Protocol error: too big inline request"));
        // Without any newline the decoder gives up once more than the limit is buffered.
        RespDecoder decoder = new RespDecoder(limits);
        assertThat(decode(decoder, bytes("x".repeat(22)), 1))
                .containsExactly(new RespProtocolError("Protocol error: too big inline request"));
        // Exactly at the limit is fine, with either terminator.
        String ok = "GET " + "k".repeat(16);
        assertThat(decode(new RespDecoder(limits), bytes(ok + "\r\n" + ok + "\n"), 1))
                .containsExactly(RespRequest.of("GET", "k".repeat(16)), RespRequest.of("GET", "k".repeat(16)));
    }

    @Test
    void tooManyInlineArguments() {
        RespLimits limits = new RespLimits(100, 3, 100, 150);
        assertThat(decode(new RespDecoder(limits), bytes("a b c\r\na b c d\r\nPING\r\n"), 1)).containsExactly(
                RespRequest.of("a", "b", "c"), new RespProtocolError("Protocol error: too many arguments"));
    }

    @Test
    void requestsBeforeAnErrorAreEmittedInOrder() {
        assertThat(decode("PING\r\n*1\r\n$4\r\nECHO\r\n*1\r\n!garbage\r\nPING\r\n")).containsExactly(
                RespRequest.of("PING"), RespRequest.of("ECHO"),
                new RespProtocolError("Protocol error: expected '$', got '!'"));
    }

    @Test
    void requestSizeCountsAllWireBytes() {
        // *2\r\n (4) + $3\r\nSET\r\n (9) + $5\r\nvalue\r\n (11) = 24 bytes.
        byte[] request = multibulk("SET", "value");
        assertThat(request).hasSize(24);
        assertThat(decode(new RespDecoder(new RespLimits(100, 10, 100, 24)), request, 1))
                .containsExactly(RespRequest.of("SET", "value"));
        assertThat(decode(new RespDecoder(new RespLimits(100, 10, 100, 23)), request, 1))
                .containsExactly(new RespProtocolError("Protocol error: too big request"));
    }

    @Test
    void hugeDeclaredLengthsAllocateNothing() {
        // The defaults: 2 MiB bulk, 4 MiB per request. These are rejected on the header alone.
        assertThat(decode("*2147483647\r\n")).containsExactly(
                new RespProtocolError("Protocol error: too many arguments"));
        assertThat(decode("*1\r\n$536870912\r\n")).containsExactly(
                new RespProtocolError("Protocol error: invalid bulk length"));
        assertThat(decode("*3\r\n$2097153\r\n")).containsExactly(
                new RespProtocolError("Protocol error: invalid bulk length"));
        assertThat(decode("*3\r\n$2097152\r\n" + "x".repeat(10))).isEmpty();
        // Two 2 MiB arguments fit the bulk limit but not the 4 MiB request limit.
        assertThat(decode("*3\r\n$2097152\r\n" + "x".repeat(2097152) + "\r\n$2097152\r\n")).containsExactly(
                new RespProtocolError("Protocol error: too big request"));
    }

    @Test
    void inlineAtTheDefaultLimitInManyReads() {
        String arg = "v".repeat(RespLimits.DEFAULT_MAX_INLINE_BYTES - 4);
        byte[] ok = bytes("SET " + arg + "\r\n");
        assertThat(decode(new RespDecoder(), ok, 1000)).containsExactly(RespRequest.of("SET", arg));
        byte[] tooBig = bytes("SET " + arg + "v\r\n");
        assertThat(decode(new RespDecoder(), tooBig, 1000)).containsExactly(
                new RespProtocolError("Protocol error: too big inline request"));
    }

    @Test
    void failedDecoderKeepsNothing() {
        RespDecoder decoder = new RespDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(Unpooled.wrappedBuffer(bytes("*1\r\n$-5\r\n*1\r\n$4\r\nPING\r\n")));
        Object error = ch.readInbound();
        assertThat(error).isEqualTo(new RespProtocolError("Protocol error: invalid bulk length"));
        assertThat(decoder.failed()).isTrue();
        ch.writeInbound(Unpooled.wrappedBuffer(bytes("*1\r\n$4\r\nPING\r\n")));
        Object nothing = ch.readInbound();
        assertThat(nothing).isNull();
        assertThat(decoder.bufferedBytes()).isZero();
        ch.finishAndReleaseAll();
    }
}
