package dev.ballot.testkit.sim;

import dev.ballot.raft.Entry;
import dev.ballot.raft.Ready;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The run's event history: a digest of <em>every</em> event (two runs with the same seed have the
 * same digest), and the last few events kept in a ring buffer for failure messages. Details are
 * stored as objects and only formatted when printed, so recording stays cheap.
 */
public final class Trace {

    /** One recorded event. {@code node} is 0 for cluster-wide events. */
    public record Record(long seq, long time, long node, String kind, Object detail) {

        public String render() {
            return String.format("#%-7d t=%6dms %-4s %-9s %s", seq, time, node == 0 ? "-" : "n" + node, kind,
                    describe(detail));
        }
    }

    private final Record[] ring;
    private int next;
    private long count;
    private long digest = 0x7261667473696DL;
    private Consumer<String> listener;

    Trace(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("trace capacity must be >= 1");
        ring = new Record[capacity];
    }

    /** Prints every kept event as it happens (the CLI's --verbose). */
    public void setListener(Consumer<String> listener) {
        this.listener = listener;
    }

    /** Adds an event to the digest only (e.g. a tick that did nothing visible). */
    void digestOnly(long time, long node, int kind, long fingerprint) {
        digest = Hashing.mix(Hashing.mix(Hashing.mix(digest, time), node), Hashing.mix(kind, fingerprint));
        count++;
    }

    /** Adds an event to the digest and keeps it in the ring buffer. */
    void record(long time, long node, String kind, Object detail, long fingerprint) {
        digestOnly(time, node, kind.hashCode(), fingerprint);
        Record r = new Record(count, time, node, kind, detail);
        ring[next] = r;
        next = (next + 1) % ring.length;
        if (listener != null) listener.accept(r.render());
    }

    /** A hash of every event so far; equal for two runs exactly when (practically) they were identical. */
    public long digest() {
        return digest;
    }

    /** Number of events so far (kept or not). */
    public long count() {
        return count;
    }

    /** The kept events, oldest first. */
    public List<Record> recent() {
        List<Record> out = new ArrayList<>(ring.length);
        for (int i = 0; i < ring.length; i++) {
            Record r = ring[(next + i) % ring.length];
            if (r != null) out.add(r);
        }
        return out;
    }

    /** The kept events, one per line. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Record r : recent()) sb.append("  ").append(r.render()).append('\n');
        return sb.toString();
    }

    static String describe(Object detail) {
        if (detail instanceof Ready r) return describeReady(r);
        return String.valueOf(detail);
    }

    private static String describeReady(Ready r) {
        StringBuilder sb = new StringBuilder(r.role().toString());
        if (r.hardState() != null) {
            sb.append(" hs(term ").append(r.hardState().currentTerm()).append(", vote ")
                    .append(r.hardState().votedFor()).append(", commit ").append(r.hardState().commitIndex()).append(')');
        }
        if (!r.entries().isEmpty()) sb.append(" persist ").append(range(r.entries()));
        if (!r.messages().isEmpty()) sb.append(" send ").append(r.messages().size()).append(" msgs");
        if (!r.committedEntries().isEmpty()) sb.append(" apply ").append(range(r.committedEntries()));
        return sb.toString();
    }

    private static String range(List<Entry> entries) {
        Entry first = entries.get(0);
        Entry last = entries.get(entries.size() - 1);
        return entries.size() == 1 ? first.index() + "@" + first.term()
                : first.index() + "@" + first.term() + ".." + last.index() + "@" + last.term();
    }
}
