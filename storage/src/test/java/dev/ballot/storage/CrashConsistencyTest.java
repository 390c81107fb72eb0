package dev.ballot.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: "after a crash at any point, on reopen (a) every record that was acknowledged as
 * synced is present, (b) the log is a prefix of what was written, (c) hard state is the old or
 * the new one, never a mix, (d) a snapshot is the old or the new one and verifies."
 *
 * <p>Each seed drives a random workload (appends, conflicting appends, syncs, truncateSuffix,
 * dropPrefix, rolls of 4 KiB segments, hard state saves, snapshot saves, group-commit persists)
 * against a {@link CrashableDisk}. A dry run counts the disk operations; the real run loses power
 * at a random one of them (or after the last). Several power-loss images of that instant are
 * then reopened, a third of them after a second power loss during recovery, and checked:
 * <ul>
 *   <li>(a) the log holds every entry that was acknowledged as synced and is still in every log
 *       state since (an un-synced truncation or conflicting append may or may not have reached
 *       the disk); its first index is at most the largest dropPrefix + 1;</li>
 *   <li>(b) the log, from its first index on, is a prefix of some log state the workload went
 *       through at or after the last acknowledged sync (including the state an operation in
 *       flight was heading for), and term(firstIndex - 1) matches that state;</li>
 *   <li>the hard state is the last acknowledged one or one whose save had begun;</li>
 *   <li>the newest snapshot is the last acknowledged one or one whose save had begun, verifies,
 *       and its data reads back byte for byte;</li>
 *   <li>with group commit, the hard state's commit index is within the log;</li>
 *   <li>the recovered storage keeps working: appends, sync, reopen.</li>
 * </ul>
 * A failure names the seed; {@code -Dballot.crash.seed=N} runs just that one.
 */
class CrashConsistencyTest {

    private static final Path DATA = Path.of("/node");
    private static final Path LOG = DATA.resolve("log");
    private static final Path SNAPSHOTS = DATA.resolve("snapshots");
    private static final long SEGMENT_BYTES = 4096;
    private static final int STEPS = 40;
    private static final int IMAGES = 3;

    enum Mode { DIRECT, GROUP_COMMIT }

    /**
     * @param snapshots        include snapshot saves
     * @param unsyncedRestarts include process restarts (close and reopen on the same disk) without a sync first
     * @param skipFsync        negative control: acknowledge without syncing (durability NONE)
     * @param preallocate      the log extends its segment files with zeros ahead of the records
     */
    record Config(String name, Mode mode, boolean snapshots, boolean unsyncedRestarts, boolean skipFsync,
                  boolean preallocate) {

        SegmentedLog openLog(Disk disk) {
            return SegmentedLog.open(disk, LOG, SEGMENT_BYTES, Durability.FSYNC, preallocate);
        }
    }

    @Test
    void logAndHardStateSurviveAPowerLossAtAnyPoint() {
        runSeeds(new Config("log + hard state", Mode.DIRECT, false, false, false, false), 500);
    }

    @Test
    void groupCommitSurvivesAPowerLossAtAnyPoint() {
        runSeeds(new Config("group commit", Mode.GROUP_COMMIT, false, false, false, false), 250);
    }

    @Test
    void snapshotsSurviveAPowerLossAtAnyPoint() {
        runSeeds(new Config("snapshots", Mode.DIRECT, true, false, false, false), 250);
    }

    @Test
    void processRestartsWithoutASyncThenAPowerLoss() {
        runSeeds(new Config("unsynced restarts", Mode.DIRECT, false, true, false, false), 250);
    }

    @Test
    void aPreallocatedLogSurvivesAPowerLossAtAnyPoint() {
        runSeeds(new Config("preallocated", Mode.DIRECT, false, false, false, true), 400);
    }

    @Test
    void aPreallocatedLogWithGroupCommitSurvivesAPowerLossAtAnyPoint() {
        runSeeds(new Config("preallocated, group commit", Mode.GROUP_COMMIT, false, false, false, true), 150);
    }

    @Test
    void aPreallocatedLogSurvivesProcessRestartsWithoutASyncThenAPowerLoss() {
        runSeeds(new Config("preallocated, unsynced restarts", Mode.DIRECT, false, true, false, true), 150);
    }

