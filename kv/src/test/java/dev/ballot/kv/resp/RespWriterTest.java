package dev.ballot.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespWriterTest {

    private static String encode(RespReply reply) {
        EmbeddedChannel ch = new EmbeddedChannel(new RespEncoder());
        assertThat(ch.writeOutbound(reply)).isTrue();
        ByteBuf buf = ch.readOutbound();
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
            assertThat(ch.finish()).isFalse();
        }
    }

    private static String write(RespReply reply) {
        ByteBuf buf = Unpooled.buffer();
        try {
            RespWriter.write(buf, reply);
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    @Test
    void simpleString() {
        assertThat(encode(RespReply.OK)).isEqualTo("+OK\r\n");
        assertThat(encode(RespReply.PONG)).isEqualTo("+PONG\r\n");
        assertThat(encode(RespReply.simple(""))).isEqualTo("+\r\n");
    }

    @Test
    void simpleStringRejectsLineBreaks() {
        assertThatThrownBy(() -> RespReply.simple("a\r\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RespReply.simple("a\nb")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void error() {
        assertThat(encode(RespReply.err("unknown command"))).isEqualTo("-ERR unknown command\r\n");
        assertThat(encode(new RespReply.ErrorReply("WRONGTYPE Operation against a key")))
                .isEqualTo("-WRONGTYPE Operation against a key\r\n");
        assertThat(encode(RespReply.err("multi\r\nline"))).isEqualTo("-ERR multi  line\r\n");
    }

    @Test
    void integer() {
        assertThat(encode(RespReply.integer(0))).isEqualTo(":0\r\n");
        assertThat(encode(RespReply.integer(7))).isEqualTo(":7\r\n");
        assertThat(encode(RespReply.integer(1000))).isEqualTo(":1000\r\n");
        assertThat(encode(RespReply.integer(-1))).isEqualTo(":-1\r\n");
        assertThat(encode(RespReply.integer(Long.MAX_VALUE))).isEqualTo(":9223372036854775807\r\n");
        assertThat(encode(RespReply.integer(Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
    }

    @Test
    void bulk() {
        assertThat(encode(RespReply.bulk("hello"))).isEqualTo("$5\r\nhello\r\n");
        assertThat(encode(RespReply.bulk(new byte[0]))).isEqualTo("$0\r\n\r\n");
        assertThat(encode(RespReply.NIL)).isEqualTo("$-1\r\n");
        assertThat(encode(RespReply.bulk((byte[]) null))).isEqualTo("$-1\r\n");
    }

    @Test
    void bulkIsBinarySafe() {
        byte[] value = {'a', '\r', '\n', 0, (byte) 0xff, 'z'};
        assertThat(encode(RespReply.bulk(value)))
                .isEqualTo("$6\r\na\r\n\u0000\u00ffz\r\n");
    }

    @Test
    void bulkLengthIsBytesNotChars() {
        assertThat(write(RespReply.bulk("é"))).isEqualTo("$2\r\n\u00c3\u00a9\r\n");
    }

    @Test
    void array() {
        assertThat(encode(RespReply.EMPTY_ARRAY)).isEqualTo("*0\r\n");
        assertThat(encode(RespReply.NIL_ARRAY)).isEqualTo("*-1\r\n");
        assertThat(encode(RespReply.array(RespReply.bulk("a"), RespReply.NIL, RespReply.integer(3))))
                .isEqualTo("*3\r\n$1\r\na\r\n$-1\r\n:3\r\n");
    }

    @Test
    void nestedArray() {
        RespReply reply = RespReply.array(
                RespReply.array(RespReply.integer(1), RespReply.integer(2)),
                RespReply.array(RespReply.OK, RespReply.err("x")),
                RespReply.NIL_ARRAY,
                RespReply.EMPTY_ARRAY);
        assertThat(encode(reply))
                .isEqualTo("*4\r\n*2\r\n:1\r\n:2\r\n*2\r\n+OK\r\n-ERR x\r\n*-1\r\n*0\r\n");
    }

    @Test
    void primitivesMatchRecords() {
        ByteBuf buf = Unpooled.buffer();
        try {
            RespWriter.writeArrayHeader(buf, 2);
            RespWriter.writeBulk(buf, "k".getBytes(StandardCharsets.US_ASCII));
            RespWriter.writeBulk(buf, null);
            RespWriter.writeNilArray(buf);
            RespWriter.writeSimpleString(buf, "OK");
            RespWriter.writeError(buf, "ERR e");
            RespWriter.writeInteger(buf, 42);
            assertThat(buf.toString(StandardCharsets.US_ASCII))
                    .isEqualTo("*2\r\n$1\r\nk\r\n$-1\r\n*-1\r\n+OK\r\n-ERR e\r\n:42\r\n");
        } finally {
            buf.release();
        }
    }

    @Test
    void protocolErrorReply() {
        assertThat(encode(new RespProtocolError("Protocol error: invalid bulk length").toReply()))
                .isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
    }

    @Test
    void unknownCommandLikeRedis() {
        assertThat(encode(RespReply.unknownCommand(RespRequest.of("foo", "a", "b"))))
                .isEqualTo("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n");
        assertThat(encode(RespReply.unknownCommand(RespRequest.of("foo"))))
                .isEqualTo("-ERR unknown command 'foo', with args beginning with: \r\n");
        String longArg = "a".repeat(200);
        assertThat(encode(RespReply.unknownCommand(RespRequest.of("foo", longArg, "b"))))
                .isEqualTo("-ERR unknown command 'foo', with args beginning with: '" + "a".repeat(128) + "' \r\n");
        assertThat(encode(RespReply.unknownCommand(RespRequest.of("foo\r\n", "x\ny"))))
                .isEqualTo("-ERR unknown command 'foo  ', with args beginning with: 'x y' \r\n");
    }

    @Test
    void pipelinedRepliesKeepOrder() {
        EmbeddedChannel ch = new EmbeddedChannel(new RespEncoder());
        ch.writeOutbound(RespReply.OK, RespReply.integer(1), RespReply.bulk("v"));
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        assertThat(sb).hasToString("+OK\r\n:1\r\n$1\r\nv\r\n");
        assertThat(List.of(ch.finish())).containsExactly(false);
    }
}
