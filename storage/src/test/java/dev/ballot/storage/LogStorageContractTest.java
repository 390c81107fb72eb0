package dev.ballot.storage;

import static dev.ballot.storage.TestEntries.entry;
import static dev.ballot.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballot.raft.Entry;
import dev.ballot.raft.LogStorage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LogStorage} must do, run against the engine's in-memory reference
 * ({@link MemoryLogStorageContractTest}) and the durable log ({@link SegmentedLogContractTest}).
 * Payloads are a few hundred bytes so that the segmented log spans several segments.
 */
abstract class LogStorageContractTest {

    static final int PAYLOAD = 300;

    /** An empty log starting at index 1. */
    abstract LogStorage newLog();

    /**
     * A log holding {@code entries} (starting at index 1) whose prefix up to at most {@code upTo}
     * was compacted away; at least one entry must have been dropped.
     */
    abstract LogStorage logWithPrefixDropped(List<Entry> entries, long upTo);

    private static List<Entry> all(LogStorage log) {
        return log.entries(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE);
    }

    private static void assertHolds(LogStorage log, List<Entry> expected) {
        long first = expected.isEmpty() ? log.firstIndex() : expected.getFirst().index();
        assertThat(log.firstIndex()).isEqualTo(first);
        assertThat(log.lastIndex()).isEqualTo(first + expected.size() - 1);
        assertThat(all(log)).isEqualTo(expected);
        for (Entry e : expected) assertThat(log.term(e.index())).as("term(%d)", e.index()).isEqualTo(e.term());
    }

