package dev.ballot.bench.snapshot;

import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvStateMachine;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How long writes pause while the KV state machine is snapshotted (issue 12): one thread applies
 * SETs as fast as it can (the node's apply thread) to a state of {@code --keys} keys with
 * {@code --value-bytes} values, and a second in, a snapshot is taken and written to a file with an
 * fsync. Two ways, side by side, alternating, {@code --reps} times each:
 * <ul>
 *   <li>{@code view}: {@link KvStateMachine#snapshot()} on the apply thread (O(1)), written by
 *       another thread while SETs go on;</li>
 *   <li>{@code blocking}: {@link KvStateMachine#writeSnapshot} on the apply thread, as a runtime
 *       without point-in-time views would have to.</li>
 * </ul>
 * Reports per run the longest single SET (the pause), the time on the apply thread to take the
 * snapshot, the write time and file size, and SETs/s while the snapshot was written against the
 * second before. Run with {@code ./ballot bench-snapshot [--keys N] [--value-bytes N] [--reps N]}.
 */
public final class KvSnapshotPauseBenchmark {

    private record Result(String mode, long maxSetNanos, long takeNanos, long writeNanos, long bytes,
                          double setsPerSecBefore, double setsPerSecDuring) {}

    private KvSnapshotPauseBenchmark() {}

    public static void main(String[] args) throws Exception {
        int keys = 1_000_000;
        int valueBytes = 100;
        int reps = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--value-bytes" -> valueBytes = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --keys N, --value-bytes N, --reps N)");
            }
        }
        Path dir = Files.createTempDirectory("ballot-snapshot-bench");
        System.out.printf(Locale.ROOT, "KV snapshot pause: %,d keys, %d-byte values, %d rep(s) of each mode, files in %s%n",
                keys, valueBytes, reps, dir);
        List<Result> results = new ArrayList<>();
        try (ExecutorService writer = Executors.newSingleThreadExecutor()) {
            for (int r = 0; r < reps; r++) {
                for (String mode : List.of("view", "blocking")) {
                    Result res = run(mode, keys, valueBytes, dir.resolve(mode + "-" + r + ".snap"), writer, r);
                    results.add(res);
                    System.out.printf(Locale.ROOT, "  %-8s rep %d: longest SET %8.2f ms, taking %8.3f ms, writing %7.0f ms,"
                                    + " %,d bytes, SETs/s %,.0f before, %,.0f during%n", mode, r, res.maxSetNanos() / 1e6,
                            res.takeNanos() / 1e6, res.writeNanos() / 1e6, res.bytes(), res.setsPerSecBefore(),
                            res.setsPerSecDuring());
                }
            }
        }
        for (String mode : List.of("view", "blocking")) {
            List<Result> m = results.stream().filter(x -> x.mode().equals(mode)).toList();
            System.out.printf(Locale.ROOT, "median %-8s: longest SET %.2f ms, taking %.3f ms, writing %.0f ms, %,d bytes,"
                            + " SETs/s during/before %.2f%n", mode,
                    median(m.stream().mapToDouble(x -> x.maxSetNanos() / 1e6).toArray()),
                    median(m.stream().mapToDouble(x -> x.takeNanos() / 1e6).toArray()),
                    median(m.stream().mapToDouble(x -> x.writeNanos() / 1e6).toArray()),
                    m.getFirst().bytes(),
                    median(m.stream().mapToDouble(x -> x.setsPerSecDuring() / x.setsPerSecBefore()).toArray()));
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    private static Result run(String mode, int keys, int valueBytes, Path file, ExecutorService writer, int rep)
            throws Exception {
        KvStateMachine sm = new KvStateMachine();
        SplittableRandom random = new SplittableRandom(42 + rep);
        byte[][] keyBytes = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            keyBytes[i] = String.format(Locale.ROOT, "key:%09d", i).getBytes();
            sm.apply(new KvCommand.Set(keyBytes[i], value(random, valueBytes)));
        }
        for (int i = 0; i < 500_000; i++) set(sm, keyBytes, random, valueBytes); // warm up
        System.gc();
        long oneSecond = 1_000_000_000L;
        long start = System.nanoTime();
        long setsBefore = 0;
        while (System.nanoTime() - start < oneSecond) {
            set(sm, keyBytes, random, valueBytes);
            setsBefore++;
        }
        long t0 = System.nanoTime();
        long takeNanos;
        long writeNanos;
        Future<Long> written = null;
        if (mode.equals("view")) {
            KvStateMachine.KvSnapshot snapshot = sm.snapshot();
            takeNanos = System.nanoTime() - t0;
            written = writer.submit(() -> {
                try (snapshot) {
                    long w0 = System.nanoTime();
                    writeFile(file, snapshot::writeTo);
                    return System.nanoTime() - w0;
                }
            });
        } else {
            writeFile(file, sm::writeSnapshot);
            takeNanos = System.nanoTime() - t0;
        }
        long setsDuring = 0;
        long duringStart = System.nanoTime();
        long maxSet = takeNanos;
        while (written != null && !written.isDone()) {
            long s0 = System.nanoTime();
            set(sm, keyBytes, random, valueBytes);
            long d = System.nanoTime() - s0;
            maxSet = Math.max(maxSet, d);
            setsDuring++;
        }
        long duringNanos = System.nanoTime() - duringStart;
        writeNanos = written != null ? written.get() : takeNanos;
        double during = written != null && duringNanos > 0 ? setsDuring * 1e9 / duringNanos
                : 0; // blocking: no SET runs while it writes
        return new Result(mode, maxSet, takeNanos, writeNanos, Files.size(file), setsBefore * 1e9 / oneSecond, during);
    }

    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void writeFile(Path file, Writer w) throws IOException {
        try (FileOutputStream f = new FileOutputStream(file.toFile());
             BufferedOutputStream out = new BufferedOutputStream(f, 1 << 20)) {
            w.writeTo(out);
            out.flush();
            f.getFD().sync();
        }
    }

    private static void set(KvStateMachine sm, byte[][] keys, SplittableRandom random, int valueBytes) {
        sm.apply(new KvCommand.Set(keys[random.nextInt(keys.length)], value(random, valueBytes)));
    }

    private static byte[] value(SplittableRandom random, int size) {
        byte[] v = new byte[size];
        random.nextBytes(v);
        return v;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
