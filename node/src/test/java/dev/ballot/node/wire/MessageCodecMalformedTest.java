package dev.ballot.node.wire;

import dev.ballot.raft.Entry;
import dev.ballot.raft.Message;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every way a body can be malformed fails with a WireFormatException naming what and where. */
class MessageCodecMalformedTest {

    private static final String COMMON = "0000000000000001" + "0000000000000002" + "0000000000000007";

    private final MessageCodec codec = new MessageCodec();

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private void assertRejected(byte[] body, String message) {
        assertThatThrownBy(() -> codec.decode(body))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessage(message);
    }

    /** An AppendEntries header (from 1, to 2, term 7, prev 41@6, commit 40) followed by {@code rest}. */
    private static byte[] appendEntries(String rest) {
        return hex("0103" + COMMON + "0000000000000029" + "0000000000000006" + "0000000000000028" + rest);
    }

    @Test
    void emptyBody() {
        assertRejected(new byte[0], "truncated body: field format version at offset 0 needs 1 byte, 0 remain");
    }

    @Test
    void newerFormatVersion() {
        assertRejected(hex("0206" + COMMON), "unsupported wire format version 2: this node speaks version 1, "
                + "so the peer runs a newer Ballot with an incompatible format");
    }

    @Test
    void olderFormatVersion() {
        assertRejected(hex("0006" + COMMON), "unsupported wire format version 0: this node speaks version 1, "
                + "so the peer runs an older Ballot with an incompatible format");
    }

    @Test
    void missingMessageType() {
        assertRejected(hex("01"), "truncated body: field message type at offset 1 needs 1 byte, 0 remain");
    }

    @Test
    void unknownMessageType() {
        assertRejected(hex("0107" + COMMON), "unknown message type 7 at offset 1 (known: 1-6)");
    }

    @Test
    void messageTypeZero() {
        assertRejected(hex("0100" + COMMON), "unknown message type 0 at offset 1 (known: 1-6)");
    }

    @Test
    void truncatedInAFixedField() {
        assertRejected(hex("0106" + "0000000000000001" + "0000000000000002" + "00000000"),
                "truncated body: field term at offset 18 needs 8 bytes, 4 remain");
    }

    @Test
    void truncatedAtEveryByteOfEveryMessageType() {
        List<Message> all = List.of(
                new Message.RequestVote(1, 2, 7, 41, 6, true),
                new Message.RequestVoteResponse(2, 1, 7, true, false),
                new Message.AppendEntries(1, 3, 7, 41, 6, List.of(Entry.noop(42, 7), Entry.command(43, 7, new byte[5])), 40),
                Message.AppendEntriesResponse.rejected(3, 1, 7, 41, 5, 30),
                new Message.Heartbeat(1, 2, 7, 40, 3),
                new Message.HeartbeatResponse(2, 1, 7, 3));
        for (Message m : all) {
            byte[] body = codec.encode(m);
            for (int length = 0; length < body.length; length++) {
                byte[] truncated = Arrays.copyOf(body, length);
                assertThatThrownBy(() -> codec.decode(truncated))
                        .as("%s cut to %d bytes", m, length)
                        .isExactlyInstanceOf(WireFormatException.class)
                        .hasMessageStartingWith("truncated body: ");
            }
        }
    }

    @Test
    void trailingBytes() {
        assertRejected(hex("0106" + COMMON + "0000000000000003" + "000000"),
                "3 trailing bytes at offset 34 after the end of HeartbeatResponse");
    }

    @Test
    void trailingBytesAfterEntries() {
        assertRejected(appendEntries("00000000" + "ff"), "1 trailing byte at offset 54 after the end of AppendEntries");
    }

    @Test
    void invalidBoolean() {
        assertRejected(hex("0102" + COMMON + "01" + "02"), "invalid boolean 2 in field preVote at offset 27 (must be 0 or 1)");
    }

