package dev.ballot.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of append / truncateSuffix / dropPrefix / sync / close+reopen / sync+power
 * loss against a list model. 4 KiB segments and payloads up to 600 bytes make the log roll every
 * few entries. After every step, and in particular after every reopen, the log must equal the
 * model from its first index on; dropPrefix may keep more than asked (whole segments only) but
 * never more than it held, and dropping everything up to the last index leaves one segment.
 */
class SegmentedLogPropertiesTest {

    private static final long SEGMENT_BYTES = 4096;
    private static final Path DIR = Path.of("/node/log");

    sealed interface Action permits Append, Truncate, Drop, Sync, Reopen, SyncAndCrash {}

    /** {@code back} > 0 starts the batch that far before lastIndex + 1 (a conflicting suffix); payload -1 is a noop. */
    record Append(int count, int payload, int back, boolean newTerm) implements Action {}

    record Truncate(int back) implements Action {}

    /** Drops up to {@code percent} of the way from firstIndex - 1 to lastIndex. */
    record Drop(int percent) implements Action {}

    record Sync() implements Action {}

    record Reopen() implements Action {}

    record SyncAndCrash(long seed) implements Action {}

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> append = Combinators.combine(
                Arbitraries.integers().between(1, 8),
                Arbitraries.integers().between(-1, 600),
                Arbitraries.frequency(Tuple.of(8, 0), Tuple.of(1, 1), Tuple.of(1, 3), Tuple.of(1, 12)),
                Arbitraries.of(true, false)).as(Append::new);
        Arbitrary<Action> truncate = Arbitraries.integers().between(0, 12).map(Truncate::new);
        Arbitrary<Action> drop = Arbitraries.integers().between(0, 100).map(Drop::new);
        Arbitrary<Action> sync = Arbitraries.just(new Sync());
        Arbitrary<Action> reopen = Arbitraries.just(new Reopen());
        Arbitrary<Action> crash = Arbitraries.longs().map(SyncAndCrash::new);
        return Arbitraries.frequencyOf(
                Tuple.of(12, append), Tuple.of(2, truncate), Tuple.of(2, drop),
                Tuple.of(2, sync), Tuple.of(3, reopen), Tuple.of(1, crash)).list().ofMinSize(1).ofMaxSize(50);
    }

    @Property(tries = 200)
    void matchesTheModelOnAnInMemoryDisk(@ForAll("actions") List<Action> actions) {
        new Run(new CrashableDisk(), DIR).play(actions);
    }

    @Property(tries = 25)
    void matchesTheModelOnTheRealFileSystem(@ForAll("actions") List<Action> actions) throws IOException {
        Path tmp = Files.createTempDirectory("ballot-log-props");
        try {
            new Run(new RealDisk(), tmp.resolve("log")).play(actions);
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    /** One execution of an action sequence. */
    private static final class Run {
        private Disk disk;
        private final Path dir;
        private SegmentedLog log;
        /** Every entry from index 1 on, including those dropped from the log. */
        private final List<Entry> model = new ArrayList<>();
        private long term = 1;
        private long maxDrop;
        private long lastFirstIndex = 1;

        Run(Disk disk, Path dir) {
            this.disk = disk;
            this.dir = dir;
        }

        void play(List<Action> actions) {
            log = SegmentedLog.open(disk, dir, SEGMENT_BYTES);
            try {
                check();
                for (Action a : actions) {
                    apply(a);
                    check();
                }
            } finally {
                log.close();
            }
        }

        private long last() {
            return model.size();
        }

        private void apply(Action action) {
            long first = log.firstIndex();
            switch (action) {
                case Append a -> {
                    long start = Math.max(first, last() + 1 - a.back());
                    if (a.newTerm() || start <= last()) term++;
                    List<Entry> batch = new ArrayList<>();
                    for (long i = start; i < start + a.count(); i++) batch.add(TestEntries.entry(i, term, a.payload()));
                    log.append(batch);
                    model.subList((int) start - 1, model.size()).clear();
                    model.addAll(batch);
                }
                case Truncate t -> {
                    long from = Math.max(first, last() + 1 - t.back());
                    log.truncateSuffix(from);
                    model.subList((int) from - 1, model.size()).clear();
                }
                case Drop d -> {
                    long upTo = first - 1 + (last() - first + 1) * d.percent() / 100;
                    log.dropPrefix(upTo);
                    maxDrop = Math.max(maxDrop, upTo);
                    assertThat(log.firstIndex()).as("dropPrefix(%d) keeps at most what it held", upTo)
                            .isLessThanOrEqualTo(Math.max(first, upTo + 1));
                    if (upTo == last()) {
                        assertThat(log.segmentCount()).as("dropPrefix(lastIndex) leaves only the active segment").isEqualTo(1);
                    }
                }
                case Sync s -> log.sync();
                case Reopen r -> {
                    int segments = log.segmentCount();
                    log.close();
                    log = SegmentedLog.open(disk, dir, SEGMENT_BYTES);
                    assertThat(log.firstIndex()).as("firstIndex after reopen").isEqualTo(first);
                    assertThat(log.segmentCount()).as("segments after reopen").isEqualTo(segments);
                }
                case SyncAndCrash c -> {
                    log.sync();
                    log.close();
                    if (disk instanceof CrashableDisk crashable) disk = crashable.crash(new Random(c.seed()));
                    log = SegmentedLog.open(disk, dir, SEGMENT_BYTES);
                    assertThat(log.firstIndex()).as("firstIndex after sync and power loss").isEqualTo(first);
                }
            }
        }

        private long modelTerm(long index) {
            return index == 0 ? 0 : model.get((int) index - 1).term();
        }

        private void check() {
            long f = log.firstIndex();
            long l = log.lastIndex();
            assertThat(l).as("lastIndex").isEqualTo(last());
            assertThat(f).as("firstIndex never moves back").isGreaterThanOrEqualTo(lastFirstIndex);
            assertThat(f).as("firstIndex <= largest dropPrefix + 1").isLessThanOrEqualTo(maxDrop + 1);
            assertThat(f).as("firstIndex <= lastIndex + 1").isLessThanOrEqualTo(l + 1);
            lastFirstIndex = f;
            assertThat(log.term(f - 1)).as("term(firstIndex - 1)").isEqualTo(modelTerm(f - 1));
            for (long i = f; i <= l; i++) assertThat(log.term(i)).as("term(%d)", i).isEqualTo(modelTerm(i));
            List<Entry> expected = model.subList((int) f - 1, (int) l);
            assertThat(log.entries(f, l + 1, Long.MAX_VALUE)).isEqualTo(expected);
            long from = f + (l - f + 1) / 3;
            assertThat(log.entries(from, l + 1, 1500)).as("entries(%d, %d, 1500)", from, l + 1)
                    .isEqualTo(capped(model.subList((int) from - 1, (int) l), 1500));
        }

        private static List<Entry> capped(List<Entry> entries, long maxBytes) {
            List<Entry> out = new ArrayList<>();
            long bytes = 0;
            for (Entry e : entries) {
                bytes += e.sizeBytes();
                if (!out.isEmpty() && bytes > maxBytes) break;
                out.add(e);
            }
            return out;
        }
    }
}
