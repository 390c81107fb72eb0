package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.Event;
import dev.ballot.testkit.lin.EventType;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorkloadClientTest {

    /** Runs one client against {@code handler} until the history holds {@code samples} outcomes. */
    private static History runClient(Workload workload, Function<List<String>, String> handler, int samples) throws Exception {
        return runClient(workload, handler, samples, Duration.ZERO);
    }

    private static History runClient(Workload workload, Function<List<String>, String> handler, int samples, Duration pace)
            throws Exception {
        History history = new History(System.nanoTime());
        AtomicBoolean stop = new AtomicBoolean();
        try (FakeRespServer server = new FakeRespServer(handler)) {
            WorkloadClient client = new WorkloadClient(0, workload, history, List.of(new HostAndPort("127.0.0.1", server.port())),
                    new AtomicInteger(100), new SplittableRandom(1), stop, Duration.ofMillis(200), pace);
            Thread thread = Thread.ofPlatform().start(client);
            await().atMost(Duration.ofSeconds(20)).until(() -> history.samples().size() >= samples);
            stop.set(true);
            thread.join(5_000);
            assertThat(thread.isAlive()).isFalse();
        }
        return history;
    }

    private static Map<String, Set<EventType>> outcomesByOp(History history) {
        Map<String, Set<EventType>> outcomes = new HashMap<>();
        for (OpSample s : history.samples()) outcomes.computeIfAbsent(s.f(), f -> new HashSet<>()).add(s.outcome());
        return outcomes;
    }

    @Test
    void registerRepliesBecomeOkFailAndInfoAndAnInfoRetiresItsProcess() throws Exception {
        History history = runClient(new RegisterWorkload(2), request -> switch (request.getFirst()) {
            case "GET" -> "$2\r\n42\r\n";
            case "SET" -> "-UNKNOWN outcome of the write is unknown (it may or may not have been applied)\r\n";
            case "CAS" -> ":0\r\n";
            default -> "-ERR unexpected " + request + "\r\n";
        }, 60);

        assertThat(outcomesByOp(history)).containsEntry("read", Set.of(EventType.OK)).containsEntry("write", Set.of(EventType.INFO))
                .containsEntry("cas", Set.of(EventType.FAIL));
        List<Event> events = history.events();
        assertThat(events).filteredOn(e -> e.f().equals("read") && e.type() == EventType.OK).allMatch(e -> "42".equals(e.value()));
        // The process that got an INFO never invokes again; after a FAIL or OK it goes on.
        Set<Integer> retired = new HashSet<>();
        Map<Integer, Event> lastInvoke = new HashMap<>();
        for (Event e : events) {
            if (e.type() == EventType.INVOKE) {
                assertThat(retired).doesNotContain(e.process());
                lastInvoke.put(e.process(), e);
            } else if (e.type() == EventType.INFO) {
                retired.add(e.process());
            }
        }
        assertThat(retired).isNotEmpty();
        assertThat(lastInvoke.keySet()).contains(0).allMatch(p -> p == 0 || p >= 100);
    }

    @Test
    void casSentAsBallotsOwnCommandSwapsOnOne() throws Exception {
        FakeRespServerRequests seen = new FakeRespServerRequests();
        History history = runClient(new RegisterWorkload(1), seen.recording(request -> switch (request.getFirst()) {
            case "GET" -> "$-1\r\n";
            case "SET" -> "+OK\r\n";
            case "CAS" -> ":1\r\n";
            default -> "-ERR unexpected\r\n";
        }), 40);
        assertThat(outcomesByOp(history)).containsEntry("cas", Set.of(EventType.OK)).containsEntry("write", Set.of(EventType.OK));
        assertThat(history.events()).filteredOn(e -> e.f().equals("read") && e.type() == EventType.OK).allMatch(e -> e.value() == null);
        assertThat(seen.requests).filteredOn(r -> r.getFirst().equals("CAS")).isNotEmpty().allMatch(r -> r.size() == 4 && r.get(1).equals("r0"));
    }

    @Test
    void noEffectErrorsFailAndTimeoutsAreIndeterminate() throws Exception {
        History history = runClient(new MultiKeyWorkload(3), request -> switch (request.getFirst()) {
            case "GET" -> "-TIMEOUT request timed out without taking effect, safe to retry\r\n";
            case "APPEND" -> "-TRYAGAIN no leader\r\n";
            case "SET" -> null; // never answered: the client times out
            default -> "-ERR unexpected\r\n";
        }, 60);
        assertThat(outcomesByOp(history)).containsEntry("get", Set.of(EventType.FAIL)).containsEntry("append", Set.of(EventType.FAIL))
                .containsEntry("put", Set.of(EventType.INFO));
        assertThat(history.samples()).filteredOn(s -> s.f().equals("put")).allMatch(s -> s.latencyNanos() >= 150_000_000L);
    }

    @Test
    void multiKeyValuesAreUniqueTokensAndAbsentReadsAsEmpty() throws Exception {
        History history = runClient(new MultiKeyWorkload(2), request -> switch (request.getFirst()) {
            case "GET" -> "$-1\r\n";
            case "APPEND" -> ":3\r\n";
            case "SET" -> "+OK\r\n";
            default -> "-ERR unexpected\r\n";
        }, 100);
        List<Event> writes = history.events().stream().filter(e -> e.type() == EventType.INVOKE && !e.f().equals("get")).toList();
        assertThat(writes).isNotEmpty().allMatch(e -> e.value().endsWith(MultiKeyWorkload.SEPARATOR));
        assertThat(writes.stream().map(Event::value).distinct().count()).isEqualTo(writes.size());
        assertThat(history.events()).filteredOn(e -> e.f().equals("get") && e.type() == EventType.OK).allMatch(e -> "".equals(e.value()));
    }

    @Test
    void keepsToItsPace() throws Exception {
        History history = runClient(new RegisterWorkload(1), request -> request.getFirst().equals("CAS") ? ":0\r\n"
                : request.getFirst().equals("GET") ? "$-1\r\n" : "+OK\r\n", 8, Duration.ofMillis(50));
        List<Long> starts = history.samples().stream().map(OpSample::startNanos).toList();
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).isGreaterThanOrEqualTo(Duration.ofMillis(45).toNanos());
        }
    }

    /** Keeps the requests a handler saw. */
    private static final class FakeRespServerRequests {
        final List<List<String>> requests = new java.util.concurrent.CopyOnWriteArrayList<>();

        Function<List<String>, String> recording(Function<List<String>, String> handler) {
            return request -> {
                requests.add(request);
                return handler.apply(request);
            };
        }
    }
}
