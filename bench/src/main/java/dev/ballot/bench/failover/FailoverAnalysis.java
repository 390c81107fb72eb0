package dev.ballot.bench.failover;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the probe writes say about one failover: the first write acknowledged after the kill, and
 * what the others got until then. Pure, so it is tested on made-up results.
 *
 * <p>Only probes <em>sent</em> at or after the SIGKILL count. A write sent before it may have been
 * committed by the old leader just before it died and answered afterwards, which says nothing
 * about the new leader; a write sent after it can only be committed by a leader of a later term,
 * since the old one is dead.
 */
public final class FailoverAnalysis {

    /** Earlier {@code doneNanos} first, by the sign of the difference, as {@link System#nanoTime()} values compare. */
    static final Comparator<ProbeResult> EARLIEST_DONE = (a, b) -> Long.signum(a.doneNanos() - b.doneNanos());

    private FailoverAnalysis() {}

    /** The acknowledged ({@code +OK}) probe sent at or after {@code killNanos} that was answered first. */
    public static Optional<ProbeResult> firstAck(long killNanos, Collection<ProbeResult> results) {
        return results.stream()
                .filter(r -> r.outcome() == ProbeResult.Outcome.OK && r.sentNanos() - killNanos >= 0)
                .min(EARLIEST_DONE);
    }

    /**
     * How the probes sent at or after {@code killNanos} and finished no later than {@code untilNanos}
     * ended, by {@link ProbeResult#label()}; the first acknowledged write itself included as {@code OK}.
     */
    public static Map<String, Long> outcomes(long killNanos, long untilNanos, Collection<ProbeResult> results) {
        Map<String, Long> counts = new TreeMap<>();
        for (ProbeResult r : results) {
            if (r.sentNanos() - killNanos >= 0 && untilNanos - r.doneNanos() >= 0) {
                counts.merge(r.label(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Nanoseconds to milliseconds, as the report prints them. */
    public static double millis(long nanos) {
        return nanos / 1e6;
    }
}
