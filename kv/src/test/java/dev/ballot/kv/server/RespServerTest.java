package dev.ballot.kv.server;

import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvLimits;
import dev.ballot.kv.sm.KvResult;
import dev.ballot.node.RequestFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.SafeEncoder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RespServerTest {

    private static final ProtocolCommand CAS = () -> SafeEncoder.encode("CAS");

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private LocalKvService service;
    private RespServer server;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private void start(KvLimits limits, int maxInFlight, int maxConnections) {
        service = new LocalKvService(limits);
        toClose.add(service);
        ClientServerSettings settings = new ClientServerSettings("127.0.0.1", 0, limits, 4 * 1024 * 1024, maxInFlight);
        server = RespServer.start(service, settings, new ConnectionLimit(maxConnections));
        toClose.add(server);
    }

    private void start() {
        start(KvLimits.DEFAULTS, 1024, 100);
    }

    private Jedis jedis() {
        // Without auto-negotiation Jedis just speaks RESP2 (and does not log a warning per connection).
        Jedis j = new Jedis(server.address().getHostString(), server.address().getPort(),
                DefaultJedisClientConfig.builder().timeoutMillis(10_000).autoNegotiateProtocol(false).build());
        toClose.add(j);
        return j;
    }

    private RawClient raw() throws Exception {
        RawClient c = new RawClient(server.address());
        toClose.add(c);
        return c;
    }

    @Test
    void stringCommands() {
        start();
        Jedis j = jedis();
        assertThat(j.set("k", "v")).isEqualTo("OK");
        assertThat(j.get("k")).isEqualTo("v");
        assertThat(j.get("missing")).isNull();
        assertThat(j.set("k", "w", SetParams.setParams().nx())).isNull();
        assertThat(j.set("k", "w", SetParams.setParams().xx())).isEqualTo("OK");
        assertThat(j.set("new", "x", SetParams.setParams().xx())).isNull();
        assertThat(j.set("new", "x", SetParams.setParams().nx())).isEqualTo("OK");
        assertThat(j.get("k")).isEqualTo("w");
        assertThat(j.exists("k", "new", "missing", "k")).isEqualTo(3);
        assertThat(j.del("k", "missing")).isEqualTo(1);
        assertThat(j.exists("k")).isFalse();
        assertThat(j.append("a", "foo")).isEqualTo(3);
        assertThat(j.append("a", "bar")).isEqualTo(6);
        assertThat(j.get("a")).isEqualTo("foobar");
        assertThat(j.mset("m1", "1", "m2", "2")).isEqualTo("OK");
        assertThat(j.mget("m1", "nope", "m2")).containsExactly("1", null, "2");
    }

    @Test
    void counters() {
        start();
        Jedis j = jedis();
        assertThat(j.incr("n")).isEqualTo(1);
        assertThat(j.incrBy("n", 10)).isEqualTo(11);
        assertThat(j.decr("n")).isEqualTo(10);
        assertThat(j.decrBy("n", 20)).isEqualTo(-10);
        assertThat(j.get("n")).isEqualTo("-10");
        j.set("s", "abc");
        assertThatThrownBy(() -> j.incr("s")).hasMessage("ERR value is not an integer or out of range");
        assertThatThrownBy(() -> j.sendCommand(() -> SafeEncoder.encode("INCRBY"), "n", "1x"))
                .hasMessage("ERR value is not an integer or out of range");
        // DECRBY of Long.MIN_VALUE cannot be negated: Redis's own error, and nothing is executed.
        int before = service.executed();
        assertThatThrownBy(() -> j.decrBy("n", Long.MIN_VALUE)).hasMessage("ERR decrement would overflow");
        assertThat(service.executed()).isEqualTo(before);
        assertThat(j.get("n")).isEqualTo("-10");
        j.set("max", Long.toString(Long.MAX_VALUE));
        assertThatThrownBy(() -> j.incr("max")).hasMessage("ERR increment or decrement would overflow");
    }

    @Test
    void casRepliesOneOrZero() {
        start();
        Jedis j = jedis();
        assertThat(j.sendCommand(CAS, "c", "", "x")).isEqualTo(0L);
        j.set("c", "old");
        assertThat(j.sendCommand(CAS, "c", "nope", "x")).isEqualTo(0L);
        assertThat(j.get("c")).isEqualTo("old");
        assertThat(j.sendCommand(CAS, "c", "old", "new")).isEqualTo(1L);
        assertThat(j.get("c")).isEqualTo("new");
        assertThatThrownBy(() -> j.sendCommand(CAS, "c", "new"))
                .hasMessage("ERR wrong number of arguments for 'cas' command");
    }

    @Test
    void binarySafeKeysAndValues() {
        start();
        Jedis j = jedis();
        byte[] key = {0, (byte) 0xFF, '\r', '\n'};
        byte[] value = {(byte) 0x80, 0, 1};
        assertThat(j.set(key, value)).isEqualTo("OK");
        assertThat(j.get(key)).isEqualTo(value);
        assertThat(j.set("empty", "")).isEqualTo("OK");
        assertThat(j.get("empty")).isEmpty();
    }

    @Test
    void aDefaultJedisConnects() {
        start();
        try (Jedis j = new Jedis(server.address().getHostString(), server.address().getPort())) {
            assertThat(j.set("k", "v")).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("v");
        }
    }

    @Test
    void connectionCommands() {
        start();
        Jedis j = jedis();
        assertThat(j.ping()).isEqualTo("PONG");
        assertThat(j.ping("hi")).isEqualTo("hi");
        assertThat(j.echo("hello")).isEqualTo("hello");
        assertThat(j.select(0)).isEqualTo("OK");
        assertThatThrownBy(() -> j.select(1)).hasMessage("ERR DB index is out of range");
        assertThat(j.clientSetname("me")).isEqualTo("OK");
        assertThat(j.clientGetname()).isEqualTo("me");
        assertThat(j.sendCommand(() -> SafeEncoder.encode("COMMAND"))).isEqualTo(List.of());
        assertThat(j.sendCommand(() -> SafeEncoder.encode("COMMAND"), "COUNT"))
                .isEqualTo((long) (RespCommands.NAMES.size() + 8));
        assertThat(j.sendCommand(() -> SafeEncoder.encode("COMMAND"), "DOCS")).isEqualTo(List.of());
        assertThatThrownBy(() -> j.sendCommand(() -> SafeEncoder.encode("HELLO"), "3"))
                .hasMessage("NOPROTO sorry, this protocol version is not supported");
        @SuppressWarnings("unchecked")
        List<Object> hello = (List<Object>) j.sendCommand(() -> SafeEncoder.encode("HELLO"), "2");
        assertThat(SafeEncoder.encode((byte[]) hello.get(4))).isEqualTo("proto");
        assertThat(hello.get(5)).isEqualTo(2L);
    }

    @Test
    void infoHasServerAndRaftSections() {
        start();
        Jedis j = jedis();
        String info = j.info();
        assertThat(info).contains("# Server\r\n", "ballot_version:0.1.0\r\n",
                "tcp_port:" + server.address().getPort() + "\r\n",
                "# Raft\r\n", "node_id:1\r\n", "role:leader\r\n", "term:3\r\n", "leader_id:1\r\n",
                "commit_index:10\r\n", "applied_index:9\r\n", "last_log_index:11\r\n", "members:1,2,3\r\n");
        String raft = j.info("raft");
        assertThat(raft).startsWith("# Raft\r\n").doesNotContain("# Server");
        assertThat(j.info("nosuchsection")).isEmpty();
    }

    @Test
    void errorsForUnknownCommandsAndBadArguments() {
        start();
        Jedis j = jedis();
        assertThatThrownBy(() -> j.sendCommand(() -> SafeEncoder.encode("FLUSHALL"), "a", "b"))
                .isInstanceOf(JedisDataException.class)
                .hasMessage("ERR unknown command 'FLUSHALL', with args beginning with: 'a' 'b' ");
        assertThatThrownBy(() -> j.sendCommand(() -> SafeEncoder.encode("GET")))
                .hasMessage("ERR wrong number of arguments for 'get' command");
        assertThatThrownBy(() -> j.sendCommand(() -> SafeEncoder.encode("MSET"), "a", "1", "b"))
                .hasMessage("ERR wrong number of arguments for 'mset' command");
        assertThatThrownBy(() -> j.sendCommand(() -> SafeEncoder.encode("SET"), "a", "1", "NX", "XX"))
                .hasMessage("ERR syntax error");
        assertThatThrownBy(() -> j.sendCommand(() -> SafeEncoder.encode("SET"), "a", "1", "BOGUS"))
                .hasMessage("ERR syntax error");
        assertThatThrownBy(() -> j.set("a", "1", SetParams.setParams().ex(10)))
                .hasMessageStartingWith("ERR SET option 'EX' is not supported");
        assertThat(j.exists("a")).isFalse();
        assertThat(j.sendCommand(() -> SafeEncoder.encode("SET"), "a", "1", "keepttl")).isEqualTo(SafeEncoder.encode("OK"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "NOT_LEADER|2|false|TRYAGAIN not leader, leader is 2",
            "NOT_LEADER|0|true|TRYAGAIN not leader, leader is unknown",
            "NO_LEADER|0|false|TRYAGAIN no leader",
            "BUSY|0|true|BUSY too many pending requests",
            "TIMEOUT|0|false|TIMEOUT request timed out without taking effect, safe to retry",
            "UNKNOWN_OUTCOME|0|true|UNKNOWN outcome of the write is unknown (it may or may not have been applied)",
            "SHUTDOWN|0|false|SHUTDOWN server is shutting down"})
    void requestFailuresMapToErrorReplies(RequestFailure.Kind kind, long hint, boolean wrapped, String expected) {
        start();
        Jedis j = jedis();
        service.failWith(kind, hint, wrapped);
        assertThatThrownBy(() -> j.set("k", "v")).isInstanceOf(JedisDataException.class).hasMessage(expected);
        assertThatThrownBy(() -> j.get("k")).hasMessage(expected);
        service.failWith(null, 0, false);
        assertThat(j.set("k", "v")).isEqualTo("OK"); // the connection is still usable
    }

    @Test
    void sizeLimitsAreCheckedBeforeExecutionAndChangeNothing() {
        start(new KvLimits(8, 16), 1024, 100);
        Jedis j = jedis();
        j.set("k", "small");
        int before = service.executed();
        assertThatThrownBy(() -> j.set("k", "x".repeat(17)))
                .hasMessage("ERR value too large (17 bytes > limit 16)");
        assertThatThrownBy(() -> j.set("k".repeat(9), "v")).hasMessage("ERR key too large (9 bytes > limit 8)");
        assertThatThrownBy(() -> j.mset("a", "1", "b", "y".repeat(17)))
                .hasMessage("ERR value too large (17 bytes > limit 16)");
        assertThatThrownBy(() -> j.get("k".repeat(9))).hasMessage("ERR key too large (9 bytes > limit 8)");
        assertThat(service.executed()).isEqualTo(before);
        assertThat(j.get("k")).isEqualTo("small");
        assertThat(j.exists("a")).isFalse();
        // A size only known after reading the state is left to the state machine, with the same message.
        assertThatThrownBy(() -> j.append("k", "0123456789AB")).hasMessage("ERR value too large (17 bytes > limit 16)");
        assertThat(j.get("k")).isEqualTo("small");
    }

    @Test
    void aValueOverTheDefaultLimitGetsAClearErrorNotAProtocolError() throws Exception {
        start();
        Jedis j = jedis();
        byte[] big = new byte[KvLimits.DEFAULT_MAX_VALUE_BYTES + 1];
        assertThatThrownBy(() -> j.set("k".getBytes(StandardCharsets.UTF_8), big))
                .hasMessage("ERR value too large (1048577 bytes > limit 1048576)");
        assertThat(j.ping()).isEqualTo("PONG");
        assertThat(j.exists("k")).isFalse();
        // Beyond maxRequestBytes (4 MiB) it is the decoder's limit: a protocol error, then close.
        RawClient c = raw();
        c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + (4 * 1024 * 1024) + "\r\n");
        assertThat(c.readToEnd()).isEqualTo("-ERR Protocol error: too big request\r\n");
    }

    @Test
    void pipelinedRepliesComeInRequestOrderWhateverTheCompletionOrder() {
        start();
        service.complete(LocalKvService.Completion.RANDOM_DELAY);
        Jedis j = jedis();
        Pipeline p = j.pipelined();
        int n = 300;
        for (int i = 0; i < n; i++) {
            p.set("k" + i, "v" + i);
            p.incr("counter");
            p.get("k" + i);
            p.sendCommand(() -> SafeEncoder.encode("ECHO"), "p" + i);
        }
        List<Object> replies = p.syncAndReturnAll();
        assertThat(replies).hasSize(4 * n);
        for (int i = 0; i < n; i++) {
            assertThat(replies.get(4 * i)).isEqualTo("OK");
            assertThat(replies.get(4 * i + 1)).isEqualTo((long) i + 1);
            assertThat(replies.get(4 * i + 2)).isEqualTo("v" + i);
            assertThat(replies.get(4 * i + 3)).isEqualTo(SafeEncoder.encode("p" + i));
        }
    }

    @Test
    void pipelinedWritesCompletedInReverseOrderAreAnsweredInOrder() throws Exception {
        start();
        service.complete(LocalKvService.Completion.HELD);
        Jedis j = jedis();
        int n = 500;
        CompletableFuture<List<Object>> replies = CompletableFuture.supplyAsync(() -> {
            Pipeline p = j.pipelined();
            for (int i = 0; i < n; i++) {
                p.incr("counter");
            }
            return p.syncAndReturnAll();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> service.heldCount() == n);
        service.releaseReversed();
        List<Object> got = replies.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i)).isEqualTo((long) i + 1);
        }
    }

    @Test
    void aReadWaitsForTheConnectionsEarlierWrites() throws Exception {
        start();
        service.complete(LocalKvService.Completion.HELD);
        Jedis j = jedis();
        CompletableFuture<List<Object>> replies = CompletableFuture.supplyAsync(() -> {
            Pipeline p = j.pipelined();
            p.set("k", "1");
            p.incr("k");
            p.get("k");
            p.set("k", "3");
            return p.syncAndReturnAll();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> service.heldCount() == 2);
        // The GET is not started while the two writes before it are unanswered.
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> service.executed() == 2);
        service.releaseReversed();
        await().atMost(Duration.ofSeconds(10)).until(() -> service.heldCount() == 1);
        assertThat(service.executed()).isEqualTo(3); // the GET, and not yet the SET after it
        service.releaseReversed();
        await().atMost(Duration.ofSeconds(10)).until(() -> service.heldCount() == 1);
        service.releaseReversed();
        assertThat(replies.get(10, TimeUnit.SECONDS)).containsExactly("OK", 2L, "2", "OK");
    }

    @Test
    void inFlightCommandsPerConnectionAreBounded() throws Exception {
        start(KvLimits.DEFAULTS, 8, 100);
        service.complete(LocalKvService.Completion.HELD);
        Jedis j = jedis();
        int n = 100;
        CompletableFuture<List<Object>> replies = CompletableFuture.supplyAsync(() -> {
            Pipeline p = j.pipelined();
            for (int i = 0; i < n; i++) {
                p.incr("counter");
            }
            return p.syncAndReturnAll();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> service.heldCount() == 8);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> service.heldCount() == 8);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            service.releaseReversed();
            return replies.isDone();
        });
        List<Object> got = replies.get();
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i)).isEqualTo((long) i + 1);
        }
    }

    @Test
    void connectionsBeyondTheCapAreRefused() throws Exception {
        start(KvLimits.DEFAULTS, 1024, 2);
        Jedis a = jedis();
        Jedis b = jedis();
        assertThat(a.ping()).isEqualTo("PONG");
        assertThat(b.ping()).isEqualTo("PONG");
        try (RawClient c = new RawClient(server.address())) {
            assertThat(c.readToEnd()).isEqualTo("-ERR max number of clients reached\r\n");
        }
        a.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (RawClient c = new RawClient(server.address())) {
                c.send("PING\r\n");
                assertThat(c.read(7)).isEqualTo("+PONG\r\n");
            }
        });
        assertThat(b.ping()).isEqualTo("PONG");
    }

    @Test
    void malformedInputGetsAnErrorAndTheConnectionIsClosed() throws Exception {
        start();
        Jedis other = jedis();
        other.set("k", "v");
        RawClient garbage = raw();
        garbage.send("PING\r\n*x\r\nPING\r\n");
        assertThat(garbage.readToEnd()).isEqualTo("+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
        RawClient badTerminator = raw();
        badTerminator.send("*2\r\n$3\r\nGET\r\n$1\r\nkXY");
        assertThat(badTerminator.readToEnd()).isEqualTo("-ERR Protocol error: bulk string not terminated by CRLF\r\n");
        RawClient binary = raw();
        binary.send(new byte[] {'*', '1', '\r', '\n', (byte) 0xFF, 0, 0});
        assertThat(binary.readToEnd()).isEqualTo("-ERR Protocol error: expected '$', got '\\xff'\r\n");
        RawClient truncated = raw();
        truncated.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nab");
        truncated.close();
        assertThat(other.get("k")).isEqualTo("v"); // the truncated SET was dropped, others unaffected
        assertThat(other.ping()).isEqualTo("PONG");
    }

    @Test
    void quitRepliesOkThenCloses() throws Exception {
        start();
        RawClient c = raw();
        c.send("SET a b\r\nGET a\r\nQUIT\r\nGET a\r\n");
        assertThat(c.readToEnd()).isEqualTo("+OK\r\n$1\r\nb\r\n+OK\r\n");
    }

    @Test
    void inlineCommandsWork() throws Exception {
        start();
        RawClient c = raw();
        c.send("set \"hello world\" 'it\\'s'\r\n");
        assertThat(c.read(5)).isEqualTo("+OK\r\n");
        assertThat(service.peek(new KvCommand.Get("hello world".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(new KvResult.Bulk("it's".getBytes(StandardCharsets.UTF_8)));
    }
}
