package dev.ballot.kv.server;

import dev.ballot.kv.sm.KvCommand;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LogEntryFormatTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void describesEveryCommand() {
        assertThat(LogEntryFormat.describe(new KvCommand.Get(b("k")))).isEqualTo("GET k");
        assertThat(LogEntryFormat.describe(new KvCommand.Set(b("k"), b("hello world"), KvCommand.Condition.XX)))
                .isEqualTo("SET k \"hello world\" XX");
        assertThat(LogEntryFormat.describe(new KvCommand.Set(b("k"), new byte[0]))).isEqualTo("SET k \"\"");
        assertThat(LogEntryFormat.describe(new KvCommand.Del(b("a"), b("b")))).isEqualTo("DEL a b");
        assertThat(LogEntryFormat.describe(new KvCommand.Exists(b("a")))).isEqualTo("EXISTS a");
        assertThat(LogEntryFormat.describe(new KvCommand.MGet(b("a")))).isEqualTo("MGET a");
        assertThat(LogEntryFormat.describe(new KvCommand.IncrBy(b("n"), 5))).isEqualTo("INCRBY n 5");
        assertThat(LogEntryFormat.describe(new KvCommand.MSet(new KvCommand.Pair(b("a"), b("1")),
                new KvCommand.Pair(b("b"), b("2"))))).isEqualTo("MSET a 1 b 2");
        assertThat(LogEntryFormat.describe(new KvCommand.Append(b("k"), b("\"q\"")))).isEqualTo("APPEND k \"\\\"q\\\"\"");
        assertThat(LogEntryFormat.describe(new KvCommand.Cas(b("k"), new byte[] {0, (byte) 0xAB}, b("x"))))
                .isEqualTo("CAS k \"\\x00\\xab\" x");
    }
}
