package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.Event;
import dev.ballot.testkit.lin.EventType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryTest {

    @Test
    void recordsInvocationsAndOutcomesWithTimesRelativeToTheStart() {
        History history = new History(System.nanoTime());
        Op cas = new Op("cas", "r1", "5", "4");
        long invokedAt = history.invoke(3, cas);
        history.complete(3, cas, EventType.FAIL, cas.value(), invokedAt);

        List<Event> events = history.events();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isEqualTo(new Event(3, EventType.INVOKE, "cas", "r1", "5", "4", invokedAt));
        assertThat(events.get(1).type()).isEqualTo(EventType.FAIL);
        assertThat(events.get(1).expected()).isEqualTo("4");
        assertThat(events.get(1).time()).isGreaterThanOrEqualTo(invokedAt);
        assertThat(invokedAt).isGreaterThanOrEqualTo(0).isLessThan(60_000_000_000L);
        assertThat(history.samples()).singleElement().satisfies(s -> {
            assertThat(s.f()).isEqualTo("cas");
            assertThat(s.startNanos()).isEqualTo(invokedAt);
            assertThat(s.latencyNanos()).isEqualTo(events.get(1).time() - invokedAt);
            assertThat(s.outcome()).isEqualTo(EventType.FAIL);
        });
    }

    @Test
    void concurrentClientsGiveATimeOrderedHistoryWithEveryOperationPaired() throws Exception {
        History history = new History(System.nanoTime());
        int clients = 8;
        int opsEach = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < clients; p++) {
            int process = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < opsEach; i++) {
                    Op op = new Op("write", "r0", process + "-" + i, null);
                    long t = history.invoke(process, op);
                    history.complete(process, op, EventType.OK, op.value(), t);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();

        List<Event> events = history.events();
        assertThat(events).hasSize(2 * clients * opsEach);
        for (int i = 1; i < events.size(); i++) assertThat(events.get(i).time()).isGreaterThanOrEqualTo(events.get(i - 1).time());
        Map<Integer, Event> open = new HashMap<>();
        for (Event e : events) {
            if (e.type() == EventType.INVOKE) {
                assertThat(open.put(e.process(), e)).isNull();
            } else {
                assertThat(open.remove(e.process()).value()).isEqualTo(e.value());
            }
        }
        assertThat(open).isEmpty();
        assertThat(history.samples()).hasSize(clients * opsEach);
    }

    @Test
    void countsCompletedOperationsByOutcome() {
        History history = new History(System.nanoTime());
        Op write = new Op("write", "r1", "1", null);
        EventType[] outcomes = {EventType.OK, EventType.OK, EventType.FAIL, EventType.INFO, EventType.OK};
        for (int p = 0; p < outcomes.length; p++) {
            history.complete(p, write, outcomes[p], "1", history.invoke(p, write));
        }
        history.invoke(9, write); // still running: not counted
        assertThat(history.counts()).isEqualTo(new History.Counts(3, 1, 1));
    }

    @Test
    void theNemesisLogKnowsWhichFaultsAreInForce() {
        NemesisLog log = new NemesisLog();
        log.open(FaultFamily.KILL, "kill n2", 1);
        log.open(FaultFamily.DELAY, "delay 5-50 ms", 2);
        assertThat(log.activeFaults()).containsExactlyInAnyOrder("kill n2", "delay 5-50 ms");
        log.close(FaultFamily.KILL, 3);
        assertThat(log.activeFaults()).containsExactly("delay 5-50 ms");
        log.closeAll(4);
        assertThat(log.activeFaults()).isEmpty();
    }

    @Test
    void anOutcomeCannotBeAnInvocation() {
        History history = new History(System.nanoTime());
        Op read = Op.read("read", "r0");
        assertThatThrownBy(() -> history.complete(0, read, EventType.INVOKE, null, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
