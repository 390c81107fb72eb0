package dev.ballot.testkit.chaos;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the nemesis did, thread-safe: timestamped lines for nemesis.log, and the fault windows (one
 * open window per family at a time; a second fault of an open family joins its window).
 */
public final class NemesisLog {

    private record Open(String label, long startNanos) {}

    private final List<String> lines = new ArrayList<>();
    private final List<FaultWindow> closed = new ArrayList<>();
    private final Map<FaultFamily, Open> open = new EnumMap<>(FaultFamily.class);

    public synchronized void line(long nanos, String text) {
        lines.add(String.format(Locale.ROOT, "%9.3fs %s", nanos / 1e9, text));
    }

    public synchronized void open(FaultFamily family, String label, long nanos) {
        Open current = open.get(family);
        open.put(family, current == null ? new Open(label, nanos) : new Open(current.label() + "; " + label, current.startNanos()));
    }

    public synchronized void close(FaultFamily family, long nanos) {
        Open current = open.remove(family);
        if (current != null) closed.add(new FaultWindow(family, current.label(), current.startNanos(), nanos));
    }

    public synchronized void closeAll(long nanos) {
        for (FaultFamily family : List.copyOf(open.keySet())) close(family, nanos);
    }

    /** Labels of the faults in force now, in no particular order. */
    public synchronized List<String> activeFaults() {
        return open.values().stream().map(Open::label).toList();
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Closed windows, then those still open (ending at {@code nowNanos}), by start time. */
    public synchronized List<FaultWindow> windows(long nowNanos) {
        List<FaultWindow> all = new ArrayList<>(closed);
        open.forEach((family, o) -> all.add(new FaultWindow(family, o.label(), o.startNanos(), nowNanos)));
        all.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return all;
    }
}