    @Test
    void anEmptyLogStartsAtOneWithTermZeroBeforeIt() {
        LogStorage log = newLog();
        assertThat(log.firstIndex()).isEqualTo(1);
        assertThat(log.lastIndex()).isEqualTo(0);
        assertThat(log.term(0)).isEqualTo(0);
        assertThat(log.entries(1, 1, 0)).isEmpty();
        assertThatThrownBy(() -> log.term(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log.entries(1, 2, Long.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void appendsAccumulateInOrder() {
        LogStorage log = newLog();
        List<Entry> expected = new ArrayList<>();
        expected.addAll(range(1, 5, 1, PAYLOAD));
        expected.add(entry(6, 2, -1)); // a noop
        expected.addAll(range(7, 30, 2, PAYLOAD));
        log.append(expected.subList(0, 5));
        log.append(expected.subList(5, 6));
        log.append(expected.subList(6, 30));
        assertHolds(log, expected);
        assertThat(log.term(0)).isEqualTo(0);
        assertThat(log.entries(6, 7, 0)).containsExactly(entry(6, 2, -1));
    }

    @Test
    void appendingNothingChangesNothing() {
        LogStorage log = newLog();
        log.append(range(1, 3, 1, PAYLOAD));
        log.append(List.of());
        assertHolds(log, range(1, 3, 1, PAYLOAD));
    }

    @Test
    void aConflictingAppendReplacesTheWholeSuffix() {
        LogStorage log = newLog();
        log.append(range(1, 30, 1, PAYLOAD));
        List<Entry> replacement = range(12, 14, 3, PAYLOAD);
        log.append(replacement);
        List<Entry> expected = new ArrayList<>(range(1, 11, 1, PAYLOAD));
        expected.addAll(replacement);
        assertHolds(log, expected); // 15..30 are gone although the new batch was shorter
        log.append(range(15, 16, 3, PAYLOAD));
        expected.addAll(range(15, 16, 3, PAYLOAD));
        assertHolds(log, expected);
    }

    @Test
    void anAppendAtOrBelowLastIndexTruncatesFromThereEvenIfTheEntriesMatch() {
        LogStorage log = newLog();
        log.append(range(1, 10, 1, PAYLOAD));
        log.append(range(4, 5, 1, PAYLOAD)); // as the contract says: every held entry from 4 on is deleted first
        assertHolds(log, range(1, 5, 1, PAYLOAD));
    }

    @Test
    void aConflictingAppendCanReplaceTheVeryFirstEntry() {
        LogStorage log = newLog();
        log.append(range(1, 20, 1, PAYLOAD));
        log.append(range(1, 2, 2, PAYLOAD));
        assertHolds(log, range(1, 2, 2, PAYLOAD));
    }

    @Test
    void appendsOutsideFirstToLastPlusOneAreRefusedAndChangeNothing() {
        LogStorage log = newLog();
        log.append(range(1, 5, 1, PAYLOAD));
        assertThatThrownBy(() -> log.append(range(7, 8, 1, PAYLOAD))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.append(range(100, 101, 1, PAYLOAD))).isInstanceOf(IllegalArgumentException.class);
        assertHolds(log, range(1, 5, 1, PAYLOAD));
    }

    @Test
    void aBatchWithAGapIsRefusedAndChangesNothing() {
        LogStorage log = newLog();
        log.append(range(1, 5, 1, PAYLOAD));
        List<Entry> gappy = new ArrayList<>(range(6, 8, 1, PAYLOAD));
        gappy.add(entry(10, 1, PAYLOAD));
        assertThatThrownBy(() -> log.append(gappy)).isInstanceOf(IllegalArgumentException.class);
        assertHolds(log, range(1, 5, 1, PAYLOAD));
        log.append(range(6, 7, 1, PAYLOAD)); // and the log still works
        assertHolds(log, range(1, 7, 1, PAYLOAD));
    }

    @Test
    void entriesStopOnceTheirSizeExceedsMaxBytesButReturnAtLeastOne() {
        LogStorage log = newLog();
        List<Entry> expected = new ArrayList<>();
        for (long i = 1; i <= 40; i++) expected.add(entry(i, 1, (int) (i * 37 % 500)));
        log.append(expected);
        for (long from = 1; from <= 40; from += 3) {
            for (long to = from; to <= 41; to += 4) {
                for (long maxBytes : new long[] {0, 1, 100, 523, 1000, 2500, 7000, Long.MAX_VALUE}) {
                    assertThat(log.entries(from, to, maxBytes)).as("entries(%d, %d, %d)", from, to, maxBytes)
                            .isEqualTo(expectedSlice(expected, from, to, maxBytes));
                }
            }
        }
    }

    @Test
    void entriesExactlyAtTheByteBoundaryAreIncluded() {
        LogStorage log = newLog();
        List<Entry> es = range(1, 20, 1, PAYLOAD);
        log.append(es);
        long three = es.get(0).sizeBytes() + es.get(1).sizeBytes() + es.get(2).sizeBytes();
        assertThat(log.entries(1, 21, three)).hasSize(3);
        assertThat(log.entries(1, 21, three - 1)).hasSize(2);
        assertThat(log.entries(1, 21, 0)).containsExactly(es.getFirst());
        long fifteen = es.subList(0, 15).stream().mapToLong(Entry::sizeBytes).sum();
        assertThat(log.entries(1, 21, fifteen)).isEqualTo(es.subList(0, 15)); // spans segments
    }

    private static List<Entry> expectedSlice(List<Entry> all, long from, long to, long maxBytes) {
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i < to; i++) {
            Entry e = all.get((int) i - 1);
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) break;
            out.add(e);
        }
        return out;
    }

    @Test
    void outOfRangeReadsAreIndexErrors() {
        LogStorage log = newLog();
        log.append(range(1, 10, 1, PAYLOAD));
        assertThatThrownBy(() -> log.term(11)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log.term(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log.entries(0, 3, Long.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log.entries(5, 12, Long.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log.entries(5, 4, Long.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(log.entries(11, 11, Long.MAX_VALUE)).isEmpty();
        assertThat(log.entries(5, 5, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void afterCompactionTheTermBeforeFirstIndexIsStillKnown() {
        List<Entry> es = new ArrayList<>();
        for (long i = 1; i <= 60; i++) es.add(entry(i, 1 + i / 7, PAYLOAD)); // terms change often
        LogStorage log = logWithPrefixDropped(es, 40);
        long first = log.firstIndex();
        assertThat(first).isBetween(2L, 41L);
        assertThat(log.lastIndex()).isEqualTo(60);
        assertThat(log.term(first - 1)).isEqualTo(es.get((int) first - 2).term());
        assertThat(all(log)).isEqualTo(es.subList((int) first - 1, 60));
        assertThatThrownBy(() -> log.term(first - 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log.entries(first - 1, first + 1, Long.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log.append(range(first - 1, first, 9, PAYLOAD))).isInstanceOf(IllegalArgumentException.class);
        // a conflicting append right at the first held index is allowed
        log.append(range(first, first + 1, 20, PAYLOAD));
        assertThat(log.lastIndex()).isEqualTo(first + 1);
        assertThat(log.term(first - 1)).isEqualTo(es.get((int) first - 2).term());
        assertThat(log.term(first)).isEqualTo(20);
    }

    @Test
    void restoreReplacesTheWholeLogByAnEmptyOneAfterTheSnapshot() {
        LogStorage log = newLog();
        log.append(range(1, 12, 1, PAYLOAD));
        log.restore(20, 3);
        assertThat(log.firstIndex()).isEqualTo(21);
        assertThat(log.lastIndex()).isEqualTo(20);
        assertThat(log.term(20)).isEqualTo(3);
        assertThatThrownBy(() -> log.term(19)).isInstanceOf(IndexOutOfBoundsException.class);
        List<Entry> after = range(21, 25, 3, PAYLOAD);
        log.append(after);
        assertHolds(log, after);
        assertThat(log.term(20)).isEqualTo(3);
    }

    @Test
    void restoreMayAlsoGoBelowTheOldLastIndex() {
        LogStorage log = newLog();
        log.append(range(1, 12, 1, PAYLOAD));
        log.restore(5, 2); // a snapshot that conflicts with entries the log held after 5
        assertThat(log.firstIndex()).isEqualTo(6);
        assertThat(log.lastIndex()).isEqualTo(5);
        assertThat(log.term(5)).isEqualTo(2);
    }

    @Test
    void restoreRefusesAnImpossibleSnapshotPositionAndChangesNothing() {
        LogStorage log = newLog();
        List<Entry> entries = range(1, 4, 1, PAYLOAD);
        log.append(entries);
        assertThatThrownBy(() -> log.restore(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.restore(5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertHolds(log, entries);
    }
}
