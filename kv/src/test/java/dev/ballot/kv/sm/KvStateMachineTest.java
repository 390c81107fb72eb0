package dev.ballot.kv.sm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballot.kv.sm.KvCommand.Condition;
import dev.ballot.kv.sm.KvCommand.Pair;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {

    private final KvStateMachine sm = new KvStateMachine();
    private long index;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Through the log path: encode, apply, decode. */
    private KvResult run(KvCommand command) {
        return KvCodec.decodeResult(sm.apply(++index, KvCodec.encode(command)));
    }

    private static KvResult.Integer integer(long v) {
        return new KvResult.Integer(v);
    }

    private static KvResult.Bulk bulk(String s) {
        return new KvResult.Bulk(b(s));
    }

    private KvResult get(String key) {
        return run(new KvCommand.Get(b(key)));
    }

    @Test
    void getMissingIsNilAndSetThenGet() {
        assertThat(get("k")).isEqualTo(KvResult.NIL);
        assertThat(run(new KvCommand.Set(b("k"), b("v")))).isEqualTo(KvResult.OK);
        assertThat(get("k")).isEqualTo(bulk("v"));
        assertThat(run(new KvCommand.Set(b("k"), b("w")))).isEqualTo(KvResult.OK);
        assertThat(get("k")).isEqualTo(bulk("w"));
    }

    @Test
    void emptyValuesAndEmptyKeysAreValues() {
        assertThat(run(new KvCommand.Set(b(""), b("")))).isEqualTo(KvResult.OK);
        assertThat(get("")).isEqualTo(bulk(""));
        assertThat(run(new KvCommand.Exists(b("")))).isEqualTo(integer(1));
    }

    @Test
    void setNxOnlyWhenMissing() {
        assertThat(run(new KvCommand.Set(b("k"), b("1"), Condition.NX))).isEqualTo(KvResult.OK);
        assertThat(run(new KvCommand.Set(b("k"), b("2"), Condition.NX))).isEqualTo(KvResult.NIL);
        assertThat(get("k")).isEqualTo(bulk("1"));
    }

    @Test
    void setXxOnlyWhenPresent() {
        assertThat(run(new KvCommand.Set(b("k"), b("1"), Condition.XX))).isEqualTo(KvResult.NIL);
        assertThat(get("k")).isEqualTo(KvResult.NIL);
        run(new KvCommand.Set(b("k"), b("1")));
        assertThat(run(new KvCommand.Set(b("k"), b("2"), Condition.XX))).isEqualTo(KvResult.OK);
        assertThat(get("k")).isEqualTo(bulk("2"));
    }

    @Test
    void delCountsRemovedKeysOnce() {
        run(new KvCommand.MSet(new Pair(b("a"), b("1")), new Pair(b("b"), b("2"))));
        assertThat(run(new KvCommand.Del(b("a"), b("a"), b("missing"), b("b")))).isEqualTo(integer(2));
        assertThat(sm.size()).isZero();
        assertThat(run(new KvCommand.Del(b("a")))).isEqualTo(integer(0));
    }

    @Test
    void existsCountsEachMention() {
        run(new KvCommand.Set(b("a"), b("1")));
        assertThat(run(new KvCommand.Exists(b("a"), b("a"), b("missing")))).isEqualTo(integer(2));
    }

    @Test
    void incrStartsAtZeroAndStoresDecimal() {
        assertThat(run(KvCommand.incr(b("n")))).isEqualTo(integer(1));
        assertThat(run(new KvCommand.IncrBy(b("n"), 41))).isEqualTo(integer(42));
        assertThat(run(KvCommand.decr(b("n")))).isEqualTo(integer(41));
        assertThat(run(new KvCommand.IncrBy(b("n"), -50))).isEqualTo(integer(-9));
        assertThat(get("n")).isEqualTo(bulk("-9"));
        assertThat(run(KvCommand.decr(b("m")))).isEqualTo(integer(-1));
    }

    @Test
    void incrOnNonIntegerIsAnErrorAndChangesNothing() {
        for (String bad : List.of("abc", "", " 1", "1 ", "+1", "01", "-0", "1.5", "9223372036854775808",
                "-9223372036854775809", "123456789012345678901")) {
            run(new KvCommand.Set(b("k"), b(bad)));
            assertThat(run(KvCommand.incr(b("k")))).as(bad)
                    .isEqualTo(new KvResult.Error("ERR value is not an integer or out of range"));
            assertThat(get("k")).isEqualTo(bulk(bad));
        }
    }

    @Test
    void incrAcceptsTheWholeLongRange() {
        run(new KvCommand.Set(b("k"), b("-9223372036854775808")));
        assertThat(run(KvCommand.incr(b("k")))).isEqualTo(integer(Long.MIN_VALUE + 1));
        run(new KvCommand.Set(b("k"), b("9223372036854775806")));
        assertThat(run(KvCommand.incr(b("k")))).isEqualTo(integer(Long.MAX_VALUE));
        run(new KvCommand.Set(b("k"), b("0")));
        assertThat(run(KvCommand.incr(b("k")))).isEqualTo(integer(1));
    }

    @Test
    void overflowAtLongMaxIsAnErrorAndChangesNothing() {
        run(new KvCommand.Set(b("k"), b(Long.toString(Long.MAX_VALUE))));
        assertThat(run(KvCommand.incr(b("k")))).isEqualTo(new KvResult.Error("ERR increment or decrement would overflow"));
        assertThat(get("k")).isEqualTo(bulk("9223372036854775807"));
    }

    @Test
    void underflowAtLongMinIsAnErrorAndChangesNothing() {
        run(new KvCommand.Set(b("k"), b(Long.toString(Long.MIN_VALUE))));
        assertThat(run(KvCommand.decr(b("k")))).isEqualTo(new KvResult.Error(KvStateMachine.ERR_OVERFLOW));
        assertThat(run(new KvCommand.IncrBy(b("k"), Long.MIN_VALUE))).isEqualTo(new KvResult.Error(KvStateMachine.ERR_OVERFLOW));
        assertThat(get("k")).isEqualTo(bulk("-9223372036854775808"));
        assertThat(run(new KvCommand.IncrBy(b("fresh"), Long.MIN_VALUE))).isEqualTo(integer(Long.MIN_VALUE));
    }

    @Test
    void mgetMixesBulksAndNils() {
        run(new KvCommand.Set(b("a"), b("1")));
        assertThat(run(new KvCommand.MGet(b("a"), b("x"), b("a"))))
                .isEqualTo(new KvResult.Multi(List.of(bulk("1"), KvResult.NIL, bulk("1"))));
    }

    @Test
    void msetSetsAllAndTheLastOfARepeatedKeyWins() {
        assertThat(run(new KvCommand.MSet(new Pair(b("a"), b("1")), new Pair(b("b"), b("2")), new Pair(b("a"), b("3")))))
                .isEqualTo(KvResult.OK);
        assertThat(get("a")).isEqualTo(bulk("3"));
        assertThat(get("b")).isEqualTo(bulk("2"));
    }

    @Test
    void appendCreatesOrExtendsAndReturnsTheLength() {
        assertThat(run(new KvCommand.Append(b("k"), b("ab")))).isEqualTo(integer(2));
        assertThat(run(new KvCommand.Append(b("k"), b("cd")))).isEqualTo(integer(4));
        assertThat(run(new KvCommand.Append(b("k"), b("")))).isEqualTo(integer(4));
        assertThat(get("k")).isEqualTo(bulk("abcd"));
    }

    @Test
    void casSetsOnlyOnAMatch() {
        assertThat(run(new KvCommand.Cas(b("k"), b(""), b("x")))).as("a missing key never equals").isEqualTo(integer(0));
        assertThat(get("k")).isEqualTo(KvResult.NIL);
        run(new KvCommand.Set(b("k"), b("old")));
        assertThat(run(new KvCommand.Cas(b("k"), b("other"), b("new")))).isEqualTo(integer(0));
        assertThat(get("k")).isEqualTo(bulk("old"));
        assertThat(run(new KvCommand.Cas(b("k"), b("old"), b("new")))).isEqualTo(integer(1));
        assertThat(get("k")).isEqualTo(bulk("new"));
    }

    @Test
    void binaryKeysAreOrderedUnsigned() {
        byte[] low = {0x00};
        byte[] mid = {0x7F};
        byte[] high = {(byte) 0x80};
        byte[] top = {(byte) 0xFF};
        byte[] topLonger = {(byte) 0xFF, 0x00};
        assertThat(new ByteKey(low)).isLessThan(new ByteKey(mid));
        assertThat(new ByteKey(mid)).isLessThan(new ByteKey(high));
        assertThat(new ByteKey(high)).isLessThan(new ByteKey(top));
        assertThat(new ByteKey(top)).isLessThan(new ByteKey(topLonger));
        assertThat(new ByteKey(new byte[0])).isLessThan(new ByteKey(low));

        // insertion order does not matter: the snapshot lists keys in unsigned order
        KvStateMachine a = new KvStateMachine();
        KvStateMachine b = new KvStateMachine();
        for (byte[] k : List.of(top, low, topLonger, high, mid)) {
            a.apply(new KvCommand.Set(k, k));
        }
        for (byte[] k : List.of(mid, topLonger, low, top, high)) {
            b.apply(new KvCommand.Set(k, k));
        }
        assertThat(a.digest()).isEqualTo(b.digest());
        assertThat(a.apply(new KvCommand.Get(new byte[] {0x00}))).isEqualTo(new KvResult.Bulk(low));
        assertThat(a.apply(new KvCommand.Get(new byte[] {0x00, 0x00}))).isEqualTo(KvResult.NIL);
    }

    @Test
    void keyLimitErrorsAndChangesNothing() {
        KvStateMachine small = new KvStateMachine(new KvLimits(4, 8));
        String err = "ERR key too large (5 bytes > limit 4)";
        String before = small.digest();
        for (KvCommand c : List.of(new KvCommand.Set(b("12345"), b("v")), new KvCommand.Get(b("12345")),
                new KvCommand.Del(b("a"), b("12345")), new KvCommand.Exists(b("12345")),
                KvCommand.incr(b("12345")), new KvCommand.MGet(b("12345")),
                new KvCommand.MSet(new Pair(b("a"), b("1")), new Pair(b("12345"), b("2"))),
                new KvCommand.Append(b("12345"), b("x")), new KvCommand.Cas(b("12345"), b("a"), b("b")))) {
            assertThat(small.apply(c)).as(c.toString()).isEqualTo(new KvResult.Error(err));
        }
        assertThat(small.digest()).isEqualTo(before);
        assertThat(small.apply(new KvCommand.Set(b("1234"), b("v")))).isEqualTo(KvResult.OK);
    }

    @Test
    void defaultLimitsAre1KiBKeysAnd1MiBValues() {
        assertThat(run(new KvCommand.Set(new byte[1025], b("v"))))
                .isEqualTo(new KvResult.Error("ERR key too large (1025 bytes > limit 1024)"));
        assertThat(run(new KvCommand.Set(new byte[1024], new byte[1024 * 1024]))).isEqualTo(KvResult.OK);
        assertThat(run(new KvCommand.Set(b("k"), new byte[1024 * 1024 + 1])))
                .isEqualTo(new KvResult.Error("ERR value too large (1048577 bytes > limit 1048576)"));
        assertThat(get("k")).isEqualTo(KvResult.NIL);
    }

    @Test
    void valueLimitErrorsAndChangesNothingIncludingAppendAndIncrResults() {
        KvStateMachine small = new KvStateMachine(new KvLimits(16, 3));
        assertThat(small.apply(new KvCommand.Set(b("k"), b("1234")))).isEqualTo(new KvResult.Error("ERR value too large (4 bytes > limit 3)"));
        assertThat(small.apply(new KvCommand.MSet(new Pair(b("a"), b("1")), new Pair(b("b"), b("1234")))))
                .isEqualTo(new KvResult.Error("ERR value too large (4 bytes > limit 3)"));
        assertThat(small.apply(new KvCommand.Exists(b("a")))).as("MSET is all or nothing").isEqualTo(integer(0));
        assertThat(small.apply(new KvCommand.Set(b("k"), b("ab")))).isEqualTo(KvResult.OK);
        assertThat(small.apply(new KvCommand.Append(b("k"), b("cd")))).isEqualTo(new KvResult.Error("ERR value too large (4 bytes > limit 3)"));
        assertThat(small.apply(new KvCommand.Get(b("k")))).isEqualTo(bulk("ab"));
        assertThat(small.apply(new KvCommand.Set(b("n"), b("999")))).isEqualTo(KvResult.OK);
        assertThat(small.apply(KvCommand.incr(b("n")))).isEqualTo(new KvResult.Error("ERR value too large (4 bytes > limit 3)"));
        assertThat(small.apply(new KvCommand.Get(b("n")))).isEqualTo(bulk("999"));
        assertThat(small.apply(new KvCommand.Cas(b("n"), b("999"), b("1000")))).isEqualTo(new KvResult.Error("ERR value too large (4 bytes > limit 3)"));
        assertThat(small.apply(new KvCommand.Get(b("n")))).isEqualTo(bulk("999"));
    }

    @Test
    void malformedCommandIsAnErrorResultNotAnException() {
        String before = sm.digest();
        KvResult result = KvCodec.decodeResult(sm.apply(1, new byte[] {1, 0x7F}));
        assertThat(result).isEqualTo(new KvResult.Error("ERR malformed command: unknown command opcode 0x7f"));
        assertThat(KvCodec.decodeResult(sm.apply(2, null))).isInstanceOf(KvResult.Error.class);
        assertThat(KvCodec.decodeResult(sm.apply(3, new byte[0]))).isInstanceOf(KvResult.Error.class);
        assertThat(sm.digest()).isEqualTo(before);
    }

    @Test
    void queryAnswersReadsWithoutChangingAnything() {
        run(new KvCommand.Set(b("a"), b("1")));
        String before = sm.digest();
        assertThat(sm.query(new KvCommand.Get(b("a")))).isEqualTo(bulk("1"));
        assertThat(sm.query(new KvCommand.MGet(b("a"), b("b")))).isEqualTo(new KvResult.Multi(List.of(bulk("1"), KvResult.NIL)));
        assertThat(sm.query(new KvCommand.Exists(b("a"), b("b")))).isEqualTo(integer(1));
        assertThatThrownBy(() -> sm.query(new KvCommand.Set(b("a"), b("2")))).isInstanceOf(IllegalArgumentException.class);
        assertThat(sm.digest()).isEqualTo(before);
    }

    @Test
    void storedValuesAreNotAliasedWithCallerArrays() {
        byte[] value = b("v");
        KvCommand.Set set = new KvCommand.Set(b("k"), value);
        sm.apply(set);
        value[0] = 'x';
        KvResult.Bulk got = (KvResult.Bulk) sm.apply(new KvCommand.Get(b("k")));
        got.value()[0] = 'y';
        assertThat(sm.apply(new KvCommand.Get(b("k")))).isEqualTo(bulk("v"));
    }

    @Test
    void parseRedisIntegerEdges() {
        assertThat(KvStateMachine.parseRedisInteger(b("0"))).isZero();
        assertThat(KvStateMachine.parseRedisInteger(b("-1"))).isEqualTo(-1L);
        assertThat(KvStateMachine.parseRedisInteger(b("9223372036854775807"))).isEqualTo(Long.MAX_VALUE);
        assertThat(KvStateMachine.parseRedisInteger(b("-9223372036854775808"))).isEqualTo(Long.MIN_VALUE);
        assertThat(KvStateMachine.parseRedisInteger(b("-"))).isNull();
        assertThat(KvStateMachine.parseRedisInteger(b("00"))).isNull();
        assertThat(KvStateMachine.parseRedisInteger(b("99999999999999999999"))).isNull();
    }
}
