package dev.ballot.node.wire;

import dev.ballot.raft.Entry;
import dev.ballot.raft.EntryType;
import dev.ballot.raft.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecRoundTripTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void randomMessagesRoundTrip() throws Exception {
        RandomMessages gen = new RandomMessages(0xBA11_07L);
        for (int i = 0; i < 20_000; i++) {
            Message m = gen.next();
            byte[] body = codec.encode(m);
            assertThat(body).as("encodedSize of %s", m).hasSize((int) codec.encodedSize(m));
            assertThat(codec.decode(body)).as("message %d", i).isEqualTo(m);
        }
    }

    @Test
    void encodingIntoByteBufAtAnOffsetAndDecodingAdvancesTheReaderIndex() throws Exception {
        RandomMessages gen = new RandomMessages(7);
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(new byte[]{9, 9, 9});
            buf.skipBytes(3);
            for (int i = 0; i < 1000; i++) {
                Message m = gen.next();
                codec.encode(m, buf);
                assertThat(codec.decode(buf)).isEqualTo(m);
                assertThat(buf.readableBytes()).isZero();
            }
        } finally {
            buf.release();
        }
    }

    @Test
    void emptyEntryList() throws Exception {
        var m = new Message.AppendEntries(1, 2, 3, 4, 5, List.of(), 6);
        assertThat(codec.decode(codec.encode(m))).isEqualTo(m);
    }

    @Test
    void manyEntries() throws Exception {
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i <= 100_000; i++) {
            entries.add(i % 7 == 0 ? Entry.noop(i, 3) : Entry.command(i, 3, new byte[]{(byte) i}));
        }
        var m = new Message.AppendEntries(1, 2, 3, 0, 0, entries, 50_000);
        assertThat(codec.decode(codec.encode(m))).isEqualTo(m);
    }

    @Test
    void largeDataUpToTheMaxFrameSize() throws Exception {
        int overhead = (int) codec.encodedSize(new Message.AppendEntries(1, 2, 3, 4, 5,
                List.of(Entry.command(1, 1, new byte[0])), 6));
        byte[] data = new byte[MessageCodec.DEFAULT_MAX_FRAME_SIZE - overhead];
        new java.util.Random(3).nextBytes(data);
        var m = new Message.AppendEntries(1, 2, 3, 4, 5, List.of(Entry.command(1, 1, data)), 6);
        byte[] body = codec.encode(m);
        assertThat(body).hasSize(MessageCodec.DEFAULT_MAX_FRAME_SIZE);
        assertThat(codec.decode(body)).isEqualTo(m);
    }

    @Test
    void emptyCommandDataAndNoopWithData() throws Exception {
        var m = new Message.AppendEntries(1, 2, 3, 4, 5, List.of(
                Entry.command(1, 1, new byte[0]),
                new Entry(2, 1, EntryType.NOOP, new byte[]{1, 2, 3})), 6);
        assertThat(codec.decode(codec.encode(m))).isEqualTo(m);
    }

    @Test
    void extremeFieldValues() throws Exception {
        for (long v : new long[]{0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            List<Message> all = List.of(
                    new Message.RequestVote(v, v, v, v, v, true),
                    new Message.RequestVoteResponse(v, v, v, true, false),
                    new Message.AppendEntries(v, v, v, v, v, List.of(Entry.noop(Long.MAX_VALUE, Long.MAX_VALUE)), v),
                    new Message.AppendEntriesResponse(v, v, v, false, v, v, v, v),
                    new Message.Heartbeat(v, v, v, v, v),
                    new Message.HeartbeatResponse(v, v, v, v));
            for (Message m : all) {
                assertThat(codec.decode(codec.encode(m))).isEqualTo(m);
            }
        }
    }

    @Test
    void encodingAMessageLargerThanTheMaxFrameSizeFailsAndWritesNothing() {
        MessageCodec small = new MessageCodec(100);
        var m = new Message.AppendEntries(1, 2, 3, 4, 5, List.of(Entry.command(1, 1, new byte[100])), 6);
        ByteBuf buf = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> small.encode(m, buf))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("AppendEntries encodes to 175 bytes, more than the max frame size of 100 bytes");
            assertThat(buf.writerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void frameIsTheLengthPrefixThenTheBody() {
        var m = new Message.HeartbeatResponse(1, 2, 3, 4);
        byte[] body = codec.encode(m);
        byte[] frame = codec.encodeFrame(m);
        assertThat(frame).hasSize(4 + body.length);
        assertThat(java.util.Arrays.copyOfRange(frame, 0, 4)).containsExactly(0, 0, 0, body.length);
        assertThat(java.util.Arrays.copyOfRange(frame, 4, frame.length)).isEqualTo(body);
    }

    @Test
    void rejectsATinyMaxFrameSize() {
        assertThatThrownBy(() -> new MessageCodec(10)).isInstanceOf(IllegalArgumentException.class);
    }
}
