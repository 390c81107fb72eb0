package dev.ballot.testkit.lin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private static final Duration BUDGET = Duration.ofSeconds(10);

    private static CheckResult register(HistoryBuilder h) {
        return LinearizabilityChecker.check(h.build(), Model.register(), BUDGET);
    }

    private static CheckResult kv(HistoryBuilder h) {
        return LinearizabilityChecker.check(h.build(), Model.keyValue(), BUDGET);
    }

    @Test
    void aSequentialHistoryIsLinearizable() {
        CheckResult result = register(new HistoryBuilder()
                .op(0, "read", null)
                .op(0, "write", "1")
                .op(1, "read", "1")
                .invokeCas(1, "1", "2").ok(1, "cas", "2")
                .op(0, "read", "2"));
        assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(result.explanation()).startsWith("LINEARIZABLE: 5 operation(s) on 1 key(s), register model");
        assertThat(result.failingKey()).isNull();
        assertThat(result.involved()).isEmpty();
    }

    @Test
    void aStaleReadIsNotLinearizable() {
        CheckResult result = register(new HistoryBuilder()
                .op(0, "write", "1")
                .op(1, "write", "2")
                .op(2, "read", "1"));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(result.failingKey()).isEqualTo("");
    }

    @Test
    void aReadConcurrentWithAWriteMaySeeEitherValueButNoOther() {
        for (String seen : new String[] {"1", "2"}) {
            CheckResult result = register(new HistoryBuilder()
                    .op(0, "write", "1")
                    .invoke(0, "write", "2")
                    .invoke(1, "read", null)
                    .ok(1, "read", seen)
                    .ok(0, "write", "2"));
            assertThat(result.verdict()).as("read %s", seen).isEqualTo(Verdict.LINEARIZABLE);
        }
        CheckResult result = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invoke(0, "write", "2")
                .invoke(1, "read", null)
                .ok(1, "read", "3")
                .ok(0, "write", "2"));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anIndeterminateWriteThatWasReadMustHaveHappened() {
        CheckResult withInfo = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invoke(1, "write", "2").info(1, "write")
                .op(2, "read", "2"));
        assertThat(withInfo.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        // No completion at all: process 1 never hears back, yet its write is seen.
        CheckResult neverCompleted = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invoke(1, "write", "2")
                .op(2, "read", "2"));
        assertThat(neverCompleted.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void anIndeterminateWriteTakesEffectAtMostOnce() {
        CheckResult result = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invoke(1, "write", "2").info(1, "write")
                .op(2, "read", "2")
                .op(2, "read", "1"));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anIndeterminateOperationMayNeverHappen() {
        // The cas can take effect nowhere (the register never holds 7): only "never" explains the history.
        CheckResult cas = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invokeCas(1, "7", "2").info(1, "cas")
                .op(0, "read", "1")
                .op(0, "write", "3")
                .op(0, "read", "3"));
        assertThat(cas.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        // An unfinished write that nobody saw; a later invoke by the same process ends the first one's wait.
        CheckResult write = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invoke(1, "write", "2")
                .op(2, "read", "1")
                .invoke(1, "read", null).ok(1, "read", "1"));
        assertThat(write.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aFailedCasIsADefiniteAnswerAndChangesNothing() {
        CheckResult mismatch = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invokeCas(1, "3", "2").fail(1, "cas")
                .op(2, "read", "1"));
        assertThat(mismatch.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        // It could not have failed: the register held what it expected.
        CheckResult shouldHaveSwapped = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invokeCas(1, "1", "2").fail(1, "cas"));
        assertThat(shouldHaveSwapped.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        // And it changed nothing.
        CheckResult changed = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invokeCas(1, "3", "2").fail(1, "cas")
                .op(2, "read", "2"));
        assertThat(changed.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aFailedWriteDidNotHappenAndAFailedReadSaysNothing() {
        CheckResult seen = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invoke(1, "write", "2").fail(1, "write")
                .op(2, "read", "2"));
        assertThat(seen.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        CheckResult unseen = register(new HistoryBuilder()
                .op(0, "write", "1")
                .invoke(1, "write", "2").fail(1, "write")
                .invoke(2, "read", null).fail(2, "read")
                .invoke(2, "read", null).info(2, "read")
                .op(2, "read", "1"));
        assertThat(unseen.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void keysAreCheckedIndependentlyAndTheSmallestFailingKeyIsReported() {
        HistoryBuilder h = new HistoryBuilder()
                .key("a").op(0, "put", "x").op(1, "append", "y").op(2, "get", "xy")
                .key("b").op(0, "append", "1").op(1, "get", "1").op(2, "append", "2").op(2, "get", "1") // stale
                .key("c").op(0, "get", "").op(1, "put", "z").op(0, "get", "")                             // stale, smaller
                .key("d").op(0, "get", "");
        CheckResult result = kv(h);
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(result.failingKey()).isEqualTo("c");
        assertThat(result.explanation()).contains("key \"c\" (3 operation(s))");

        // A value written under one key is not there under another.
        CheckResult crossed = kv(new HistoryBuilder().key("a").op(0, "put", "1").key("b").op(1, "get", "1"));
        assertThat(crossed.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(crossed.failingKey()).isEqualTo("b");
    }

    @Test
    void theExplanationNamesTheKeyThePrefixAndTheOperationsThatCannotBeLinearized() {
        CheckResult result = kv(new HistoryBuilder()
                .key("k7")
                .op(0, "put", "1")
                .op(1, "append", "2")
                .invoke(2, "get", null)
                .invoke(3, "append", "3")
                .ok(2, "get", "1")
                .ok(3, "append", "3"));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(result.failingKey()).isEqualTo("k7");
        assertThat(result.explanation())
                .contains("NOT LINEARIZABLE: key \"k7\" (4 operation(s))")
                .contains("longest linearizable prefix found has 3 operation(s)")
                .contains("1. process 0: put \"1\" [ok] invoked 1, completed 2")
                .contains("2. process 1: append \"2\" [ok] invoked 3, completed 4")
                .contains("3. process 3: append \"3\" [ok] invoked 6, completed 8")
                .contains("the state is \"123\"")
                .contains("had to take effect", "process 2: get -> \"1\" [ok] invoked 5, completed 7");
        assertThat(result.involved()).containsExactly(
                "process 2: get -> \"1\" [ok] invoked 5, completed 7  -- impossible in this state");
        assertThat(result.explanation().lines().count()).isGreaterThan(5);
    }

    @Test
    void aLongPrefixIsShownByItsEnd() {
        HistoryBuilder h = new HistoryBuilder();
        for (int i = 1; i <= 60; i++) h.op(0, "write", Integer.toString(i));
        h.invoke(1, "write", "61").info(1, "write");
        CheckResult result = register(h.op(2, "read", "59"));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(result.explanation())
                .contains("prefix found has 61 operation(s) (the first 11 not shown), in this order:")
                .doesNotContain("  11. process 0")
                .contains("  12. process 0: write \"12\" [ok] invoked 23, completed 24")
                .contains("  61. process 1: write \"61\" [info] invoked 121, outcome unknown")
                .contains("the state is \"61\"");
        assertThat(result.involved()).containsExactly(
                "process 2: read -> \"59\" [ok] invoked 123, completed 124  -- impossible in this state");
    }

    @Test
    void aBudgetThatRunsOutGivesUnknown() throws Exception {
        List<Event> big = HistoryFiles.readEdn(PublishedHistoriesTest.resource("kv-append/c50-bad.txt"));
        for (Duration none : new Duration[] {Duration.ZERO, Duration.ofNanos(1), Duration.ofSeconds(-1)}) {
            CheckResult result = LinearizabilityChecker.check(big, Model.keyValue(), none);
            assertThat(result.verdict()).as("budget %s", none).isEqualTo(Verdict.UNKNOWN);
            assertThat(result.explanation()).startsWith("UNKNOWN: 10 of 10 key(s) could not be decided within the budget")
                    .contains("operation(s), 0 search steps, ran out of time", "Give the check more time");
        }
        // The same history with time enough is decided.
        assertThat(LinearizabilityChecker.check(big, Model.keyValue(), BUDGET).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aSearchWhoseMemoOutgrowsItsMemoryGivesUnknown() throws Exception {
        List<Event> big = HistoryFiles.readEdn(PublishedHistoriesTest.resource("kv-append/c50-bad.txt"));
        CheckResult result = LinearizabilityChecker.check(big, Model.keyValue(), BUDGET, 1000);
        assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(result.explanation()).contains("gave up: its memo outgrew the memory allowed");
    }

    @Test
    void anEmptyHistoryIsLinearizable() {
        assertThat(LinearizabilityChecker.check(List.of(), Model.register(), Duration.ZERO).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void malformedHistoriesAreRejected() {
        assertThatThrownBy(() -> register(new HistoryBuilder().ok(0, "write", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("process 0 has no invoke waiting");
        assertThatThrownBy(() -> register(new HistoryBuilder().invoke(0, "write", "1").ok(0, "read", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("completes a read but process 0 invoked a write");
        assertThatThrownBy(() -> register(new HistoryBuilder().op(0, "put", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("register model has read, write and cas, not 'put'");
    }
}
