package dev.ballot.node.wire;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Forward.Outcome;
import dev.ballot.raft.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Malformed Hello/Forward bodies fail with a WireFormatException that names what is wrong. */
class ForwardCodecMalformedTest {

    private final ForwardCodec codec = new ForwardCodec(64);

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    @Test
    void unknownVersion() {
        assertThatThrownBy(() -> codec.decode(hex("02 42 0000000000000006")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("version 2").hasMessageContaining("newer");
    }

    @Test
    void unknownType() {
        assertThatThrownBy(() -> codec.decode(hex("01 44 0000000000000006")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown frame type 68 at offset 1");
    }

    @Test
    void everyTruncationOfEveryFrameFails() {
        Object[] frames = {new Hello(1, 2), new Forward.Propose(5, new byte[]{1, 2, 3}), new Forward.ReadIndex(6),
                new Forward.Reply(7, Outcome.OK, 1, 2, new byte[]{4, 5})};
        for (Object frame : frames) {
            ByteBuf full = Unpooled.buffer();
            codec.encode(frame, full);
            for (int n = 0; n < full.readableBytes(); n++) {
                ByteBuf prefix = full.slice(0, n);
                assertThatThrownBy(() -> codec.decode(prefix))
                        .as("%s cut to %d bytes", frame, n)
                        .isInstanceOf(WireFormatException.class).hasMessageContaining("truncated");
            }
        }
    }

    @Test
    void trailingBytes() {
        assertThatThrownBy(() -> codec.decode(hex("01 42 0000000000000006 00")))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("1 trailing byte at offset 10 after the end of ReadIndex");
    }

    @Test
    void unknownOutcome() {
        assertThatThrownBy(() -> codec.decode(hex("01 43 0000000000000005 08 0000000000000003 0000000000000000 00000000")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown outcome 8 in field outcome at offset 10");
    }

    @Test
    void lengthBeyondMaxFrameSizeIsRejectedBeforeAllocating() {
        assertThatThrownBy(() -> codec.decode(hex("01 41 0000000000000005 ffffffff cafe")))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("length 4294967295 in field command length at offset 10")
                .hasMessageContaining("max frame size of 64");
    }

    @Test
    void lengthBeyondRemainingBytes() {
        assertThatThrownBy(() -> codec.decode(hex("01 41 0000000000000005 00000010 cafe")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("truncated body: field command");
    }

    @Test
    void bodyLargerThanMaxFrameSize() {
        assertThatThrownBy(() -> codec.decode(Unpooled.wrappedBuffer(new byte[65])))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("65 bytes exceeds the max frame size");
    }

    @Test
    void encodingAnOversizedFrameFailsAndWritesNothing() {
        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> codec.encode(new Forward.Propose(1, new byte[64]), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max frame size of 64");
        assertThat(out.readableBytes()).isZero();
    }

    @Test
    void encodingSomethingElseFails() {
        assertThatThrownBy(() -> codec.encode("hello", Unpooled.buffer()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Hello or Forward frame");
    }

    @Test
    void peerFrameCodecDispatchesOnTheTypeByte() throws Exception {
        PeerFrameCodec frames = new PeerFrameCodec(1024);
        Message rv = new Message.RequestVote(1, 2, 3, 4, 5, false);
        for (Object frame : new Object[]{rv, new Hello(1, 2), new Forward.ReadIndex(9)}) {
            ByteBuf out = Unpooled.buffer();
            frames.writeFrame(frame, out);
            assertThat((long) out.readableBytes()).isEqualTo(frames.frameSize(frame));
            assertThat(out.readInt()).isEqualTo(out.readableBytes());
            assertThat(frames.decodeBody(out)).isEqualTo(frame);
        }
        assertThatThrownBy(() -> frames.decodeBody(hex("01")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> frames.decodeBody(hex("01 07")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown message type 7");
    }
}
