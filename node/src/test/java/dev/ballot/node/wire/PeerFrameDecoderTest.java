package dev.ballot.node.wire;

import dev.ballot.node.transport.Forward;
import dev.ballot.raft.Entry;
import dev.ballot.raft.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PeerFrameCodec#writeFrame} and {@link PeerFrameDecoder}: the framing of a peer connection. */
class PeerFrameDecoderTest {

    private final PeerFrameCodec codec = new PeerFrameCodec(1024);
    /** For random messages, whose entries can be far larger than 1 KiB. */
    private final PeerFrameCodec large = new PeerFrameCodec(MessageCodec.DEFAULT_MAX_FRAME_SIZE);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    private EmbeddedChannel channel(PeerFrameCodec c) {
        EmbeddedChannel ch = new EmbeddedChannel(new PeerFrameDecoder(c));
        channels.add(ch);
        return ch;
    }

    @AfterEach
    void closeChannels() {
        for (EmbeddedChannel ch : channels) ch.finishAndReleaseAll();
    }

    private static List<Object> readAll(EmbeddedChannel ch) {
        List<Object> read = new ArrayList<>();
        Object f;
        while ((f = ch.readInbound()) != null) read.add(f);
        return read;
    }

    private static byte[] frame(PeerFrameCodec c, Object f) {
        ByteBuf buf = Unpooled.buffer();
        try {
            c.writeFrame(f, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Mostly Raft messages, sometimes a Hello or ReadIndex (the forward frames with value equality). */
    private static Object randomFrame(RandomMessages gen) {
        Random random = gen.random();
        return switch (random.nextInt(8)) {
            case 0 -> new Hello(gen.anyLong(), gen.anyLong());
            case 1 -> new Forward.ReadIndex(gen.anyLong());
            default -> gen.next();
        };
    }

    /** Any frame kind, including those carrying byte arrays (compared by their encoding). */
    private static Object anyFrame(RandomMessages gen) {
        Random random = gen.random();
        return switch (random.nextInt(6)) {
            case 0 -> new Hello(gen.anyLong(), gen.anyLong());
            case 1 -> new Forward.ReadIndex(gen.anyLong());
            case 2 -> new Forward.Propose(gen.anyLong(), randomBytes(random));
            case 3 -> new Forward.Reply(gen.anyLong(),
                    Forward.Outcome.values()[random.nextInt(Forward.Outcome.values().length)], gen.anyLong(),
                    gen.anyLong(), randomBytes(random));
            default -> gen.next();
        };
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(40)];
        random.nextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------ writeFrame

    @Test
    void writeFrameWritesTheLengthPrefixedFrame() {
        Message m = new Message.AppendEntries(1, 2, 7, 41, 6, List.of(Entry.command(42, 7, new byte[]{1, 2})), 40);
        byte[] written = frame(codec, m);
        assertThat(written).isEqualTo(new MessageCodec(1024).encodeFrame(m));
        assertThat(codec.frameSize(m)).isEqualTo(written.length);

        byte[] hello = frame(codec, new Hello(1, 2));
        assertThat(HexFormat.of().formatHex(hello)).isEqualTo("00000012" + "0140" + "0000000000000001" + "0000000000000002");
        assertThat(codec.frameSize(new Hello(1, 2))).isEqualTo(hello.length);
    }

    @Test
    void writeFrameAppendsAfterWhatIsAlreadyInTheBuffer() {
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeBytes(new byte[]{7, 7, 7});
            codec.writeFrame(new Forward.ReadIndex(5), out);
            assertThat(HexFormat.of().formatHex(ByteBufUtil.getBytes(out)))
                    .isEqualTo("070707" + "0000000a" + "0142" + "0000000000000005");
        } finally {
            out.release();
        }
    }

    @Test
    void writeFrameRejectsAFrameBeyondTheMaxFrameSizeAndWritesNothing() {
        PeerFrameCodec small = new PeerFrameCodec(100);
        Message m = new Message.AppendEntries(1, 2, 7, 41, 6, List.of(Entry.command(42, 7, new byte[200])), 40);
        Forward.Propose p = new Forward.Propose(5, new byte[200]);
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeBytes(new byte[]{1, 2, 3});
            assertThatThrownBy(() -> small.writeFrame(m, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> small.writeFrame(p, out)).isInstanceOf(IllegalArgumentException.class);
            assertThat(ByteBufUtil.getBytes(out)).containsExactly(1, 2, 3);
        } finally {
            out.release();
        }
    }

    @Test
    void writeFrameOutputDecodesBack() {
        EmbeddedChannel receiver = channel(large);
        RandomMessages gen = new RandomMessages(5);
        List<Object> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Object f = randomFrame(gen);
            sent.add(f);
            ByteBuf buf = Unpooled.buffer();
            large.writeFrame(f, buf);
            receiver.writeInbound(buf);
        }
        assertThat(readAll(receiver)).isEqualTo(sent);
        assertThat(receiver.isOpen()).isTrue();
    }

    // ------------------------------------------------------------------ splitting the stream

    @Test
    void mixedFramesArriveInOrderEachAsSoonAsItsLastByteArrivesWhenSplitByteByByte() {
        Object[] frames = {new Hello(1, 2), new Message.RequestVote(1, 2, 3, 4, 5, false), new Forward.ReadIndex(5),
                new Message.RequestVoteResponse(1, 2, 3, true, false)};
        EmbeddedChannel ch = channel(codec);
        for (Object f : frames) {
            byte[] bytes = frame(codec, f);
            for (int i = 0; i < bytes.length; i++) {
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1));
                if (i < bytes.length - 1) assertThat((Object) ch.readInbound()).isNull();
            }
            assertThat(readAll(ch)).containsExactly(f);
        }
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void framesSplitAcrossManyReads() {
        EmbeddedChannel ch = channel(large);
        RandomMessages gen = new RandomMessages(11);
        List<Object> sent = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Object f = randomFrame(gen);
            sent.add(f);
            frames.add(frame(large, f));
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
    void severalFramesInOneRead() {
        EmbeddedChannel ch = channel(codec);
        List<Object> sent = List.of(
                new Hello(1, 2),
                new Message.Heartbeat(1, 2, 7, 40, 3),
                new Message.HeartbeatResponse(2, 1, 7, 3),
                new Forward.ReadIndex(9),
                new Message.AppendEntries(1, 2, 7, 41, 6, List.of(Entry.noop(42, 7)), 40),
                Message.AppendEntriesResponse.accepted(2, 1, 7, 42));
        List<byte[]> frames = new ArrayList<>();
        for (Object f : sent) frames.add(frame(codec, f));
        ch.writeInbound(Unpooled.wrappedBuffer(concat(frames)));
        assertThat(readAll(ch)).isEqualTo(sent);
        assertThat(ch.isOpen()).isTrue();
    }

    // ------------------------------------------------------------------ length prefix

    @Test
    void maximalLengthPrefixClosesTheChannelBeforeTheBodyArrives() {
        EmbeddedChannel ch = channel(large);
        // only the prefix (u32 max, negative as a signed int): the decoder must not wait for
        // (or buffer) 4 GiB of body
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("ffffffff")));
        assertThat(ch.isOpen()).isFalse();
        assertThat(readAll(ch)).isEmpty();
    }

    @Test
    void lengthPrefixJustBeyondTheMaxFrameSizeClosesAtOnce() {
        EmbeddedChannel ch = channel(codec);
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("00000401")));
        assertThat(ch.isOpen()).isFalse();
        assertThat(readAll(ch)).isEmpty();
    }

    @Test
    void lengthPrefixAtTheMaxFrameSizeWaitsForTheBody() {
        EmbeddedChannel ch = channel(codec);
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("000004000105")));
        assertThat(ch.isOpen()).isTrue();
        assertThat(readAll(ch)).isEmpty();
    }

    // ------------------------------------------------------------------ malformed frames

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
        assertThat(readAll(ch)).isEmpty();
    }

    @Test
    void malformedFrameClosesTheConnectionAfterDeliveringEarlierFramesAndNothingAfterIt() {
        ByteBuf in = Unpooled.buffer();
        codec.writeFrame(new Hello(1, 2), in);
        codec.writeFrame(new Message.HeartbeatResponse(2, 1, 7, 0), in);
        in.writeBytes(HexFormat.of().parseHex("00000003014599"));
        codec.writeFrame(new Forward.ReadIndex(5), in);
        codec.writeFrame(new Message.HeartbeatResponse(2, 1, 7, 0), in);
        EmbeddedChannel ch = channel(codec);
        ch.writeInbound(in);
        assertThat(readAll(ch)).containsExactly(new Hello(1, 2), new Message.HeartbeatResponse(2, 1, 7, 0));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void mutatedStreamsOnlyEverDecodeOrClose() {
        RandomMessages gen = new RandomMessages(99);
        Random random = gen.random();
        PeerFrameCodec small = new PeerFrameCodec(64 * 1024);
        for (int i = 0; i < 2_000; i++) {
            Object f = anyFrame(gen);
            if (small.frameSize(f) - Integer.BYTES > small.maxFrameSize()) continue;
            byte[] mutated = MessageCodecFuzzTest.mutate(frame(small, f), random);
            EmbeddedChannel ch = new EmbeddedChannel(new PeerFrameDecoder(small));
            try {
                // writeInbound rethrows anything the decoder let escape
                ch.writeInbound(Unpooled.wrappedBuffer(mutated));
                List<Object> read = readAll(ch);
                assertThat(read.size()).isLessThanOrEqualTo(1);
                if (!read.isEmpty()) {
                    // a decoded frame is exactly the stream's first frame (garbage may follow it)
                    byte[] first = frame(small, read.getFirst());
                    assertThat(Arrays.copyOf(mutated, Math.min(mutated.length, first.length))).isEqualTo(first);
                }
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }
}
