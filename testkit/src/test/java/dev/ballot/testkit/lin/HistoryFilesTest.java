package dev.ballot.testkit.lin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFilesTest {

    @TempDir
    Path dir;

    @Test
    void ednWrittenThenReadIsTheSameHistory() throws IOException {
        List<Event> history = List.of(
                new Event(0, EventType.INVOKE, "cas", "k1", "4", "1", 123),
                new Event(0, EventType.FAIL, "cas", "k1", "4", "1", 130),
                new Event(1, EventType.INVOKE, "read", "", null, null, 140),
                new Event(1, EventType.OK, "read", "", null, null, 150),
                new Event(2, EventType.INVOKE, "put", "quote\" back\\slash", "line\nbreak\ttab\r\u0001 é ✓", null, -5),
                new Event(2, EventType.INFO, "put", "quote\" back\\slash", "", null, Long.MAX_VALUE),
                new Event(Integer.MAX_VALUE, EventType.INVOKE, "get", null, "{:value nil, }", null, 0));
        Path file = dir.resolve("history.edn");
        HistoryFiles.writeEdn(history, file);
        assertThat(Files.readAllLines(file).getFirst())
                .isEqualTo("{:process 0, :type :invoke, :f :cas, :key \"k1\", :expected \"1\", :value \"4\", :time 123}");
        assertThat(Files.readAllLines(file)).hasSize(history.size());
        assertThat(HistoryFiles.readEdn(file)).isEqualTo(history);
    }

    @Test
    void ednWithoutTimesUsesLineNumbers() throws IOException {
        Path file = dir.resolve("kv.txt");
        Files.writeString(file, """
                {:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}

                {:process 9, :type :ok, :f :append, :key "0", :value "x 9 0 y"}
                {:process :nemesis, :type :info, :f :start, :value nil}
                {:process 1, :type :invoke, :f :get, :key 3, :value nil, :extra :ignored}
                """);
        assertThat(HistoryFiles.readEdn(file)).containsExactly(
                new Event(9, EventType.INVOKE, "append", "0", "x 9 0 y", null, 1),
                new Event(9, EventType.OK, "append", "0", "x 9 0 y", null, 3),
                new Event(1, EventType.INVOKE, "get", "3", null, null, 5));
    }

    @Test
    void malformedEdnLinesAreRejectedWithFileAndLineNumber() throws IOException {
        String good = "{:process 0, :type :invoke, :f :get, :key \"a\", :value nil}\n";
        String[][] cases = {
                {"{:process 0, :type :invoke, :key \"a\"}", "missing :f"},
                {"{:process 0, :type :invoke, :f :get, :key \"a}", "unterminated string"},
                {"{:process 0, :type :begin, :f :get}", "type :begin is not one of"},
                {"{:process x, :type :ok, :f :get}", "expected a string, keyword, integer or nil"},
                {"{:process 0, :type :ok, :f :get", "unexpected end of line"},
                {"{:process 0, :type :ok, :f :get} trailing", "unexpected text after the map"},
                {"{:process 0, :type :ok, :f :get, :value \"\\q\"}", "unknown escape \\q"},
                {"{:process 0, :type :ok, :f :get, :time 1.5}", "malformed integer"},
                {"{:process 0, :type :ok, :f :get, :value \"\\u-fff\"}", "malformed \\u escape '\\u-fff'"},
                {"{:process 0, :type :ok, :f :get, :value \"\\u12", "malformed \\u escape '\\u12'"},
        };
        for (String[] c : cases) {
            Path file = dir.resolve("bad.edn");
            Files.writeString(file, good + good + c[0] + "\n");
            assertThatThrownBy(() -> HistoryFiles.readEdn(file)).as(c[0])
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith(file + ":3: ")
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void jepsenLogLinesBecomeEventsOfOneRegister() throws IOException {
        Path file = dir.resolve("etcd.log");
        Files.writeString(file, String.join("\n",
                "INFO  jepsen.util - 0\t:invoke\t:read\tnil",
                "INFO  jepsen.util - 0\t:ok\t:read\t3",
                "INFO  jepsen.util - 12  :invoke :cas    [1 4]",
                "INFO  jepsen.util - 12\t:fail\t:cas\t[1 4]",
                "",
                "INFO  jepsen.util - 2\t:invoke\t:write\t4",
                "INFO  jepsen.util - 2\t:info\t:write\t:timed-out",
                "INFO  jepsen.util - :nemesis\t:info\t:start\tnil",
                ""));
        assertThat(HistoryFiles.readJepsenLog(file)).containsExactly(
                new Event(0, EventType.INVOKE, "read", "", null, null, 1),
                new Event(0, EventType.OK, "read", "", "3", null, 2),
                new Event(12, EventType.INVOKE, "cas", "", "4", "1", 3),
                new Event(12, EventType.FAIL, "cas", "", "4", "1", 4),
                new Event(2, EventType.INVOKE, "write", "", "4", null, 6),
                new Event(2, EventType.INFO, "write", "", null, null, 7));
    }

    @Test
    void malformedJepsenLinesAreRejectedWithFileAndLineNumber() throws IOException {
        String good = "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n";
        String[][] cases = {
                {"INFO  jepsen.util - 0\t:invoke\t:read", "expected PROCESS :TYPE :F VALUE"},
                {"INFO  jepsen.util - p1\t:invoke\t:read\tnil", "process 'p1' is not an integer"},
                {"INFO  jepsen.util - 1\t:invoke\t:cas\t[1 4", "unterminated '['"},
                {"INFO  jepsen.util - 1\t:invoke\t:cas\t[1 4 5]", "expected [EXPECTED NEW]"},
                {"INFO  jepsen.util - 1\tinvoke\t:read\tnil", "type 'invoke' is not a keyword"},
                {"{:process 0, :type :invoke, :f :get}", "not a jepsen.util line"},
        };
        for (String[] c : cases) {
            Path file = dir.resolve("bad.log");
            Files.writeString(file, good + c[0] + "\n");
            assertThatThrownBy(() -> HistoryFiles.readJepsenLog(file)).as(c[0])
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith(file + ":2: ")
                    .hasMessageContaining(c[1]);
        }
    }
}
