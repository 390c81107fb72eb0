package dev.ballot.storage;

import dev.ballot.raft.Entry;
import dev.ballot.raft.LogStorage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable Raft log: a directory of segment files ({@link Segment}), each holding a run of
 * consecutive entries; the newest one takes appends until it reaches the configured size.
 *
 * <p>Writes ({@link #append}, {@link #truncateSuffix}) are not durable until {@link #sync()}:
 * callers batch many appends and sync once (group commit, see {@link GroupCommitLog}). Not
 * thread-safe: one thread (the storage thread) owns an instance.
 */
public final class SegmentedLog implements LogStorage, Closeable {

    private static final Logger log = LoggerFactory.getLogger(SegmentedLog.class);

    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    private final Disk disk;
    private final Path dir;
    private final long segmentBytes;
    private final boolean fsync;
    /** Segment files are extended with zeros ahead of the records in steps of this; 0: not at all. */
    private final long preallocateStep;
    /** Segments in index order; never empty; only the last one takes appends. */
    private final List<Segment> segments = new ArrayList<>();
    private long syncs;

    private SegmentedLog(Disk disk, Path dir, long segmentBytes, Durability durability, boolean preallocate) {
        this.disk = disk;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.fsync = durability == Durability.FSYNC;
        this.preallocateStep = preallocate ? Segment.preallocationStep(segmentBytes) : 0;
    }

    /**
     * Opens (or creates) the log in {@code dir}, rebuilding the index from the segment files and
     * repairing a torn tail. Throws {@link StorageException} on corruption. Segment files are not
     * preallocated (see {@link #open(Disk, Path, long, Durability, boolean)}).
     */
    public static SegmentedLog open(Disk disk, Path dir, long segmentBytes) {
        return open(disk, dir, segmentBytes, Durability.FSYNC);
    }

    /**
     * As {@link #open(Disk, Path, long)}; with {@link Durability#NONE} the log never fsyncs on its
     * own (segment creation, rolls, truncation, recovery). {@link #sync()} still forces when called.
     */
    public static SegmentedLog open(Disk disk, Path dir, long segmentBytes, Durability durability) {
        return open(disk, dir, segmentBytes, durability, false);
    }

    /**
     * As {@link #open(Disk, Path, long, Durability)}; with {@code preallocate} each segment file is
     * extended with zeros ahead of the records (64 KiB at a time, at most a segment), so that
     * appending overwrites bytes the file already holds and a sync need not also commit a new file
     * size through the file system's journal. Logs written either way open either way.
     */
    public static SegmentedLog open(Disk disk, Path dir, long segmentBytes, Durability durability, boolean preallocate) {
        if (segmentBytes < Segment.HEADER_BYTES + LogRecord.HEADER_BYTES) {
            throw new IllegalArgumentException("segment size " + segmentBytes + " is too small");
        }
        SegmentedLog l = new SegmentedLog(disk, dir, segmentBytes, durability, preallocate);
        try {
            boolean existed = disk.exists(dir);
            disk.createDirectories(dir);
            if (!existed && l.fsync && dir.getParent() != null) disk.syncDirectory(dir.getParent());
            l.load();
        } catch (IOException e) {
            l.closeQuietlyAfter(e);
            throw new StorageException("cannot open the log in " + dir, e);
        } catch (RuntimeException e) {
            l.closeQuietlyAfter(e);
            throw e;
        }
        return l;
    }

    private void load() throws IOException {
        List<String> names = disk.list(dir);
        for (String name : names) {
            if (name.startsWith("log-") && name.endsWith(".seg.tmp")) {
                disk.delete(dir.resolve(name)); // a segment whose creation was cut short: never used
            }
        }
        List<String> segs = names.stream().filter(n -> n.startsWith("log-") && n.endsWith(".seg")).toList();
        for (int i = 0; i < segs.size(); i++) {
            Segment s = Segment.open(disk, dir.resolve(segs.get(i)), i == segs.size() - 1, preallocateStep);
            if (!segments.isEmpty()) checkFollows(segments.getLast(), s);
            segments.add(s);
        }
        if (segments.isEmpty()) {
            segments.add(Segment.create(disk, dir, 1, 0, fsync, preallocateStep));
        }
        if (fsync) {
            // What a restarted node reads must be durable before it acts on it: writes of the
            // previous run may still sit unsynced in the page cache (and so may a rename of a segment).
            segments.getLast().forceUnconditionally();
            disk.syncDirectory(dir);
        }
        log.info("opened log in {}: {} segment(s), entries [{}, {}]", dir, segments.size(), firstIndex(), lastIndex());
    }

    private static void checkFollows(Segment prev, Segment next) {
        if (next.firstIndex() != prev.lastIndex() + 1 || next.prevTerm() != prev.lastTerm()) {
            throw new StorageException(next.path() + " starts at index " + next.firstIndex() + " (previous term "
                    + next.prevTerm() + ") but " + prev.path() + " ends at index " + prev.lastIndex() + " (term "
                    + prev.lastTerm() + "): segments are missing or were mixed from another node. "
                    + "Restore this node's data directory from a snapshot or a peer.");
        }
    }

    @Override
    public long firstIndex() {
        return segments.getFirst().firstIndex();
    }

    @Override
    public long lastIndex() {
        return segments.getLast().lastIndex();
    }

    @Override
    public long term(long index) {
        if (index == firstIndex() - 1) return segments.getFirst().prevTerm();
        checkRange(index, index + 1);
        return segmentFor(index).term(index);
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
        if (from > to) throw new IndexOutOfBoundsException("from " + from + " > to " + to);
        checkRange(from, to);
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        long i = from;
        try {
            while (i < to) {
                Segment s = segmentFor(i);
                long segTo = Math.min(to, s.lastIndex() + 1);
                List<Entry> part = s.read(i, segTo, out.isEmpty() ? maxBytes : maxBytes - bytes);
                for (Entry e : part) {
                    if (!out.isEmpty() && bytes + e.sizeBytes() > maxBytes) return out;
                    bytes += e.sizeBytes();
                    out.add(e);
                }
                i += part.size();
                if (i < segTo) break; // byte cap reached inside this segment
            }
        } catch (IOException e) {
            throw new StorageException("cannot read entries [" + from + ", " + to + ") from " + dir, e);
        }
        return out;
    }

    /**
     * Appends entries (written, not synced). If the first one is at or below {@link #lastIndex()},
     * the stored suffix from there is truncated first, as the engine's persistence contract asks.
     */
    @Override
    public void append(List<Entry> entries) {
        if (entries.isEmpty()) return;
        validate(entries);
        long first = entries.getFirst().index();
        try {
            if (first <= lastIndex()) truncateSuffix(first);
            int i = 0;
            while (i < entries.size()) {
                Segment active = segments.getLast();
                if (active.sizeBytes() >= segmentBytes && active.count() > 0) {
                    active = roll(active);
                }
                // Fill the active segment up to its size (at least one entry), then roll.
                int j = i;
                long size = active.sizeBytes();
                while (j < entries.size() && (j == i || size < segmentBytes)) {
                    size += LogRecord.encodedSize(entries.get(j));
                    j++;
                }
                active.append(entries.subList(i, j));
                i = j;
            }
        } catch (IOException e) {
            throw new StorageException("cannot append to the log in " + dir, e);
        }
    }

    /**
     * Checks a whole batch before anything is changed: it must start within the log, be contiguous,
     * and never go down in term (also against the entry before it). A rejected batch changes nothing.
     */
    private void validate(List<Entry> entries) {
        long first = entries.getFirst().index();
        if (first < firstIndex() || first > lastIndex() + 1) {
            throw new IllegalArgumentException("append at " + first + " outside [" + firstIndex() + ", "
                    + (lastIndex() + 1) + "]");
        }
        long prevTerm = term(first - 1);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.index() != first + i) {
                throw new IllegalArgumentException("entries not contiguous: " + e.index() + " where " + (first + i)
                        + " was expected");
            }
            if (e.term() < prevTerm) {
                throw new IllegalArgumentException("entry " + e.index() + " has term " + e.term()
                        + ", lower than the term " + prevTerm + " before it");
            }
            prevTerm = e.term();
        }
    }

    /** The active segment is full: make it durable, then start the next one. */
    private Segment roll(Segment active) throws IOException {
        if (fsync) active.force();
        Segment next = Segment.create(disk, dir, active.lastIndex() + 1, active.lastTerm(), fsync, preallocateStep);
        segments.add(next);
        return next;
    }

    /**
     * Deletes every entry from {@code fromIndex} on (a conflicting suffix). Later segments are
     * deleted newest first and the directory synced before the cut, so a crash part-way leaves a
     * prefix of the old log, never a gap.
     */
    public void truncateSuffix(long fromIndex) {
        if (fromIndex < firstIndex() || fromIndex > lastIndex() + 1) {
            throw new IllegalArgumentException("truncate from " + fromIndex + " outside [" + firstIndex() + ", "
                    + (lastIndex() + 1) + "]");
        }
        try {
            boolean deleted = false;
            while (segments.size() > 1 && segments.getLast().firstIndex() >= fromIndex) {
                Segment s = segments.removeLast();
                s.close();
                disk.delete(s.path());
                deleted = true;
            }
            if (deleted && fsync) disk.syncDirectory(dir);
            segments.getLast().truncateFrom(fromIndex);
            // Made durable at once (conflicts are rare): new entries written after a cut that a
            // crash undid would sit beside the old ones.
            if (fsync) segments.getLast().force();
        } catch (IOException e) {
            throw new StorageException("cannot truncate the log in " + dir + " from index " + fromIndex, e);
        }
    }

    /** The first index the log would hold after {@link #dropPrefix}{@code (upToIndex)}; changes nothing. */
    public long firstIndexAfterDrop(long upToIndex) {
        int i = 0;
        while (i < segments.size() - 1 && segments.get(i).lastIndex() <= upToIndex) i++;
        return segments.get(i).firstIndex();
    }

    /**
     * Drops whole segments that hold only entries at or below {@code upToIndex} (covered by a
     * snapshot). Segments are deleted, never rewritten; the active segment is always kept, so
     * {@link #firstIndex()} may stay below {@code upToIndex + 1}.
     */
    public void dropPrefix(long upToIndex) {
        try {
            boolean deleted = false;
            while (segments.size() > 1 && segments.getFirst().lastIndex() <= upToIndex) {
                Segment s = segments.removeFirst();
                s.close();
                disk.delete(s.path());
                deleted = true;
            }
            if (deleted && fsync) disk.syncDirectory(dir);
        } catch (IOException e) {
            throw new StorageException("cannot drop log segments up to index " + upToIndex + " in " + dir, e);
        }
    }

    /**
     * Replaces the whole log by an empty one that starts right after a snapshot of
     * {@code index}@{@code term} (a follower installing its leader's snapshot). Segments are
     * deleted newest first and the directory synced, then the new empty segment is created durably;
     * a crash part-way leaves a prefix of the old log (possibly empty) or the new empty log, never a
     * gap or a mix of the two. The snapshot must be durable first, and recovery must take the
     * newest snapshot and the log only where it continues it.
     */
    @Override
    public void restore(long index, long term) {
        if (index < 1 || term < 1) {
            throw new IllegalArgumentException("a snapshot covers an index >= 1 of a term >= 1, got " + index + "@" + term);
        }
        try {
            while (!segments.isEmpty()) {
                Segment s = segments.removeLast();
                s.close();
                disk.delete(s.path());
            }
            if (fsync) disk.syncDirectory(dir);
            segments.add(Segment.create(disk, dir, index + 1, term, fsync, preallocateStep));
        } catch (IOException e) {
            // The log is unusable now (as after any storage error, the node stops); reopening recovers it.
            throw new StorageException("cannot reset the log in " + dir + " to start after " + index + "@" + term, e);
        }
        log.info("log in {} now starts after a snapshot of {}@{}", dir, index, term);
    }

    /** Makes every append and truncation so far durable: one fsync of each segment written since the last sync. */
    public void sync() {
        try {
            // Only the last segment can hold unsynced writes: older ones were forced when the log rolled.
            segments.getLast().force();
            syncs++;
        } catch (IOException e) {
            throw new StorageException("cannot sync the log in " + dir, e);
        }
    }

    /** How many times {@link #sync()} ran (for the group-commit benchmark and tests). */
    public long syncCount() {
        return syncs;
    }

    public int segmentCount() {
        return segments.size();
    }

    @Override
    public void close() {
        IOException first = null;
        for (Segment s : segments) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw new StorageException("cannot close the log in " + dir, first);
    }

    private void closeQuietlyAfter(Exception cause) {
        for (Segment s : segments) {
            try {
                s.close();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }

    private Segment segmentFor(long index) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).firstIndex() <= index) lo = mid;
            else hi = mid - 1;
        }
        return segments.get(lo);
    }

    private void checkRange(long from, long to) {
        if (from < firstIndex() || to > lastIndex() + 1) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") not within [" + firstIndex() + ", "
                    + (lastIndex() + 1) + ")");
        }
    }

    @Override
    public String toString() {
        return "SegmentedLog{" + dir + ", [" + firstIndex() + ", " + lastIndex() + "], " + segments.size() + " segments}";
    }
}
