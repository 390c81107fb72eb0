package dev.ballot.bench.load;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one client measured. Owned by its client thread while it runs; read by the run only after
 * the thread has ended (the join publishes it).
 */
final class ClientStats {
    /** Latency of each measured reply, send to reply, in microseconds (3 significant digits). */
    final Histogram latencyMicros = new Histogram(3);
    /** Measured error replies by kind (first word of the error), plus unexpected reply types. */
    final Map<String, Long> errorsByKind = new TreeMap<>();
    /** Connection failures by reason, over the whole run including warm-up. */
    final Map<String, Long> connectionFailures = new TreeMap<>();
    /** Measured commands sent whose reply never came because the connection failed. */
    long lostCommands;
    /** Time of the last measured reply (System.nanoTime), 0 if none. */
    long lastReplyNanos;

    void countError(String kind) {
        errorsByKind.merge(kind, 1L, Long::sum);
    }

    void countConnectionFailure(String reason) {
        connectionFailures.merge(reason, 1L, Long::sum);
    }
}
