package dev.ballot.kv.server;

import dev.ballot.kv.resp.RespReply;
import dev.ballot.kv.resp.RespRequest;
import dev.ballot.kv.sm.KvCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespCommandsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static KvCommand command(String... args) {
        RespCommands.Parsed p = RespCommands.parse(RespRequest.of(args));
        assertThat(p).isInstanceOf(RespCommands.Command.class);
        return ((RespCommands.Command) p).command();
    }

    private static String rejected(String... args) {
        RespCommands.Parsed p = RespCommands.parse(RespRequest.of(args));
        assertThat(p).isInstanceOf(RespCommands.Rejected.class);
        return ((RespCommands.Rejected) p).reply().text();
    }

    @Test
    void parsesEveryCommand() {
        assertThat(command("get", "k")).isEqualTo(new KvCommand.Get(b("k")));
        assertThat(command("SET", "k", "v")).isEqualTo(new KvCommand.Set(b("k"), b("v")));
        assertThat(command("set", "k", "v", "nx")).isEqualTo(new KvCommand.Set(b("k"), b("v"), KvCommand.Condition.NX));
        assertThat(command("set", "k", "v", "XX", "KEEPTTL"))
                .isEqualTo(new KvCommand.Set(b("k"), b("v"), KvCommand.Condition.XX));
        assertThat(command("DEL", "a", "b")).isEqualTo(new KvCommand.Del(b("a"), b("b")));
        assertThat(command("EXISTS", "a", "a")).isEqualTo(new KvCommand.Exists(b("a"), b("a")));
        assertThat(command("MGET", "a")).isEqualTo(new KvCommand.MGet(b("a")));
        assertThat(command("MSET", "a", "1", "b", "2")).isEqualTo(new KvCommand.MSet(
                new KvCommand.Pair(b("a"), b("1")), new KvCommand.Pair(b("b"), b("2"))));
        assertThat(command("INCR", "n")).isEqualTo(new KvCommand.IncrBy(b("n"), 1));
        assertThat(command("DECR", "n")).isEqualTo(new KvCommand.IncrBy(b("n"), -1));
        assertThat(command("INCRBY", "n", "-7")).isEqualTo(new KvCommand.IncrBy(b("n"), -7));
        assertThat(command("DECRBY", "n", "7")).isEqualTo(new KvCommand.IncrBy(b("n"), -7));
        assertThat(command("DECRBY", "n", Long.toString(Long.MAX_VALUE)))
                .isEqualTo(new KvCommand.IncrBy(b("n"), -Long.MAX_VALUE));
        assertThat(command("APPEND", "k", "v")).isEqualTo(new KvCommand.Append(b("k"), b("v")));
        assertThat(command("CAS", "k", "a", "b")).isEqualTo(new KvCommand.Cas(b("k"), b("a"), b("b")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "SET k", "DEL", "EXISTS", "MGET", "MSET", "MSET a", "MSET a 1 b", "INCR",
            "INCR a b", "DECR", "INCRBY a", "DECRBY a", "APPEND a", "CAS a b", "CAS a b c d", "GET a b"})
    void arityErrorsUseRedisWording(String line) {
        String[] args = line.split(" ");
        assertThat(rejected(args)).isEqualTo("ERR wrong number of arguments for '" + args[0].toLowerCase() + "' command");
    }

    @Test
    void integersAreStrict() {
        for (String bad : new String[] {"1x", "+1", " 1", "01", "-0", "", "9223372036854775808"}) {
            assertThat(rejected("INCRBY", "n", bad)).isEqualTo("ERR value is not an integer or out of range");
        }
        assertThat(rejected("DECRBY", "n", Long.toString(Long.MIN_VALUE))).isEqualTo("ERR decrement would overflow");
        assertThat(command("INCRBY", "n", Long.toString(Long.MIN_VALUE)))
                .isEqualTo(new KvCommand.IncrBy(b("n"), Long.MIN_VALUE));
    }

    @Test
    void setOptions() {
        assertThat(rejected("SET", "k", "v", "NX", "XX")).isEqualTo("ERR syntax error");
        assertThat(rejected("SET", "k", "v", "NX", "NX")).isEqualTo("ERR syntax error");
        assertThat(rejected("SET", "k", "v", "WHAT")).isEqualTo("ERR syntax error");
        for (String option : new String[] {"EX", "px", "EXAT", "PXAT", "GET"}) {
            assertThat(rejected("SET", "k", "v", option, "10"))
                    .startsWith("ERR SET option '" + option.toUpperCase() + "' is not supported");
        }
    }

    @Test
    void onlyKvCommandsAreParsed() {
        assertThat(RespCommands.isKvCommand("GET")).isTrue();
        assertThat(RespCommands.isKvCommand("PING")).isFalse();
        assertThatThrownBy(() -> RespCommands.parse(RespRequest.of("PING")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RespCommands.arityError("GET")).isEqualTo(new RespReply.ErrorReply(
                "ERR wrong number of arguments for 'get' command"));
    }
}