    @Test
    void invalidBooleanInAppendEntriesResponse() {
        assertRejected(hex("0104" + COMMON + "ff" + "0000000000000000".repeat(4)),
                "invalid boolean 255 in field success at offset 26 (must be 0 or 1)");
    }

    @Test
    void entryCountLargerThanTheBytesThatFollow() {
        assertRejected(appendEntries("00000002" + "02" + "0000000000000007" + "000000000000002a" + "00000000"),
                "truncated body: entry count 2 at offset 50 needs at least 42 more bytes, 21 remain");
    }

    @Test
    void entryCountBeyondTheMaxFrameSize() {
        assertRejected(appendEntries("7fffffff"),
                "entry count 2147483647 at offset 50 exceeds what fits in the max frame size of 16777216 bytes");
    }

    @Test
    void entryCountNegativeAsSignedInt() {
        assertRejected(appendEntries("ffffffff"),
                "entry count 4294967295 at offset 50 exceeds what fits in the max frame size of 16777216 bytes");
    }

    @Test
    void entryCountBeyondAConfiguredMaxFrameSize() {
        MessageCodec small = new MessageCodec(1000);
        byte[] body = appendEntries("00000030");
        assertThatThrownBy(() -> small.decode(body))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessage("entry count 48 at offset 50 exceeds what fits in the max frame size of 1000 bytes");
    }

    @Test
    void unknownEntryType() {
        assertRejected(appendEntries("00000001" + "03" + "0000000000000007" + "000000000000002a" + "00000000"),
                "unknown entry type 3 in field entries[0].type at offset 54 (known: 1 COMMAND, 2 NOOP)");
    }

    @Test
    void dataLengthNegativeAsSignedInt() {
        assertRejected(appendEntries("00000001" + "01" + "0000000000000007" + "000000000000002a" + "80000000"),
                "length 2147483648 in field entries[0].data length at offset 71 exceeds the max frame size of 16777216 bytes");
    }

    @Test
    void dataLengthBeyondTheMaxFrameSize() {
        assertRejected(appendEntries("00000001" + "01" + "0000000000000007" + "000000000000002a" + "01000001"),
                "length 16777217 in field entries[0].data length at offset 71 exceeds the max frame size of 16777216 bytes");
    }

    @Test
    void dataLengthLargerThanTheBytesThatFollow() {
        assertRejected(appendEntries("00000001" + "01" + "0000000000000007" + "000000000000002a" + "00000005" + "cafe"),
                "truncated body: field entries[0].data at offset 75 needs 5 bytes, 2 remain");
    }

    @Test
    void entryIndexZero() {
        assertRejected(appendEntries("00000001" + "01" + "0000000000000007" + "0000000000000000" + "00000000"),
                "invalid entry in field entries[0] at offset 54: entry index must be >= 1, was 0");
    }

    @Test
    void entryTermNegative() {
        assertRejected(appendEntries("00000002"
                        + "02" + "0000000000000007" + "000000000000002a" + "00000000"
                        + "01" + "ffffffffffffffff" + "000000000000002b" + "00000000"),
                "invalid entry in field entries[1] at offset 75: entry term must be >= 1, was -1");
    }

    @Test
    void bodyLargerThanTheMaxFrameSize() {
        MessageCodec small = new MessageCodec(30);
        byte[] body = hex("0105" + COMMON + "0000000000000028" + "0000000000000003");
        assertThatThrownBy(() -> small.decode(body))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessage("frame body of 42 bytes exceeds the max frame size of 30 bytes");
    }

    @Test
    void wellFormedBodiesStillDecode() throws Exception {
        assertThat(codec.decode(appendEntries("00000000")))
                .isEqualTo(new Message.AppendEntries(1, 2, 7, 41, 6, List.of(), 40));
    }

    @Test
    void installSnapshotIsNotAWireMessage() {
        MessageCodec codec = new MessageCodec();
        Message.InstallSnapshot is = new Message.InstallSnapshot(1, 2, 3, 10, 2);
        assertThatThrownBy(() -> codec.encode(is)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the runtime streams the snapshot");
    }
}
