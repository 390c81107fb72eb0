package dev.ballot.node.wire;

import dev.ballot.raft.Entry;
import dev.ballot.raft.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageFrameDecoderTest {

    private final MessageCodec codec = new MessageCodec();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    private EmbeddedChannel channel(MessageCodec c) {
        EmbeddedChannel ch = new EmbeddedChannel(new MessageFrameDecoder(c), new MessageEncoder(c));
        channels.add(ch);
        return ch;
    }

    @AfterEach
    void closeChannels() {
        for (EmbeddedChannel ch : channels) ch.finishAndReleaseAll();
    }

    private static List<Message> readAll(EmbeddedChannel ch) {
        List<Message> read = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) read.add((Message) m);
        return read;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void encoderWritesTheLengthPrefixedFrame() {
        EmbeddedChannel ch = channel(codec);
        Message m = new Message.AppendEntries(1, 2, 7, 41, 6, List.of(Entry.command(42, 7, new byte[]{1, 2})), 40);
        assertThat(ch.writeOutbound(m)).isTrue();
        ByteBuf out = ch.readOutbound();
        try {
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            assertThat(bytes).isEqualTo(codec.encodeFrame(m));
        } finally {
            out.release();
        }
    }

    @Test
    void encoderRejectsAMessageBeyondTheMaxFrameSize() {
        EmbeddedChannel ch = channel(new MessageCodec(100));
        Message m = new Message.AppendEntries(1, 2, 7, 41, 6, List.of(Entry.command(42, 7, new byte[200])), 40);
        assertThatThrownBy(() -> ch.writeOutbound(m))
                .isInstanceOf(EncoderException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void encoderOutputDecodesBack() {
        EmbeddedChannel sender = channel(codec);
        EmbeddedChannel receiver = channel(codec);
        RandomMessages gen = new RandomMessages(5);
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Message m = gen.next();
            sent.add(m);
            sender.writeOutbound(m);
            ByteBuf frame = sender.readOutbound();
            receiver.writeInbound(frame);
        }
        assertThat(readAll(receiver)).isEqualTo(sent);
    }

    @Test
    void framesSplitAcrossManyReads() {
        EmbeddedChannel ch = channel(codec);
        RandomMessages gen = new RandomMessages(11);
        List<Message> sent = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Message m = gen.next();
            sent.add(m);
            frames.add(codec.encodeFrame(m));
        }
        byte[] stream = concat(frames);
        Random random = new Random(12);
        int at = 0;
        while (at < stream.length) {
            int n = Math.min(stream.length - at, random.nextInt(3) == 0 ? 1 : 1 + random.nextInt(200));
            ch.writeInbound(Unpooled.wrappedBuffer(stream, at, n));
            at += n;
        }
        assertThat(readAll(ch)).isEqualTo(sent);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void oneByteAtATime() {
        EmbeddedChannel ch = channel(codec);
        Message m = new Message.RequestVote(1, 2, 7, 41, 6, true);
        byte[] frame = codec.encodeFrame(m);
        for (int i = 0; i < frame.length; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(frame, i, 1));
            if (i < frame.length - 1) assertThat((Object) ch.readInbound()).isNull();
        }
        assertThat(readAll(ch)).containsExactly(m);
    }

    @Test
    void severalFramesInOneRead() {
        EmbeddedChannel ch = channel(codec);
        List<Message> sent = List.of(
                new Message.Heartbeat(1, 2, 7, 40, 3),
                new Message.HeartbeatResponse(2, 1, 7, 3),
                new Message.AppendEntries(1, 2, 7, 41, 6, List.of(Entry.noop(42, 7)), 40),
                Message.AppendEntriesResponse.accepted(2, 1, 7, 42));
        List<byte[]> frames = new ArrayList<>();
        for (Message m : sent) frames.add(codec.encodeFrame(m));
        ch.writeInbound(Unpooled.wrappedBuffer(concat(frames)));
        assertThat(readAll(ch)).isEqualTo(sent);
    }

    @Test
    void oversizedLengthPrefixClosesTheChannelBeforeTheBodyArrives() {
        EmbeddedChannel ch = channel(codec);
        // only the prefix: the decoder must not wait for (or buffer) 4 GiB of body
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
        assertThat(ch.isOpen()).isFalse();
        assertThat(readAll(ch)).isEmpty();
    }

    @Test
    void lengthPrefixJustBeyondAConfiguredMaxFrameSizeClosesTheChannel() {
        EmbeddedChannel ch = channel(new MessageCodec(1000));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{0, 0, 0x03, (byte) 0xe9, 1, 5}));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void lengthPrefixAtTheMaxFrameSizeWaitsForTheBody() {
        EmbeddedChannel ch = channel(new MessageCodec(1000));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{0, 0, 0x03, (byte) 0xe8, 1, 5}));
        assertThat(ch.isOpen()).isTrue();
        assertThat(readAll(ch)).isEmpty();
    }

    @Test
    void garbageFrameClosesTheChannel() {
        EmbeddedChannel ch = channel(codec);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'}));
        assertThat(ch.isOpen()).isFalse();
        assertThat(readAll(ch)).isEmpty();
    }

    @Test
    void emptyFrameClosesTheChannel() {
        EmbeddedChannel ch = channel(codec);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{0, 0, 0, 0}));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void framesBeforeAGarbageFrameAreDeliveredAndNothingAfterIt() {
        EmbeddedChannel ch = channel(codec);
        Message good = new Message.HeartbeatResponse(2, 1, 7, 0);
        byte[] garbage = {0, 0, 0, 2, 9, 9};
        ch.writeInbound(Unpooled.wrappedBuffer(concat(List.of(codec.encodeFrame(good), garbage, codec.encodeFrame(good)))));
        assertThat(ch.isOpen()).isFalse();
        assertThat(readAll(ch)).containsExactly(good);
    }

    @Test
    void mutatedStreamsOnlyEverDecodeOrClose() {
        RandomMessages gen = new RandomMessages(99);
        Random random = gen.random();
        MessageCodec small = new MessageCodec(64 * 1024);
        for (int i = 0; i < 2_000; i++) {
            Message m = gen.next();
            if (small.encodedSize(m) > small.maxFrameSize()) continue;
            byte[] frame = small.encodeFrame(m);
            byte[] mutated = MessageCodecFuzzTest.mutate(frame, random);
            EmbeddedChannel ch = new EmbeddedChannel(new MessageFrameDecoder(small));
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(mutated));
                List<Message> read = readAll(ch);
                assertThat(read.size()).isLessThanOrEqualTo(1);
                if (!read.isEmpty()) {
                    // a decoded message is exactly the stream's first frame (garbage may follow it)
                    byte[] first = small.encodeFrame(read.getFirst());
                    assertThat(java.util.Arrays.copyOf(mutated, Math.min(mutated.length, first.length))).isEqualTo(first);
                }
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }
}
