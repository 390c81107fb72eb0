package dev.ballot.testkit.lin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Histories on disk. Our own recordings use the edn-like one-map-a-line format of
 * {@code testdata/linearizability/kv-append}, plus {@code :expected} for cas and {@code :time}:
 * {@code {:process 0, :type :invoke, :f :cas, :key "k1", :expected "1", :value "4", :time 123}}.
 */
public final class HistoryFiles {

    private HistoryFiles() {}

    /** Reads an edn-like history (ours or the kv-append test data). */
    public static List<Event> readEdn(Path file) throws IOException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Writes {@code history} in the format {@link #readEdn} reads. */
    public static void writeEdn(List<Event> history, Path file) throws IOException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Reads a Jepsen log of a single register (testdata/linearizability/etcd-jepsen). */
    public static List<Event> readJepsenLog(Path file) throws IOException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
