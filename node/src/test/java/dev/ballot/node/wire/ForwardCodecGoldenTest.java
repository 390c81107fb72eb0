package dev.ballot.node.wire;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Forward.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden bytes for the Hello and Forward frames. If one of these fails, the wire format changed:
 * that needs a new format version (docs/wire-format.md), never an edit of the expected bytes.
 */
class ForwardCodecGoldenTest {

    private final ForwardCodec codec = new ForwardCodec(MessageCodec.DEFAULT_MAX_FRAME_SIZE);

    private Object assertGolden(Object frame, String hex) throws Exception {
        byte[] golden = HexFormat.of().parseHex(hex.replace(" ", ""));
        ByteBuf out = Unpooled.buffer();
        codec.encode(frame, out);
        assertThat(out.readableBytes()).isEqualTo((int) codec.encodedSize(frame));
        byte[] encoded = new byte[out.readableBytes()];
        out.readBytes(encoded);
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(HexFormat.of().formatHex(golden));
        return codec.decode(Unpooled.wrappedBuffer(golden));
    }

    @Test
    void hello() throws Exception {
        assertThat(assertGolden(new Hello(1, 2), "01 40 0000000000000001 0000000000000002"))
                .isEqualTo(new Hello(1, 2));
    }

    @Test
    void propose() throws Exception {
        Object decoded = assertGolden(new Forward.Propose(5, new byte[]{(byte) 0xCA, (byte) 0xFE}),
                "01 41 0000000000000005 00000002 cafe");
        assertThat(decoded).isInstanceOfSatisfying(Forward.Propose.class, p -> {
            assertThat(p.requestId()).isEqualTo(5);
            assertThat(p.command()).containsExactly(0xCA, 0xFE);
        });
    }

    @Test
    void readIndex() throws Exception {
        assertThat(assertGolden(new Forward.ReadIndex(6), "01 42 0000000000000006"))
                .isEqualTo(new Forward.ReadIndex(6));
    }

    @Test
    void replyNotLeader() throws Exception {
        Object decoded = assertGolden(new Forward.Reply(5, Outcome.NOT_LEADER, 3, 0, new byte[0]),
                "01 43 0000000000000005 02 0000000000000003 0000000000000000 00000000");
        assertThat(decoded).isInstanceOfSatisfying(Forward.Reply.class, r -> {
            assertThat(r.requestId()).isEqualTo(5);
            assertThat(r.outcome()).isEqualTo(Outcome.NOT_LEADER);
            assertThat(r.leaderHint()).isEqualTo(3);
            assertThat(r.readIndex()).isZero();
            assertThat(r.result()).isEmpty();
        });
    }

    @Test
    void replyOkWithResultAndReadIndex() throws Exception {
        Object decoded = assertGolden(new Forward.Reply(7, Outcome.OK, 0, 41, new byte[]{(byte) 0xBE, (byte) 0xEF}),
                "01 43 0000000000000007 01 0000000000000000 0000000000000029 00000002 beef");
        assertThat(decoded).isInstanceOfSatisfying(Forward.Reply.class, r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.OK);
            assertThat(r.readIndex()).isEqualTo(41);
            assertThat(r.result()).containsExactly(0xBE, 0xEF);
        });
    }

    @Test
    void outcomeCodesArePinned() {
        assertThat(ForwardCodec.outcomeCode(Outcome.OK)).isEqualTo(1);
        assertThat(ForwardCodec.outcomeCode(Outcome.NOT_LEADER)).isEqualTo(2);
        assertThat(ForwardCodec.outcomeCode(Outcome.NO_LEADER)).isEqualTo(3);
        assertThat(ForwardCodec.outcomeCode(Outcome.BUSY)).isEqualTo(4);
        assertThat(ForwardCodec.outcomeCode(Outcome.TIMEOUT)).isEqualTo(5);
        assertThat(ForwardCodec.outcomeCode(Outcome.UNKNOWN_OUTCOME)).isEqualTo(6);
        assertThat(ForwardCodec.outcomeCode(Outcome.SHUTDOWN)).isEqualTo(7);
    }

    @Test
    void everyOutcomeRoundTrips() throws Exception {
        for (Outcome o : Outcome.values()) {
            ByteBuf out = Unpooled.buffer();
            codec.encode(new Forward.Reply(1, o, 0, 0, new byte[0]), out);
            assertThat(((Forward.Reply) codec.decode(out)).outcome()).isEqualTo(o);
        }
    }
}
