package dev.ballot.bench.load;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespReplyReaderTest {

    private static RespReplyReader reader(String bytes) {
        return new RespReplyReader(new ByteArrayInputStream(bytes.getBytes(UTF_8)));
    }

    /** Hands out at most one byte per read call: every reply arrives split at every byte. */
    private static InputStream oneByteAtATime(String bytes) {
        return new ByteArrayInputStream(bytes.getBytes(UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void readsEveryReplyType() throws IOException {
        RespReplyReader r = reader("+OK\r\n-TRYAGAIN no leader yet\r\n:-42\r\n$5\r\nhello\r\n$-1\r\n$0\r\n\r\n"
                + "*2\r\n:1\r\n$1\r\nx\r\n*-1\r\n*0\r\n");
        assertThat(r.read()).isEqualTo(new Reply.Simple("OK"));
        assertThat(r.read()).isEqualTo(new Reply.Error("TRYAGAIN no leader yet"));
        assertThat(r.read()).isEqualTo(new Reply.Integer(-42));
        assertThat(((Reply.Bulk) r.read()).utf8()).isEqualTo("hello");
        assertThat(((Reply.Bulk) r.read()).isNull()).isTrue();
        assertThat(((Reply.Bulk) r.read()).bytes()).isEmpty();
        Reply.Array array = (Reply.Array) r.read();
        assertThat(array.elements()).hasSize(2);
        assertThat(array.elements().get(0)).isEqualTo(new Reply.Integer(1));
        assertThat(((Reply.Bulk) array.elements().get(1)).utf8()).isEqualTo("x");
        assertThat(((Reply.Array) r.read()).elements()).isNull();
        assertThat(((Reply.Array) r.read()).elements()).isEmpty();
    }

    @Test
    void bulkStringsAreBinarySafe() throws IOException {
        Reply.Bulk bulk = (Reply.Bulk) reader("$6\r\na\r\nb\0c\r\n").read();
        assertThat(bulk.bytes()).containsExactly('a', '\r', '\n', 'b', 0, 'c');
    }

    @Test
    void errorKindIsTheFirstWord() {
        assertThat(new Reply.Error("TRYAGAIN no leader yet").kind()).isEqualTo("TRYAGAIN");
        assertThat(new Reply.Error("BUSY").kind()).isEqualTo("BUSY");
        assertThat(new Reply.Error("").kind()).isEmpty();
    }

    @Test
    void repliesSplitAtEveryByteReadTheSame() throws IOException {
        String stream = "+OK\r\n*3\r\n$3\r\nabc\r\n-ERR x y\r\n*1\r\n:7\r\n$-1\r\n";
        RespReplyReader whole = reader(stream);
        RespReplyReader split = new RespReplyReader(oneByteAtATime(stream));
        for (int i = 0; i < 3; i++) {
            assertThat(describe(split.read())).isEqualTo(describe(whole.read()));
        }
        assertThat(describe(new RespReplyReader(oneByteAtATime("*2\r\n$2\r\nhi\r\n:5\r\n")).read()))
                .isEqualTo("[hi, 5]");
    }

    @Test
    void utf8LinesAreDecoded() throws IOException {
        assertThat(reader("-ERR clé inconnue\r\n").read()).isEqualTo(new Reply.Error("ERR clé inconnue"));
    }

    @Test
    void malformedRepliesAreProtocolErrors() {
        assertThatThrownBy(() -> reader("?what\r\n").read()).isInstanceOf(RespProtocolException.class)
                .hasMessageContaining("0x3f");
        assertThatThrownBy(() -> reader(":12a\r\n").read()).isInstanceOf(RespProtocolException.class)
                .hasMessageContaining("12a");
        assertThatThrownBy(() -> reader("$-2\r\n").read()).isInstanceOf(RespProtocolException.class);
        assertThatThrownBy(() -> reader("$3\r\nabcd\r\n").read()).isInstanceOf(RespProtocolException.class)
                .hasMessageContaining("CRLF");
        assertThatThrownBy(() -> reader("+OK\rX").read()).isInstanceOf(RespProtocolException.class);
        assertThatThrownBy(() -> reader("*" + (RespReplyReader.MAX_ARRAY_ELEMENTS + 1) + "\r\n").read())
                .isInstanceOf(RespProtocolException.class);
    }

    @Test
    void aClosedConnectionIsAnEofNotAReply() {
        for (String truncated : List.of("", "+OK", "$5\r\nhel", "$5\r\nhello", "*2\r\n:1\r\n")) {
            assertThatThrownBy(() -> reader(truncated).read()).as(truncated).isInstanceOf(EOFException.class);
        }
    }

    private static String describe(Reply reply) {
        return switch (reply) {
            case Reply.Simple s -> "+" + s.text();
            case Reply.Error e -> "-" + e.message();
            case Reply.Integer i -> String.valueOf(i.value());
            case Reply.Bulk b -> b.isNull() ? "nil" : b.utf8();
            case Reply.Array a -> a.elements() == null ? "nil[]"
                    : a.elements().stream().map(RespReplyReaderTest::describe).toList().toString();
        };
    }
}