    @Test
    void theCheckerCatchesStorageThatAcknowledgesWithoutFsync() {
        // If this passed with fsync skipped, the crash tests above would prove nothing.
        for (Mode mode : Mode.values()) {
            for (boolean preallocate : new boolean[] {false, true}) {
                Config lying = new Config("no fsync", mode, false, false, true, preallocate);
                int caught = 0;
                for (long seed = 0; seed < 100; seed++) {
                    try {
                        runSeed(lying, seed);
                    } catch (AssertionError | RuntimeException e) {
                        caught++;
                    }
                }
                assertThat(caught).as("%s, preallocate %s: seeds whose lost acknowledged writes were caught", mode,
                        preallocate).isGreaterThan(10);
            }
        }
    }

    private static void runSeeds(Config config, int seeds) {
        String only = System.getProperty("ballot.crash.seed");
        long from = only == null ? 0 : Long.parseLong(only);
        long to = only == null ? seeds : from + 1;
        for (long seed = from; seed < to; seed++) {
            try {
                runSeed(config, seed);
            } catch (AssertionError | RuntimeException e) {
                String msg = config.name() + ": seed " + seed + " failed (rerun it alone with -Dballot.crash.seed=" + seed
                        + (config.mode() == Mode.GROUP_COMMIT ? "; group-commit batching varies between runs" : "")
                        + "): " + e;
                System.err.println(msg);
                throw new AssertionError(msg, e);
            }
        }
    }

    private static void runSeed(Config config, long seed) {
        CrashableDisk dry = new CrashableDisk();
        Workload rehearsal = new Workload(config, seed, dry);
        rehearsal.run();
        assertThat(dry.isCrashed()).isFalse();
        rehearsal.checkLiveAndClose();

        Random random = new Random(seed * 7919 + 17);
        long crashAt = 1 + (long) (random.nextDouble() * (dry.operationCount() + 1));
        CrashableDisk disk = new CrashableDisk();
        disk.crashAtOperation(crashAt);
        Workload workload = new Workload(config, seed, disk);
        workload.run();
        for (int i = 0; i < IMAGES; i++) {
            CrashableDisk image = disk.crash(random);
            String how = "power loss at operation " + crashAt + " of " + dry.operationCount() + ", image " + i;
            if (random.nextInt(3) == 0) {
                image = crashDuringRecovery(image, random, config);
                how += ", and again during recovery";
            }
            workload.model.verify(image, config, how);
        }
    }

    /** Runs recovery on {@code image} but loses power again at one of its first operations. */
    private static CrashableDisk crashDuringRecovery(CrashableDisk image, Random random, Config config) {
        image.crashAtOperation(1 + random.nextInt(15));
        try {
            config.openLog(image);
            new HardStateFile(image, DATA).load();
            if (config.snapshots()) new SnapshotStore(image, SNAPSHOTS, 2).latest();
        } catch (StorageException e) {
            if (!image.isCrashed()) throw e;
        }
        return image.crash(random);
    }

    private record Snap(SnapshotMeta meta, byte[] data) {
        @Override
        public String toString() {
            return "Snap{" + meta + ", " + data.length + " bytes}";
        }
    }

    /** What the workload did, and so what a power-loss image may hold. */
    private static final class Model {
        /** Every log state the workload went through (each from index 1), in order; states.get(0) is empty. */
        final List<List<Entry>> states = new ArrayList<>(List.of(List.of()));
        /** Index into states of the last state acknowledged as synced. */
        int synced;
        long maxDrop;
        HardState ackedHardState = HardState.INITIAL;
        final List<HardState> pendingHardStates = new ArrayList<>();
        Snap ackedSnapshot;
        final List<Snap> pendingSnapshots = new ArrayList<>();

        List<Entry> current() {
            return states.getLast();
        }

        long lastIndex() {
            return current().size();
        }

        /** Records the state after replacing everything from {@code start} with {@code entries}. */
        void push(long start, List<Entry> entries) {
            List<Entry> next = new ArrayList<>(current().subList(0, (int) start - 1));
            next.addAll(entries);
            states.add(List.copyOf(next));
        }

        void ackSync(int state) {
            synced = Math.max(synced, state);
        }

        void ackHardState(HardState hs) {
            ackedHardState = hs;
            int i = pendingHardStates.indexOf(hs);
            pendingHardStates.subList(0, i + 1).clear();
        }

        private static long termAt(List<Entry> log, long index) {
            return index == 0 ? 0 : log.get((int) index - 1).term();
        }

