package dev.ballot.node.wire;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.SnapshotFrame;
import dev.ballot.node.transport.SnapshotFrame.Ack;
import dev.ballot.node.transport.SnapshotFrame.Chunk;
import dev.ballot.node.transport.SnapshotFrame.Status;
import dev.ballot.raft.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Malformed snapshot transfer frames fail with a WireFormatException that names the field; frames
 * the encoder is asked to write that would not decode are refused with an IllegalArgumentException
 * and nothing written.
 */
class SnapshotCodecMalformedTest {

    private final SnapshotCodec codec = new SnapshotCodec(128);

    /** Chunk header fields up to (not including) the data length: term 3, transfer 9, snapshot 1000@7. */
    private static final String CHUNK_HEAD = "01 50 0000000000000003 0000000000000009 00000000000003e8 0000000000000007";

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    /** A chunk body with the given offset, totalSize, data length field, data and last byte, as hex. */
    private static String chunk(String offset, String totalSize, String dataLength, String data, String last) {
        return CHUNK_HEAD + " " + offset + " " + totalSize + " " + dataLength + " " + data + " " + last;
    }

    private static final String OFFSET_8 = "0000000000000008";
    private static final String SIZE_10 = "000000000000000a";

    @Test
    void aValidChunkOfTheseFieldsDecodes() throws Exception {
        // The baseline every malformed case below changes one field of.
        SnapshotFrame f = codec.decode(hex(chunk(OFFSET_8, SIZE_10, "00000002", "abcd", "01")));
        assertThat(f).usingRecursiveComparison().isEqualTo(new Chunk(3, 9, 1000, 7, 8, 10, new byte[]{(byte) 0xAB, (byte) 0xCD}, true));
    }

    @Test
    void everyTruncationOfEveryFrameFailsNamingTheFieldCut() {
        SnapshotFrame[] frames = {new Chunk(3, 9, 1000, 7, 8, 11, new byte[]{1, 2, 3}, true),
                new Chunk(3, 9, 1000, 7, 0, 0, new byte[0], true), new Ack(3, 9, 11, Status.INSTALLED)};
        for (SnapshotFrame frame : frames) {
            ByteBuf full = Unpooled.buffer();
            codec.encode(frame, full);
            for (int n = 0; n < full.readableBytes(); n++) {
                ByteBuf prefix = full.slice(0, n);
                String[] field = fieldAt(frame, n);
                assertThatThrownBy(() -> codec.decode(prefix))
                        .as("%s cut to %d bytes", frame.getClass().getSimpleName(), n)
                        .isInstanceOf(WireFormatException.class)
                        .hasMessageContaining("truncated body: field " + field[0] + " at offset " + field[1]);
            }
        }
    }

    /** The field (name, start offset) byte {@code n} of {@code frame}'s body belongs to. */
    private static String[] fieldAt(SnapshotFrame frame, int n) {
        String[] names = frame instanceof Chunk
                ? new String[]{"format version", "frame type", "term", "transferId", "lastIndex", "lastTerm", "offset",
                        "totalSize", "data length", "data", "last"}
                : new String[]{"format version", "frame type", "term", "transferId", "received", "status"};
        int[] sizes = frame instanceof Chunk c
                ? new int[]{1, 1, 8, 8, 8, 8, 8, 8, 4, c.data().length, 1}
                : new int[]{1, 1, 8, 8, 8, 1};
        int start = 0;
        for (int i = 0; i < names.length; i++) {
            if (n < start + sizes[i]) return new String[]{names[i], String.valueOf(start)};
            start += sizes[i];
        }
        throw new IllegalArgumentException("offset " + n + " is past the frame");
    }

