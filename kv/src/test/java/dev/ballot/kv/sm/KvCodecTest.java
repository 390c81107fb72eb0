package dev.ballot.kv.sm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvCodecTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static void golden(KvCommand command, String expectedHex) {
        byte[] encoded = KvCodec.encode(command);
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(expectedHex.replace(" ", ""));
        assertThat(KvCodec.decodeCommand(encoded)).isEqualTo(command);
    }

    private static void golden(KvResult result, String expectedHex) {
        byte[] encoded = KvCodec.encode(result);
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(expectedHex.replace(" ", ""));
        assertThat(KvCodec.decodeResult(encoded)).isEqualTo(result);
    }

    @Test
    void get() {
        golden(new KvCommand.Get(b("k")), "01 01 00000001 6b");
    }

    @Test
    void setWithEachCondition() {
        golden(new KvCommand.Set(b("k"), b("v")), "01 02 00000001 6b 00000001 76 00");
        golden(new KvCommand.Set(b("k"), b("v"), KvCommand.Condition.NX), "01 02 00000001 6b 00000001 76 01");
        golden(new KvCommand.Set(b("k"), new byte[0], KvCommand.Condition.XX), "01 02 00000001 6b 00000000 02");
    }

    @Test
    void del() {
        golden(new KvCommand.Del(b("a"), b("bc")), "01 03 00000002 00000001 61 00000002 6263");
    }

    @Test
    void exists() {
        golden(new KvCommand.Exists(b("a")), "01 04 00000001 00000001 61");
    }

    @Test
    void incrByIncrAndDecr() {
        golden(new KvCommand.IncrBy(b("n"), 258), "01 05 00000001 6e 0000000000000102");
        golden(KvCommand.incr(b("n")), "01 05 00000001 6e 0000000000000001");
        golden(KvCommand.decr(b("n")), "01 05 00000001 6e ffffffffffffffff");
        golden(new KvCommand.IncrBy(b("n"), Long.MIN_VALUE), "01 05 00000001 6e 8000000000000000");
    }

    @Test
    void mget() {
        golden(new KvCommand.MGet(b("a"), b("b")), "01 06 00000002 00000001 61 00000001 62");
    }

    @Test
    void mset() {
        golden(new KvCommand.MSet(new KvCommand.Pair(b("a"), b("1")), new KvCommand.Pair(b("b"), b(""))),
                "01 07 00000002 00000001 61 00000001 31 00000001 62 00000000");
    }

    @Test
    void append() {
        golden(new KvCommand.Append(b("k"), new byte[] {0, (byte) 0xFF}), "01 08 00000001 6b 00000002 00ff");
    }

    @Test
    void cas() {
        golden(new KvCommand.Cas(b("k"), b("o"), b("n")), "01 09 00000001 6b 00000001 6f 00000001 6e");
    }

    @Test
    void results() {
        golden(KvResult.OK, "01 01");
        golden(KvResult.NIL, "01 02");
        golden(new KvResult.Integer(-2), "01 03 fffffffffffffffe");
        golden(new KvResult.Bulk(b("hi")), "01 04 00000002 6869");
        golden(new KvResult.Bulk(new byte[0]), "01 04 00000000");
        golden(new KvResult.Multi(List.of(new KvResult.Bulk(b("x")), KvResult.NIL)), "01 05 00000002 04 00000001 78 02");
        golden(new KvResult.Multi(List.of()), "01 05 00000000");
        golden(new KvResult.Error("ERR x"), "01 06 00000005 45525220 78");
        golden(new KvResult.Error("ERR é"), "01 06 00000006 455252 20 c3a9");
    }

    @Test
    void recordsCompareContentsCopyAndPrintBinary() {
        byte[] key = {'a', 0, (byte) 0xFF};
        KvCommand.Get get = new KvCommand.Get(key);
        key[0] = 'z';
        assertThat(get).isEqualTo(new KvCommand.Get(new byte[] {'a', 0, (byte) 0xFF}));
        assertThat(get.hashCode()).isEqualTo(new KvCommand.Get(new byte[] {'a', 0, (byte) 0xFF}).hashCode());
        get.key()[0] = 'y';
        assertThat(get.key()[0]).isEqualTo((byte) 'a');
        assertThat(get).hasToString("GET \"a\\x00\\xff\"");
        assertThat(new KvCommand.Del(b("a"), b("b"))).isEqualTo(new KvCommand.Del(List.of(b("a"), b("b"))))
                .isNotEqualTo(new KvCommand.Del(b("a")));
        assertThat(new KvResult.Bulk(b("v"))).isEqualTo(new KvResult.Bulk(b("v"))).hasToString("\"v\"");
        assertThat(new KvCommand.Set(b("k"), b("v"), KvCommand.Condition.NX)).hasToString("SET \"k\" \"v\" NX");
        assertThat(new KvCommand.Get(b("k")).readOnly()).isTrue();
        assertThat(new KvCommand.Set(b("k"), b("v")).readOnly()).isFalse();
    }

    @Test
    void emptyListsAreRejectedByConstructors() {
        assertThatThrownBy(() -> new KvCommand.Del()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KvCommand.MSet(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static void malformed(String inputHex, String messagePart) {
        assertThatThrownBy(() -> KvCodec.decodeCommand(hex(inputHex)))
                .isInstanceOf(KvFormatException.class)
                .hasMessageContaining(messagePart);
    }

    @Test
    void malformedCommands() {
        malformed("", "empty command");
        malformed("02 01 00000001 6b", "unsupported command encoding version 2");
        malformed("01", "opcode needs 1 bytes");
        malformed("01 7f", "unknown command opcode 0x7f");
        malformed("01 01 000000", "key length needs 4 bytes");
        malformed("01 01 7fffffff 6b", "key length 2147483647 at offset 2 exceeds the 1 remaining bytes");
        malformed("01 01 ffffffff", "key length 4294967295");
        malformed("01 01 00000001 6b 00", "1 trailing bytes");
        malformed("01 02 00000001 6b 00000001 76 03", "unknown SET condition 3");
        malformed("01 03 00000000", "DEL needs at least one element");
        malformed("01 03 40000000 00000000", "DEL count 1073741824 exceeds what the 4 remaining bytes can hold");
        malformed("01 07 00000001 00000001 61", "MSET count 1 exceeds");
        malformed("01 05 00000001 6e 00000000", "delta needs 8 bytes");
        assertThatThrownBy(() -> KvCodec.decodeCommand(null)).isInstanceOf(KvFormatException.class);
    }

    @Test
    void malformedResults() {
        assertThatThrownBy(() -> KvCodec.decodeResult(hex("01 09"))).isInstanceOf(KvFormatException.class)
                .hasMessageContaining("unknown result type 0x09");
        assertThatThrownBy(() -> KvCodec.decodeResult(hex("01 05 00000001 03"))).isInstanceOf(KvFormatException.class)
                .hasMessageContaining("neither BULK");
        assertThatThrownBy(() -> KvCodec.decodeResult(hex("01 06 00000001 ff"))).isInstanceOf(KvFormatException.class)
                .hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> KvCodec.decodeResult(hex("01 01 00"))).isInstanceOf(KvFormatException.class)
                .hasMessageContaining("trailing");
    }
}