        /** Reopens a power-loss image and checks (a) to (d); then checks the storage still works. */
        void verify(CrashableDisk image, Config config, String how) {
            SegmentedLog log = config.openLog(image);
            String where = how + ": ";
            checkLog(log, where);

            HardState hs = new HardStateFile(image, DATA).load();
            List<HardState> allowed = new ArrayList<>(pendingHardStates);
            allowed.add(ackedHardState);
            assertThat(allowed).as(where + "(c) hard state %s is the acknowledged one or one being saved", hs).contains(hs);
            if (config.mode() == Mode.GROUP_COMMIT) {
                assertThat(hs.commitIndex()).as(where + "commit index within the log").isLessThanOrEqualTo(log.lastIndex());
            }

            if (config.snapshots()) checkSnapshot(new SnapshotStore(image, SNAPSHOTS, 2), where);

            // The recovered storage keeps working.
            long last = log.lastIndex();
            long term = Math.max(log.term(last), states.stream().flatMap(List::stream).mapToLong(Entry::term).max().orElse(0)) + 1;
            List<Entry> more = TestEntries.range(last + 1, last + 3, term, 300);
            List<Entry> before = log.entries(log.firstIndex(), last + 1, Long.MAX_VALUE);
            log.append(more);
            log.sync();
            log.close();
            SegmentedLog reopened = config.openLog(image);
            List<Entry> expected = new ArrayList<>(before);
            expected.addAll(more);
            assertThat(reopened.entries(reopened.firstIndex(), reopened.lastIndex() + 1, Long.MAX_VALUE))
                    .as(where + "appends after recovery").isEqualTo(expected);
            reopened.close();
            HardState next = new HardState(hs.currentTerm() + 1, 0, hs.commitIndex());
            new HardStateFile(image, DATA).save(next);
            assertThat(new HardStateFile(image, DATA).load()).isEqualTo(next);
        }

        private void checkLog(SegmentedLog log, String where) {
            long f = log.firstIndex();
            long l = log.lastIndex();
            assertThat(f).as(where + "firstIndex %d <= largest dropPrefix %d + 1", f, maxDrop).isBetween(1L, maxDrop + 1);
            assertThat(l).as(where + "lastIndex >= firstIndex - 1").isGreaterThanOrEqualTo(f - 1);
            List<Entry> got = log.entries(f, l + 1, Long.MAX_VALUE);
            assertThat(got).hasSize((int) (l - f + 1));
            for (long i = f; i <= l; i++) assertThat(log.term(i)).isEqualTo(got.get((int) (i - f)).term());
            long prevTerm = log.term(f - 1);

            // (a) What was synced and stayed in every later state must be there. Synced entries that a later
            // truncation or conflicting append removed may or may not be: that removal was not synced yet.
            List<Entry> base = states.get(synced);
            int mustKeep = base.size();
            for (int k = synced; k < states.size(); k++) mustKeep = Math.min(mustKeep, commonPrefix(base, states.get(k)));
            assertThat(l).as(where + "(a) lastIndex keeps every synced entry not removed since").isGreaterThanOrEqualTo(mustKeep);
            // (b) A prefix of a state the log went through since that sync.
            for (int k = synced; k < states.size(); k++) {
                List<Entry> candidate = states.get(k);
                if (l <= candidate.size() && termAt(candidate, f - 1) == prevTerm
                        && got.equals(candidate.subList((int) f - 1, (int) l))) {
                    return;
                }
            }
            StringBuilder why = new StringBuilder();
            for (int k = synced; k < states.size(); k++) {
                List<Entry> c = states.get(k);
                long mismatch = f;
                while (mismatch <= Math.min(l, c.size()) && got.get((int) (mismatch - f)).equals(c.get((int) mismatch - 1))) mismatch++;
                why.append("\n  state ").append(k).append(": ").append(c.size()).append(" entries, first difference at ").append(mismatch > Math.min(l, c.size()) ? "none" : mismatch + ": "
                                + got.get((int) (mismatch - f)) + " vs " + c.get((int) mismatch - 1))
                        .append(", term before first ").append(f - 1 <= c.size() ? termAt(c, f - 1) : "n/a");
            }
            throw new AssertionError(where + "(a)/(b) the log [" + f + ", " + l + "] (term before it " + prevTerm + ", last "
                    + (got.isEmpty() ? "none" : got.getLast()) + ") is no prefix of any state since the last acknowledged "
                    + "sync (state " + synced + "):" + why);
        }

        private static int commonPrefix(List<Entry> a, List<Entry> b) {
            int n = Math.min(a.size(), b.size());
            int i = 0;
            while (i < n && a.get(i).equals(b.get(i))) i++;
            return i;
        }