    @Test
    void unknownVersion() {
        assertThatThrownBy(() -> codec.decode(hex("02 51 0000000000000003 0000000000000009 0000000000000000 01")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unsupported wire format version 2");
    }

    @Test
    void unknownType() {
        assertThatThrownBy(() -> codec.decode(hex("01 52 0000000000000003 0000000000000009 0000000000000000 01")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown frame type 82 at offset 1");
        assertThatThrownBy(() -> codec.decode(hex("01 ff 0000000000000003")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown frame type 255 at offset 1");
    }

    @Test
    void unknownStatus() {
        for (String code : new String[]{"00", "05", "ff"}) {
            assertThatThrownBy(() -> codec.decode(hex("01 51 0000000000000003 0000000000000009 0000000000000000 " + code)))
                    .isInstanceOf(WireFormatException.class)
                    .hasMessageContaining("unknown status " + Integer.parseInt(code, 16) + " in field status at offset 26");
        }
    }

    @Test
    void negativeReceived() {
        assertThatThrownBy(() -> codec.decode(hex("01 51 0000000000000003 0000000000000009 ffffffffffffffff 01")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("received -1 must be >= 0");
    }

    @Test
    void trailingBytes() {
        assertThatThrownBy(() -> codec.decode(hex("01 51 0000000000000003 0000000000000009 0000000000000000 01 00")))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("1 trailing byte at offset 27 after the end of Ack");
        assertThatThrownBy(() -> codec.decode(hex(chunk(OFFSET_8, SIZE_10, "00000002", "abcd", "01") + " 0000")))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("2 trailing bytes at offset 57 after the end of Chunk");
    }

    @Test
    void dataLengthBeyondMaxFrameSizeIsRejectedBeforeAllocating() {
        assertThatThrownBy(() -> codec.decode(hex(chunk(OFFSET_8, SIZE_10, "ffffffff", "abcd", "01"))))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("length 4294967295 in field data length at offset 50")
                .hasMessageContaining("max frame size of 128");
        assertThatThrownBy(() -> codec.decode(hex(chunk(OFFSET_8, SIZE_10, "00000081", "abcd", "01"))))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("length 129 in field data length at offset 50");
    }

    @Test
    void dataLengthBeyondRemainingBytes() {
        assertThatThrownBy(() -> codec.decode(hex(chunk(OFFSET_8, SIZE_10, "00000010", "abcd", "01"))))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("truncated body: field data at offset 54");
    }

    @Test
    void bodyLargerThanMaxFrameSize() {
        assertThatThrownBy(() -> codec.decode(Unpooled.wrappedBuffer(new byte[129])))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("129 bytes exceeds the max frame size of 128");
    }

    @Test
    void aChunkPastTotalSize() {
        // Bytes 8..11 of a 10-byte file.
        assertThatThrownBy(() -> codec.decode(hex(chunk(OFFSET_8, SIZE_10, "00000003", "abcdef", "01"))))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("invalid snapshot chunk: bytes 8..11 run past the total size 10");
        // Starting past the end, even empty.
        assertThatThrownBy(() -> codec.decode(hex(chunk("000000000000000b", SIZE_10, "00000000", "", "00"))))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("bytes 11..11 run past the total size 10");
    }

    /**
     * An offset near {@code Long.MAX_VALUE} must not overflow the end of the chunk into a negative
     * number and pass as inside the file (it did, with {@code offset + length > totalSize}).
     */
    @Test
    void aChunkWhoseEndOverflowsIsPastTotalSizeToo() {
        String hugeOffset = "7fffffffffffffff";
        assertThatThrownBy(() -> codec.decode(hex(chunk(hugeOffset, SIZE_10, "00000001", "ab", "00"))))
                .as("bytes 2^63-1 .. 2^63 of a 10-byte file")
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("run past the total size 10");
        assertThatThrownBy(() -> codec.encode(new Chunk(3, 9, 1000, 7, Long.MAX_VALUE, 10, new byte[]{1}, false),
                Unpooled.buffer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run past the total size 10");
    }

    @Test
    void aLastFlagThatDoesNotMatchTheEnd() {
        assertThatThrownBy(() -> codec.decode(hex(chunk("0000000000000000", SIZE_10, "00000002", "abcd", "01"))))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("last is true but the chunk ends at 2 of 10");
        assertThatThrownBy(() -> codec.decode(hex(chunk(OFFSET_8, SIZE_10, "00000002", "abcd", "00"))))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("last is false but the chunk ends at 10 of 10");
        assertThatThrownBy(() -> codec.decode(hex(chunk(OFFSET_8, SIZE_10, "00000002", "abcd", "02"))))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("invalid boolean 2 in field last at offset 56");
    }

    @Test
    void aNegativeOffsetOrTotalSize() {
        assertThatThrownBy(() -> codec.decode(hex(chunk("ffffffffffffffff", SIZE_10, "00000002", "abcd", "00"))))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("offset -1 and total size 10 must be >= 0");
        assertThatThrownBy(() -> codec.decode(hex(chunk("8000000000000000", SIZE_10, "00000000", "", "00"))))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("offset " + Long.MIN_VALUE + " and total size 10");
        assertThatThrownBy(() -> codec.decode(hex(chunk("0000000000000000", "fffffffffffffffe", "00000000", "", "00"))))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("offset 0 and total size -2 must be >= 0");
    }

    @Test
    void aLastIndexOrLastTermBelowOne() {
        String tail = " " + OFFSET_8 + " " + SIZE_10 + " 00000002 abcd 01";
        assertThatThrownBy(() -> codec.decode(hex("01 50 0000000000000003 0000000000000009 0000000000000000 0000000000000007" + tail)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("lastIndex 0 and lastTerm 7 must be >= 1");
        assertThatThrownBy(() -> codec.decode(hex("01 50 0000000000000003 0000000000000009 ffffffffffffffff 0000000000000007" + tail)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("lastIndex -1 and lastTerm 7 must be >= 1");
        assertThatThrownBy(() -> codec.decode(hex("01 50 0000000000000003 0000000000000009 00000000000003e8 0000000000000000" + tail)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("lastIndex 1000 and lastTerm 0 must be >= 1");
    }

    @Test
    void encodingAnInvalidChunkFailsAndWritesNothing() {
        Chunk[] invalid = {
                new Chunk(3, 9, 1000, 7, -1, 10, new byte[2], false),          // negative offset
                new Chunk(3, 9, 1000, 7, 0, -1, new byte[0], false),           // negative total size
                new Chunk(3, 9, 1000, 7, 8, 10, new byte[3], true),            // past totalSize
                new Chunk(3, 9, 1000, 7, 0, 10, new byte[2], true),            // last, but ends at 2
                new Chunk(3, 9, 1000, 7, 8, 10, new byte[2], false),           // ends the file, not last
        };
        String[] why = {"offset -1 and total size 10 must be >= 0", "offset 0 and total size -1 must be >= 0",
                "bytes 8..11 run past the total size 10", "last is true but the chunk ends at 2 of 10",
                "last is false but the chunk ends at 10 of 10"};
        for (int i = 0; i < invalid.length; i++) {
            ByteBuf out = Unpooled.buffer();
            Chunk c = invalid[i];
            assertThatThrownBy(() -> codec.encode(c, out)).as(why[i])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid snapshot chunk: " + why[i]);
            assertThat(out.readableBytes()).as(why[i]).isZero();
        }
    }

    /**
     * The encoder refuses what the decoder on the other side would reject (a chunk's lastIndex and
     * lastTerm below 1, an ack's negative received): it used to check those only when decoding.
     */
    @Test
    void encodingAFrameItsDecoderWouldRejectFails() {
        SnapshotFrame[] invalid = {new Chunk(3, 9, 0, 7, 0, 2, new byte[2], true),
                new Chunk(3, 9, 1000, 0, 0, 2, new byte[2], true), new Ack(3, 9, -1, Status.RECEIVING)};
        for (SnapshotFrame frame : invalid) {
            ByteBuf out = Unpooled.buffer();
            assertThatThrownBy(() -> codec.encode(frame, out)).as("%s", frame).isInstanceOf(IllegalArgumentException.class);
            assertThat(out.readableBytes()).as("%s", frame).isZero();
        }
    }

    @Test
    void encodingAChunkLargerThanTheMaxFrameSizeFailsAndWritesNothing() throws Exception {
        int max = codec.maxChunkBytes();
        ByteBuf fits = Unpooled.buffer();
        codec.encode(new Chunk(3, 9, 1000, 7, 0, max, new byte[max], true), fits);
        assertThat(fits.readableBytes()).isEqualTo(128);
        assertThat(((Chunk) codec.decode(fits)).data()).hasSize(max);

        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> codec.encode(new Chunk(3, 9, 1000, 7, 0, max + 1, new byte[max + 1], true), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Chunk encodes to 129 bytes, more than the max frame size of 128 bytes");
        assertThat(out.readableBytes()).isZero();
    }

    @Test
    void aMaxFrameSizeTooSmallForAnEmptyChunkIsRefused() {
        assertThatThrownBy(() -> new SnapshotCodec(54)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFrameSize must be >= 55, was 54");
        assertThat(new SnapshotCodec(55).maxChunkBytes()).isZero();
    }

    @Test
    void peerFrameCodecCarriesSnapshotFramesBesideMessagesAndForwards() throws Exception {
        PeerFrameCodec frames = new PeerFrameCodec(1024);
        Chunk chunk = new Chunk(3, 9, 1000, 7, 0, 3, new byte[]{7, 8, 9}, true);
        Object[] all = {new Message.RequestVote(1, 2, 3, 4, 5, false), new Hello(1, 2), new Forward.ReadIndex(9),
                chunk, new Ack(3, 9, 3, Status.INSTALLED), new Ack(3, 9, 0, Status.UNKNOWN)};
        ByteBuf stream = Unpooled.buffer();
        for (Object frame : all) {
            int before = stream.writerIndex();
            frames.writeFrame(frame, stream);
            assertThat((long) stream.writerIndex() - before).as("%s", frame).isEqualTo(frames.frameSize(frame));
        }
        for (Object frame : all) {
            int length = stream.readInt();
            Object decoded = frames.decodeBody(stream.readSlice(length));
            assertThat(decoded).as("%s", frame).usingRecursiveComparison().isEqualTo(frame);
            assertThat(decoded).hasSameClassAs(frame);
        }
        assertThat(stream.readableBytes()).isZero();
    }

    @Test
    void peerFrameCodecSendsEveryTypeFrom0x50ToTheSnapshotCodec() {
        PeerFrameCodec frames = new PeerFrameCodec(1024);
        assertThatThrownBy(() -> frames.decodeBody(hex("01 52 0000000000000003")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown frame type 82 at offset 1 (known: 0x50-0x51)");
        assertThatThrownBy(() -> frames.decodeBody(hex("01 ff 0000000000000003")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown frame type 255");
        assertThatThrownBy(() -> frames.decodeBody(hex("01 51 0000000000000003")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("truncated body: field transferId at offset 10");
        // 0x4f is still the forward codec's.
        assertThatThrownBy(() -> frames.decodeBody(hex("01 4f 0000000000000003")))
                .isInstanceOf(WireFormatException.class).hasMessageNotContaining("0x50-0x51");
    }

    @Test
    void peerFrameCodecWritesNothingForAnInvalidChunk() {
        PeerFrameCodec frames = new PeerFrameCodec(1024);
        ByteBuf out = Unpooled.buffer();
        out.writeByte(0x77);
        assertThatThrownBy(() -> frames.writeFrame(new Chunk(3, 9, 1000, 7, 0, 10, new byte[2], true), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last is true");
        assertThat(out.readableBytes()).as("only what was there before").isEqualTo(1);
    }
}
