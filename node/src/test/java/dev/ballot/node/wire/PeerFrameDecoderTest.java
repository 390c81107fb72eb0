package dev.ballot.node.wire;

import dev.ballot.node.transport.Forward;
import dev.ballot.raft.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class PeerFrameDecoderTest {

    private final PeerFrameCodec codec = new PeerFrameCodec(1024);

    @Test
    void mixedFramesArriveInOrderEvenWhenSplitByteByByte() {
        Object[] frames = {new Hello(1, 2), new Message.RequestVote(1, 2, 3, 4, 5, false), new Forward.ReadIndex(5),
                new Message.RequestVoteResponse(1, 2, 3, true, false)};
        ByteBuf all = Unpooled.buffer();
        for (Object f : frames) codec.writeFrame(f, all);
        EmbeddedChannel ch = new EmbeddedChannel(new PeerFrameDecoder(codec));
        while (all.isReadable()) ch.writeInbound(all.readRetainedSlice(1));
        for (Object f : frames) assertThat((Object) ch.readInbound()).isEqualTo(f);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void malformedFrameClosesTheConnectionAfterDeliveringEarlierFrames() {
        ByteBuf in = Unpooled.buffer();
        codec.writeFrame(new Hello(1, 2), in);
        in.writeBytes(HexFormat.of().parseHex("00000003014599"));
        codec.writeFrame(new Forward.ReadIndex(5), in);
        EmbeddedChannel ch = new EmbeddedChannel(new PeerFrameDecoder(codec));
        ch.writeInbound(in);
        assertThat((Object) ch.readInbound()).isEqualTo(new Hello(1, 2));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void oversizedLengthPrefixClosesAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(new PeerFrameDecoder(codec));
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("00000401")));
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readInbound()).isNull();
    }
}
