package dev.ballot.bench.snapshot;

import dev.ballot.kv.sm.KvCodec;
import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvStateMachine;
import dev.ballot.node.Loop;
import dev.ballot.node.RaftServer;
import dev.ballot.node.RaftServerConfig;
import dev.ballot.node.SnapshotPolicy;
import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.SnapshotFrame;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import dev.ballot.raft.Message;
import dev.ballot.storage.NodeStorage;
import dev.ballot.storage.SnapshotMeta;
import dev.ballot.storage.StorageOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * How long a node whose state is large takes to restart (issue 12: 1 GiB, snapshot + log after
 * it, "ready" in under 10 s). Builds once a data directory holding a KV snapshot of
 * {@code --keys} keys with {@code --value-bytes} values and {@code --log-entries} SETs after it
 * (of the same value size), then starts a one-node {@link RaftServer} on it {@code --runs} times
 * and reports, per run and as medians: the time until the state machine is restored and the log
 * replayed (applied index reaches the log's end), and until the node is ready (it has elected
 * itself and applied everything: one election timeout more). With {@code --cold} the page cache
 * is dropped before each start (needs root), so the files are read from the disk.
 * Run with {@code ./ballot bench-restart [--keys N] [--value-bytes N] [--log-entries N] [--runs N] [--cold]}.
 */
public final class RestartBenchmark {

    private RestartBenchmark() {}

    public static void main(String[] args) throws Exception {
        int keys = 1_000_000;
        int valueBytes = 1000;
        int logEntries = 100_000;
        int runs = 3;
        boolean cold = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--value-bytes" -> valueBytes = Integer.parseInt(args[++i]);
                case "--log-entries" -> logEntries = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--cold" -> cold = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --keys N, --value-bytes N, --log-entries N, --runs N, --cold)");
            }
        }
        Path dir = Files.createTempDirectory("ballot-restart-bench");
        long snapshotIndex = keys;
        long built = System.nanoTime();
        build(dir, keys, valueBytes, logEntries);
        long snapBytes = sizeOf(dir.resolve("snapshots"));
        long logBytes = sizeOf(dir.resolve("log"));
        System.out.printf(Locale.ROOT, "restart: %,d keys x %d B in the snapshot (%,.1f MiB), %,d entries after it "
                        + "(%,.1f MiB of log), state %,.2f GiB; built in %.1f s in %s%n", keys, valueBytes,
                snapBytes / 1048576.0, logEntries, logBytes / 1048576.0, (snapBytes + logBytes) / 1073741824.0,
                (System.nanoTime() - built) / 1e9, dir);
        long last = snapshotIndex + logEntries;
        long[] restored = new long[runs];
        long[] ready = new long[runs];
        for (int r = 0; r < runs; r++) {
            if (cold) dropPageCache();
            System.gc();
            long start = System.nanoTime();
            KvStateMachine sm = new KvStateMachine();
            RaftServerConfig config = RaftServerConfig.of(1, List.of(1L), dir).withSnapshots(SnapshotPolicy.MANUAL);
            try (RaftServer server = RaftServer.start(config, sm, new NoPeers())) {
                while (server.status().appliedIndex() < last) Thread.onSpinWait();
                restored[r] = System.nanoTime() - start;
                while (!server.isReady()) Thread.onSpinWait();
                ready[r] = System.nanoTime() - start;
                if (sm.size() != keys) throw new IllegalStateException("restored " + sm.size() + " keys, expected " + keys);
            }
            System.out.printf(Locale.ROOT, "  run %d%s: restored and replayed in %.2f s, ready in %.2f s%n", r + 1,
                    cold ? " (cold cache)" : "", restored[r] / 1e9, ready[r] / 1e9);
        }
        System.out.printf(Locale.ROOT, "median of %d: restored and replayed %.2f s, ready %.2f s%n", runs,
                median(restored) / 1e9, median(ready) / 1e9);
        deleteTree(dir);
    }

    /** A snapshot of {@code keys} keys, then a log of {@code logEntries} SETs after it, and a hard state committing them. */
    private static void build(Path dir, int keys, int valueBytes, int logEntries) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        KvStateMachine sm = new KvStateMachine();
        for (int k = 0; k < keys; k++) sm.apply(new KvCommand.Set(key(k), value(random, valueBytes)));
        try (NodeStorage storage = NodeStorage.open(dir, StorageOptions.DEFAULTS)) {
            SnapshotMeta meta = new SnapshotMeta(keys, 1, Set.of(1L));
            storage.snapshots().save(meta, sm::writeSnapshot);
            sm = null; // let the state go before the log is written
            storage.log().restore(keys, 1);
            List<Entry> batch = new ArrayList<>();
            for (long i = 1; i <= logEntries; i++) {
                long index = keys + i;
                byte[] set = KvCodec.encode(new KvCommand.Set(key((int) (i % keys)), value(random, valueBytes)));
                batch.add(Entry.command(index, 1, set));
                if (batch.size() == 1000) {
                    storage.log().append(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) storage.log().append(batch);
            storage.log().sync();
            storage.hardStateFile().save(new HardState(1, 1, keys + (long) logEntries));
        }
    }

    private static byte[] key(int k) {
        return ("key:" + k).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] value(SplittableRandom random, int bytes) {
        byte[] v = new byte[bytes];
        for (int i = 0; i < bytes; i++) v[i] = (byte) ('a' + random.nextInt(26));
        return v;
    }

    private static void dropPageCache() throws IOException {
        try {
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
        } catch (IOException e) {
            throw new IOException("--cold needs to write /proc/sys/vm/drop_caches (run as root): " + e.getMessage(), e);
        }
    }

    private static long median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** A one-node cluster has no one to talk to. */
    private static final class NoPeers implements Transport {
        @Override public void start(Inbound inbound, Loop loop) {}
        @Override public void send(Message message) {}
        @Override public boolean send(long to, Forward frame) { return false; }
        @Override public boolean send(long to, SnapshotFrame frame) { return false; }
        @Override public long droppedCount() { return 0; }
        @Override public void close() {}
    }
}