        private void checkSnapshot(SnapshotStore store, String where) {
            Optional<SnapshotMeta> latest = store.latest();
            List<Snap> allowed = new ArrayList<>(pendingSnapshots);
            if (ackedSnapshot != null) allowed.add(ackedSnapshot);
            if (latest.isEmpty()) {
                assertThat(ackedSnapshot).as(where + "(d) the acknowledged snapshot is gone").isNull();
                return;
            }
            Snap found = allowed.stream().filter(s -> s.meta().equals(latest.get())).findFirst()
                    .orElseThrow(() -> new AssertionError(where + "(d) snapshot " + latest.get()
                            + " is neither the acknowledged one nor one being saved: " + allowed));
            try (InputStream in = store.openData(found.meta())) {
                assertThat(in.readAllBytes()).as(where + "(d) snapshot data").isEqualTo(found.data());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A seeded random workload; the same seed issues the same operations up to the crash. */
    private static final class Workload {
        final Config config;
        final long seed;
        final CrashableDisk disk;
        final Random random;
        final Model model = new Model();
        final Durability durability;
        SegmentedLog log;
        HardStateFile hardStateFile;
        SnapshotStore snapshots;
        GroupCommitLog groupCommit;
        long term = 1;
        long hardTerm;
        long commitSubmitted;
        long snapshotIndex;

        Workload(Config config, long seed, CrashableDisk disk) {
            this.config = config;
            this.seed = seed;
            this.disk = disk;
            this.random = new Random(seed);
            this.durability = config.skipFsync() ? Durability.NONE : Durability.FSYNC;
        }

        void run() {
            try {
                log = config.openLog(disk);
                hardStateFile = new HardStateFile(disk, DATA);
                snapshots = new SnapshotStore(disk, SNAPSHOTS, 2);
                if (config.mode() == Mode.GROUP_COMMIT) {
                    groupCommit = new GroupCommitLog(log, hardStateFile, durability, "crash-test-" + seed);
                }
                for (int step = 0; step < STEPS; step++) {
                    if (config.mode() == Mode.GROUP_COMMIT) groupCommitStep();
                    else directStep();
                }
            } catch (StorageException e) {
                if (!disk.isCrashed()) throw e;
            } catch (ExecutionException e) {
                if (!disk.isCrashed()) throw new AssertionError("a write failed without a power loss", e);
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError(e);
            } finally {
                stopStorageThread();
            }
        }

        private void stopStorageThread() {
            if (groupCommit == null) return;
            try {
                groupCommit.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** After a run without power loss: everything reads back as the model says. */
        void checkLiveAndClose() {
            assertThat(log.entries(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE))
                    .isEqualTo(model.current().subList((int) log.firstIndex() - 1, model.current().size()));
            assertThat(hardStateFile.load()).isEqualTo(model.ackedHardState);
            if (config.snapshots()) {
                assertThat(snapshots.latest()).isEqualTo(Optional.ofNullable(model.ackedSnapshot).map(Snap::meta));
            }
            log.close();
        }

        private void directStep() {
            int p = random.nextInt(100);
            if (p < 38) append();
            else if (p < 56) sync();
            else if (p < 63) truncate();
            else if (p < 70) drop();
            else if (p < 84) saveHardState();
            else if (p < 94 && config.snapshots()) saveSnapshot();
            else if (config.unsyncedRestarts()) restart(false);
            else restart(true);
        }

        private void groupCommitStep() throws ExecutionException, InterruptedException, TimeoutException {
            int p = random.nextInt(100);
            if (p < 80) persistGroup();
            else if (p < 92) groupCommit.read(l -> dropOn(l));
            else if (config.snapshots()) saveSnapshot();
            else persistGroup();
        }

        private List<Entry> newEntries(long start, int count) {
            List<Entry> out = new ArrayList<>();
            for (long i = start; i < start + count; i++) {
                out.add(TestEntries.entry(i, term, random.nextInt(10) == 0 ? -1 : random.nextInt(400)));
            }
            return out;
        }

        private void append() {
            long first = log.firstIndex();
            long last = model.lastIndex();
            int back = random.nextInt(7) == 0 ? 1 + random.nextInt(6) : 0;
            long start = Math.max(first, last + 1 - back);
            if (start <= last || random.nextInt(4) == 0) term++;
            List<Entry> batch = newEntries(start, 1 + random.nextInt(6));
            model.push(start, batch);
            log.append(batch);
        }

        private void sync() {
            if (!config.skipFsync()) log.sync();
            model.ackSync(model.states.size() - 1);
        }

        private void truncate() {
            long from = Math.max(log.firstIndex(), model.lastIndex() + 1 - random.nextInt(8));
            model.push(from, List.of());
            log.truncateSuffix(from);
        }

        private void drop() {
            dropOn(log);
        }

        private Void dropOn(SegmentedLog l) {
            long first = l.firstIndex();
            long upTo = first - 1 + (long) (random.nextDouble() * (model.lastIndex() - first + 2));
            model.maxDrop = Math.max(model.maxDrop, upTo);
            l.dropPrefix(upTo);
            return null;
        }

        private HardState nextHardState(long commitIndex) {
            hardTerm = Math.max(hardTerm + random.nextInt(3), term);
            return new HardState(hardTerm, random.nextInt(5), commitIndex);
        }

        private void saveHardState() {
            HardState hs = nextHardState(random.nextLong(model.lastIndex() + 1));
            model.pendingHardStates.add(hs);
            hardStateFile.save(hs, durability);
            model.ackHardState(hs);
        }

        private void saveSnapshot() {
            snapshotIndex += 1 + random.nextInt(50);
            Set<Long> voters = new TreeSet<>();
            for (int i = random.nextInt(6); i > 0; i--) voters.add(1L + random.nextInt(9));
            byte[] data = new byte[random.nextInt(5) == 0 ? random.nextInt(200_000) : random.nextInt(3000)];
            random.nextBytes(data);
            Snap snap = new Snap(new SnapshotMeta(snapshotIndex, 1 + random.nextInt(5), voters), data);
            model.pendingSnapshots.add(snap);
            int chunk = 1 + random.nextInt(70_000);
            snapshots.save(snap.meta(), out -> {
                for (int off = 0; off < data.length; off += chunk) out.write(data, off, Math.min(chunk, data.length - off));
            });
            model.ackedSnapshot = snap;
            model.pendingSnapshots.clear();
        }

        /** The process stops and starts again on the same disk (page cache intact); no power loss. */
        private void restart(boolean syncFirst) {
            long first = log.firstIndex();
            if (syncFirst) sync();
            log.close();
            log = config.openLog(disk);
            assertThat(log.firstIndex()).isEqualTo(first);
            assertThat(log.entries(first, log.lastIndex() + 1, Long.MAX_VALUE))
                    .isEqualTo(model.current().subList((int) first - 1, model.current().size()));
            HardState hs = hardStateFile.load();
            assertThat(hs).isEqualTo(model.ackedHardState);
        }

        private void persistGroup() throws ExecutionException, InterruptedException, TimeoutException {
            int n = 1 + random.nextInt(4);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            List<Integer> stateOf = new ArrayList<>();
            List<HardState> hardStates = new ArrayList<>();
            long first = groupCommit.read(SegmentedLog::firstIndex);
            for (int i = 0; i < n; i++) {
                List<Entry> entries = List.of();
                if (random.nextInt(5) != 0) {
                    long last = model.lastIndex();
                    int back = random.nextInt(6) == 0 ? 1 + random.nextInt(6) : 0;
                    long start = Math.max(Math.max(first, commitSubmitted + 1), last + 1 - back);
                    if (start <= last || random.nextInt(4) == 0) term++;
                    entries = newEntries(start, 1 + random.nextInt(6));
                    model.push(start, entries);
                }
                HardState hs = null;
                if (random.nextInt(10) < 6) {
                    commitSubmitted += (long) (random.nextDouble() * (model.lastIndex() - commitSubmitted + 1));
                    hs = nextHardState(commitSubmitted);
                    model.pendingHardStates.add(hs);
                }
                stateOf.add(model.states.size() - 1);
                hardStates.add(hs);
                futures.add(groupCommit.persist(entries, hs));
            }
            for (int i = 0; i < n; i++) {
                futures.get(i).get(30, TimeUnit.SECONDS);
                model.ackSync(config.skipFsync() ? model.states.size() - 1 : stateOf.get(i));
                if (hardStates.get(i) != null) model.ackHardState(hardStates.get(i));
            }
        }
    }

    @Test
    void theModelAcceptsWhatAnUntouchedDiskHolds() {
        // Sanity of the checker itself: an image taken after a final sync of everything must pass.
        Workload w = new Workload(new Config("untouched", Mode.DIRECT, false, false, false, false), 1, new CrashableDisk());
        w.run();
        w.log.sync();
        w.model.ackSync(w.model.states.size() - 1);
        w.model.verify(w.disk.crash(new Random(1)), w.config, "after a final sync");
        assertThat(Arrays.asList(w.model.states.size(), w.model.current().size())).allMatch(n -> n > 0);
    }
}
