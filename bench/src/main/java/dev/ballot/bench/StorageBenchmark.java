package dev.ballot.bench;

import dev.ballot.raft.Entry;
import dev.ballot.storage.Durability;
import dev.ballot.storage.GroupCommitLog;
import dev.ballot.storage.HardStateFile;
import dev.ballot.storage.RealDisk;
import dev.ballot.storage.SegmentedLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Durable append throughput of the segmented log against the disk's own write+fsync rate, measured
 * side by side in one run (rounds alternate, medians reported) because this machine is noisy.
 *
 * <ul>
 *   <li><b>raw</b>: {@code FileChannel.write} of one batch's bytes, then {@code force}: the ceiling.</li>
 *   <li><b>log</b>: {@link SegmentedLog#append} of the batch, then {@link SegmentedLog#sync()}, segment
 *       files not preallocated.</li>
 *   <li><b>pre</b>: the same with segment files preallocated (zeros written ahead of the records, as
 *       in production), so a sync need not commit a new file size.</li>
 *   <li><b>group</b>: {@link GroupCommitLog} fed by one producer that keeps up to 4 batches in
 *       flight (as a raft loop that does not wait for the disk); the storage thread shares one
 *       fsync among whatever is queued.</li>
 * </ul>
 *
 * Run: {@code ./ballot bench-storage [seconds-per-measurement] [rounds]} (see docs/benchmarks.md).
 */
public final class StorageBenchmark {

    private static final int[] ENTRY_SIZES = {100, 1024};
    private static final int[] BATCHES = {1, 16, 256, 1024};
    private static final int GROUP_IN_FLIGHT = 4;

    private final Path root;
    private final double seconds;
    private final int rounds;

    private StorageBenchmark(Path root, double seconds, int rounds) {
        this.root = root;
        this.seconds = seconds;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Path.of(System.getProperty("ballot.bench.dir", "bench/target/storage-bench"));
        Files.createDirectories(root);
        new StorageBenchmark(root, seconds, rounds).run();
    }

    private record Result(double entriesPerSecond, double megabytesPerSecond, long batches, long syncs) {}

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "# storage benchmark: %s s per measurement, %d rounds, medians; dir %s%n",
                seconds, rounds, root.toAbsolutePath());
        System.out.println("| entry | batch | batch bytes | raw entries/s | raw MB/s | log entries/s | log MB/s | log/raw "
                + "| log syncs/batches | pre entries/s | pre/raw | group entries/s | group syncs/batches |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int size : ENTRY_SIZES) {
            for (int batch : BATCHES) {
                List<Result> raw = new ArrayList<>();
                List<Result> log = new ArrayList<>();
                List<Result> pre = new ArrayList<>();
                List<Result> group = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    raw.add(raw(size, batch));
                    log.add(log(size, batch, false));
                    pre.add(log(size, batch, true));
                    group.add(group(size, batch));
                }
                Result rawMed = median(raw);
                Result logMed = median(log);
                Result preMed = median(pre);
                Result groupMed = median(group);
                System.out.printf(Locale.ROOT, "| %d B | %d | %d KiB | %,.0f | %.1f | %,.0f | %.1f | %.0f%% | %d/%d | %,.0f | %.0f%% "
                                + "| %,.0f | %d/%d |%n",
                        size, batch, (long) recordBytes(size) * batch / 1024, rawMed.entriesPerSecond,
                        rawMed.megabytesPerSecond, logMed.entriesPerSecond, logMed.megabytesPerSecond,
                        100 * logMed.megabytesPerSecond / rawMed.megabytesPerSecond, logMed.syncs, logMed.batches,
                        preMed.entriesPerSecond, 100 * preMed.megabytesPerSecond / rawMed.megabytesPerSecond,
                        groupMed.entriesPerSecond, groupMed.syncs, groupMed.batches);
            }
        }
    }

    /** Bytes one entry takes in a segment (record framing included): what raw writes too. */
    private static int recordBytes(int payload) {
        return 25 + payload;
    }

    private Result raw(int size, int batch) throws IOException {
        Path file = fresh("raw").resolve("raw.dat");
        ByteBuffer buf = ByteBuffer.allocate(recordBytes(size) * batch);
        Arrays.fill(buf.array(), (byte) 7);
        long batches = 0;
        long position = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                buf.clear();
                while (buf.hasRemaining()) position += ch.write(buf, position);
                ch.force(false);
                batches++;
            }
            return result(batches * batch, (long) buf.capacity() * batches, System.nanoTime() - start, batches, batches);
        }
    }

    private Result log(int size, int batch, boolean preallocate) {
        Path dir = fresh("log");
        byte[] payload = new byte[size];
        try (SegmentedLog log = SegmentedLog.open(new RealDisk(), dir, SegmentedLog.DEFAULT_SEGMENT_BYTES, Durability.FSYNC,
                preallocate)) {
            long index = 1;
            long batches = 0;
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                List<Entry> entries = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) entries.add(Entry.command(index++, 1, payload));
                log.append(entries);
                log.sync();
                batches++;
            }
            long elapsed = System.nanoTime() - start;
            return result(batches * batch, (long) recordBytes(size) * batch * batches, elapsed, batches, log.syncCount());
        }
    }

    private Result group(int size, int batch) throws Exception {
        Path dir = fresh("group");
        byte[] payload = new byte[size];
        try (SegmentedLog log = SegmentedLog.open(new RealDisk(), dir.resolve("log"), SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            GroupCommitLog group = new GroupCommitLog(log, new HardStateFile(new RealDisk(), dir), Durability.FSYNC,
                    "bench-storage");
            // One producer keeps indices contiguous; up to GROUP_IN_FLIGHT batches wait on the disk at once.
            long index = 1;
            long written = 0;
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            ArrayList<CompletableFuture<Void>> inFlight = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                List<Entry> entries = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) entries.add(Entry.command(index++, 1, payload));
                inFlight.add(group.persist(entries, null));
                written += batch;
                if (inFlight.size() >= GROUP_IN_FLIGHT) inFlight.removeFirst().join();
            }
            for (CompletableFuture<Void> f : inFlight) f.join();
            long elapsed = System.nanoTime() - start;
            group.close();
            return result(written, (long) recordBytes(size) * written, elapsed, group.batchCount(), group.syncCount());
        }
    }

    private static Result result(long entries, long bytes, long nanos, long batches, long syncs) {
        double s = nanos / 1e9;
        return new Result(entries / s, bytes / s / 1e6, batches, syncs);
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = results.stream().sorted(Comparator.comparingDouble(Result::entriesPerSecond)).toList();
        return sorted.get(sorted.size() / 2);
    }

    private Path fresh(String name) {
        Path dir = root.resolve(name);
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            }
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
