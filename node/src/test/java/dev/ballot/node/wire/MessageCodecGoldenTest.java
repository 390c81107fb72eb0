package dev.ballot.node.wire;

import dev.ballot.raft.Entry;
import dev.ballot.raft.Message;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden bytes: the exact encoding of one message of every type, as committed hex. If one of
 * these fails, the wire format changed: that needs a new format version (see
 * docs/wire-format.md), never an edit of the expected bytes.
 */
class MessageCodecGoldenTest {

    private final MessageCodec codec = new MessageCodec();

    private void assertGolden(Message m, String hex) throws Exception {
        byte[] golden = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThat(HexFormat.of().formatHex(codec.encode(m))).isEqualTo(HexFormat.of().formatHex(golden));
        assertThat(codec.decode(golden)).isEqualTo(m);
    }

    @Test
    void requestVote() throws Exception {
        assertGolden(new Message.RequestVote(1, 2, 7, 41, 6, true),
                "01 01"
                        + " 0000000000000001 0000000000000002 0000000000000007"
                        + " 0000000000000029 0000000000000006 01");
    }

    @Test
    void requestVoteResponse() throws Exception {
        assertGolden(new Message.RequestVoteResponse(2, 1, 7, true, false),
                "01 02"
                        + " 0000000000000002 0000000000000001 0000000000000007"
                        + " 01 00");
    }

    @Test
    void appendEntries() throws Exception {
        assertGolden(new Message.AppendEntries(1, 3, 7, 41, 6,
                        List.of(Entry.noop(42, 7), Entry.command(43, 7, new byte[]{(byte) 0xCA, (byte) 0xFE})), 40),
                "01 03"
                        + " 0000000000000001 0000000000000003 0000000000000007"
                        + " 0000000000000029 0000000000000006 0000000000000028"
                        + " 00000002"
                        + " 02 0000000000000007 000000000000002a 00000000"
                        + " 01 0000000000000007 000000000000002b 00000002 cafe");
    }

    @Test
    void appendEntriesWithoutEntries() throws Exception {
        assertGolden(new Message.AppendEntries(1, 3, 7, 41, 6, List.of(), 40),
                "01 03"
                        + " 0000000000000001 0000000000000003 0000000000000007"
                        + " 0000000000000029 0000000000000006 0000000000000028"
                        + " 00000000");
    }

    @Test
    void appendEntriesResponseAccepted() throws Exception {
        assertGolden(Message.AppendEntriesResponse.accepted(3, 1, 7, 43),
                "01 04"
                        + " 0000000000000003 0000000000000001 0000000000000007"
                        + " 01 000000000000002b 0000000000000000 0000000000000000 0000000000000000");
    }

    @Test
    void appendEntriesResponseRejected() throws Exception {
        assertGolden(Message.AppendEntriesResponse.rejected(3, 1, 7, 41, 5, 30),
                "01 04"
                        + " 0000000000000003 0000000000000001 0000000000000007"
                        + " 00 0000000000000000 0000000000000029 0000000000000005 000000000000001e");
    }

    @Test
    void heartbeat() throws Exception {
        assertGolden(new Message.Heartbeat(1, 2, 7, 40, 3),
                "01 05"
                        + " 0000000000000001 0000000000000002 0000000000000007"
                        + " 0000000000000028 0000000000000003");
    }

    @Test
    void heartbeatResponse() throws Exception {
        assertGolden(new Message.HeartbeatResponse(2, 1, 7, 3),
                "01 06"
                        + " 0000000000000002 0000000000000001 0000000000000007"
                        + " 0000000000000003");
    }

    @Test
    void negativeValuesAreTwosComplement() throws Exception {
        assertGolden(new Message.HeartbeatResponse(-1, Long.MIN_VALUE, Long.MAX_VALUE, -2),
                "01 06"
                        + " ffffffffffffffff 8000000000000000 7fffffffffffffff"
                        + " fffffffffffffffe");
    }

    @Test
    void frame() {
        assertThat(HexFormat.of().formatHex(codec.encodeFrame(new Message.HeartbeatResponse(2, 1, 7, 3))))
                .isEqualTo("00000022" + "0106" + "0000000000000002" + "0000000000000001" + "0000000000000007"
                        + "0000000000000003");
    }

    @Test
    void theExampleInDocsWireFormat() {
        assertThat(HexFormat.of().formatHex(codec.encodeFrame(new Message.Heartbeat(1, 2, 7, 40, 3))))
                .isEqualTo("0000002a" + "01" + "05" + "0000000000000001" + "0000000000000002" + "0000000000000007"
                        + "0000000000000028" + "0000000000000003");
    }
}
