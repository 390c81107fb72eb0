package dev.ballot.node.wire;

import dev.ballot.node.transport.SnapshotFrame;
import dev.ballot.node.transport.SnapshotFrame.Ack;
import dev.ballot.node.transport.SnapshotFrame.Chunk;
import dev.ballot.node.transport.SnapshotFrame.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden bytes for the snapshot transfer frames (docs/wire-format.md, "Snapshot transfer frames").
 * If one of these fails, the wire format changed: that needs a new format version, never an edit
 * of the expected bytes.
 */
class SnapshotCodecGoldenTest {

    private final SnapshotCodec codec = new SnapshotCodec(MessageCodec.DEFAULT_MAX_FRAME_SIZE);

    private SnapshotFrame assertGolden(SnapshotFrame frame, String hex) throws Exception {
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
    void lastChunk() throws Exception {
        Chunk chunk = new Chunk(3, 9, 1000, 7, 4096, 4099, new byte[]{(byte) 0xCA, (byte) 0xFE, 0x01}, true);
        SnapshotFrame decoded = assertGolden(chunk,
                "01 50"
                        + " 0000000000000003"   // term
                        + " 0000000000000009"   // transferId
                        + " 00000000000003e8"   // lastIndex 1000
                        + " 0000000000000007"   // lastTerm
                        + " 0000000000001000"   // offset 4096
                        + " 0000000000001003"   // totalSize 4099
                        + " 00000003 cafe01"    // data
                        + " 01");               // last
        assertThat(decoded).isInstanceOfSatisfying(Chunk.class, c -> {
            assertThat(c).usingRecursiveComparison().isEqualTo(chunk);
            assertThat(c.data()).containsExactly(0xCA, 0xFE, 0x01);
        });
    }

    @Test
    void firstChunkOfSeveral() throws Exception {
        Chunk chunk = new Chunk(1, 0x0102030405060708L, 1, 1, 0, 10, new byte[]{0x42, 0x53}, false);
        SnapshotFrame decoded = assertGolden(chunk,
                "01 50 0000000000000001 0102030405060708 0000000000000001 0000000000000001"
                        + " 0000000000000000 000000000000000a 00000002 4253 00");
        assertThat(decoded).usingRecursiveComparison().isEqualTo(chunk);
    }

    @Test
    void emptyChunkOfAnEmptyFile() throws Exception {
        // Not a file SnapshotStore writes (it has at least a header), but the codec does not know that.
        Chunk chunk = new Chunk(2, 5, 3, 1, 0, 0, new byte[0], true);
        SnapshotFrame decoded = assertGolden(chunk,
                "01 50 0000000000000002 0000000000000005 0000000000000003 0000000000000001"
                        + " 0000000000000000 0000000000000000 00000000 01");
        assertThat(decoded).usingRecursiveComparison().isEqualTo(chunk);
    }

    @Test
    void ackReceiving() throws Exception {
        assertThat(assertGolden(new Ack(3, 9, 4096, Status.RECEIVING),
                "01 51 0000000000000003 0000000000000009 0000000000001000 01"))
                .isEqualTo(new Ack(3, 9, 4096, Status.RECEIVING));
    }

    @Test
    void ackInstalled() throws Exception {
        assertThat(assertGolden(new Ack(3, 9, 4099, Status.INSTALLED),
                "01 51 0000000000000003 0000000000000009 0000000000001003 02"))
                .isEqualTo(new Ack(3, 9, 4099, Status.INSTALLED));
    }

    @Test
    void ackRejected() throws Exception {
        assertThat(assertGolden(new Ack(4, 10, 0, Status.REJECTED),
                "01 51 0000000000000004 000000000000000a 0000000000000000 03"))
                .isEqualTo(new Ack(4, 10, 0, Status.REJECTED));
    }

    @Test
    void ackUnknown() throws Exception {
        assertThat(assertGolden(new Ack(5, 11, 0, Status.UNKNOWN),
                "01 51 0000000000000005 000000000000000b 0000000000000000 04"))
                .isEqualTo(new Ack(5, 11, 0, Status.UNKNOWN));
    }

    @Test
    void statusCodesArePinned() {
        assertThat(SnapshotCodec.statusCode(Status.RECEIVING)).isEqualTo(1);
        assertThat(SnapshotCodec.statusCode(Status.INSTALLED)).isEqualTo(2);
        assertThat(SnapshotCodec.statusCode(Status.REJECTED)).isEqualTo(3);
        assertThat(SnapshotCodec.statusCode(Status.UNKNOWN)).isEqualTo(4);
        assertThat(Status.values()).as("a new status needs a new code and a golden test").hasSize(4);
    }

    @Test
    void typeCodesAndSizesArePinned() {
        assertThat(SnapshotCodec.TYPE_CHUNK).isEqualTo(0x50);
        assertThat(SnapshotCodec.TYPE_ACK).isEqualTo(0x51);
        assertThat(SnapshotCodec.FIRST_TYPE).isEqualTo(0x50);
        assertThat(codec.encodedSize(new Chunk(1, 1, 1, 1, 0, 5, new byte[5], true))).isEqualTo(55 + 5);
        assertThat(codec.encodedSize(new Ack(1, 1, 0, Status.RECEIVING))).isEqualTo(27);
        assertThat(new SnapshotCodec(1000).maxChunkBytes()).isEqualTo(1000 - 55);
    }
}
