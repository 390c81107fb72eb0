package dev.ballot.kv.sm;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The state machine's key-value pairs, with a point-in-time view taken in O(1) for snapshots
 * (issue 12: a snapshot must not pause writes).
 *
 * <p>Normally one {@link HashMap} holds everything. {@link #view()} freezes it: the view reads
 * that map from any thread, and from then on every change goes to an <em>overlay</em> map instead
 * (a removal as a tombstone), read before the frozen one. Once the view is {@linkplain View#close()
 * closed}, the overlay is folded back into the frozen map a few entries per change, so no single
 * operation pays for the whole fold, and the state returns to one map. Outside a snapshot a read or
 * a write costs one HashMap operation, as before; during one, two.
 *
 * <p>Not thread-safe, except {@link View}: one thread (the node's apply thread) calls everything
 * else; a view may be read and closed on another thread.
 */
final class KvData {

    /** Overlay entries folded back per change once the view is closed: more than a change adds. */
    static final int FOLD_PER_CHANGE = 8;

    /** Marks a key removed in the overlay (compared by identity). */
    private static final byte[] TOMBSTONE = new byte[0];

    private HashMap<ByteKey, byte[]> base = new HashMap<>();
    /** Changes since the last view was taken, or null when {@link #base} alone is the state. */
    private HashMap<ByteKey, byte[]> overlay;
    /** The view over {@link #base} not yet closed, or null. */
    private View open;
    private int size;

    int size() {
        return size;
    }

    byte[] get(ByteKey k) {
        if (overlay != null) {
            byte[] v = overlay.get(k);
            if (v != null) return v == TOMBSTONE ? null : v;
        }
        return base.get(k);
    }

    boolean containsKey(ByteKey k) {
        return get(k) != null;
    }

    /** Sets {@code k} to {@code v}; returns the previous value or null. */
    byte[] put(ByteKey k, byte[] v) {
        if (overlay == null) {
            byte[] previous = base.put(k, v);
            if (previous == null) size++;
            return previous;
        }
        byte[] previous = get(k);
        overlay.put(k, v);
        if (previous == null) size++;
        foldSome();
        return previous;
    }

    /** Removes {@code k}; returns the previous value or null. */
    byte[] remove(ByteKey k) {
        if (overlay == null) {
            byte[] previous = base.remove(k);
            if (previous != null) size--;
            return previous;
        }
        byte[] previous = get(k);
        if (previous == null) return null;
        overlay.put(k, TOMBSTONE);
        size--;
        foldSome();
        return previous;
    }

    /** Replaces everything (a snapshot was restored); an open view keeps reading what it saw. */
    void replaceAll(HashMap<ByteKey, byte[]> pairs) {
        base = pairs;
        overlay = null;
        open = null;
        size = pairs.size();
    }

    /** True while changes go to an overlay (a view is open, or its changes are not yet folded back). */
    boolean layered() {
        return overlay != null;
    }

    /** Visits every pair as it is now (in no particular order); on the owning thread. */
    void forEachNow(BiConsumer<ByteKey, byte[]> visitor) {
        if (overlay == null) {
            base.forEach(visitor);
            return;
        }
        base.forEach((k, v) -> {
            if (!overlay.containsKey(k)) visitor.accept(k, v);
        });
        overlay.forEach((k, v) -> {
            if (v != TOMBSTONE) visitor.accept(k, v);
        });
    }

    /**
     * A point-in-time view of every pair, in O(1). Only one may be open at a time, and a new one
     * only once the previous one's changes are folded back (see {@link #viewReady()}).
     *
     * @throws IllegalStateException if a view is open or still being folded back
     */
    View view() {
        if (!viewReady()) {
            throw new IllegalStateException(open != null && !open.closed
                    ? "a snapshot view is still open" : "the previous snapshot view is still being folded back");
        }
        overlay = new HashMap<>();
        open = new View(base, size);
        return open;
    }

    /** Whether {@link #view()} may be called now. */
    boolean viewReady() {
        return overlay == null || (open != null && open.closed && foldAll());
    }

    /** Folds a few overlay entries back into the frozen map, once its view is closed. */
    private void foldSome() {
        if (open == null || !open.closed) return;
        Iterator<Map.Entry<ByteKey, byte[]>> it = overlay.entrySet().iterator();
        for (int i = 0; i < FOLD_PER_CHANGE && it.hasNext(); i++) {
            fold(it.next());
            it.remove();
        }
        if (overlay.isEmpty()) {
            overlay = null;
            open = null;
        }
    }

    /** Folds what is left (only when a new view is asked for, rarely with much left); true when done. */
    private boolean foldAll() {
        for (Map.Entry<ByteKey, byte[]> e : overlay.entrySet()) fold(e);
        overlay = null;
        open = null;
        return true;
    }

    private void fold(Map.Entry<ByteKey, byte[]> e) {
        if (e.getValue() == TOMBSTONE) {
            base.remove(e.getKey());
        } else {
            base.put(e.getKey(), e.getValue());
        }
    }

    /** Every pair as of the moment {@link #view()} was called; readable from any thread until closed. */
    static final class View implements AutoCloseable {

        private final HashMap<ByteKey, byte[]> frozen;
        private final int size;
        private volatile boolean closed;

        private View(HashMap<ByteKey, byte[]> frozen, int size) {
            this.frozen = frozen;
            this.size = size;
        }

        int size() {
            return size;
        }

        /** The value of {@code k} as of the view's moment, or null. */
        byte[] get(ByteKey k) {
            if (closed) throw new IllegalStateException("the snapshot view is closed");
            return frozen.get(k);
        }

        /** Visits every pair (in no particular order). */
        void forEach(BiConsumer<ByteKey, byte[]> visitor) {
            if (closed) throw new IllegalStateException("the snapshot view is closed");
            frozen.forEach(visitor);
        }

        /** Done reading: the changes made meanwhile may be folded back. */
        @Override
        public void close() {
            closed = true;
        }
    }
}
