package dev.ballot.storage;

import dev.ballot.raft.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment file of the log: a 32-byte header, then records ({@link LogRecord}) for consecutive
 * indices starting at {@code firstIndex}. The offset and term of every record are kept in memory,
 * so finding an entry is O(1).
 *
 * <pre>
 *   header: u32 magic "BLOG" | u16 version | u16 flags | u64 firstIndex | u64 prevTerm | u32 reserved | u32 crc32c(bytes 0..28)
 * </pre>
 * {@code prevTerm} is the term of the entry just before {@code firstIndex} (0 if none), so the log
 * can answer "term at firstIndex - 1" after older segments were dropped.
 */
final class Segment {

    private static final Logger log = LoggerFactory.getLogger(Segment.class);

    static final int HEADER_BYTES = 32;

    private final Path path;
    private final DiskFile file;
    private final long firstIndex;
    private final long prevTerm;
    private long[] offsets = new long[64];
    private long[] terms = new long[64];
    private int count;
    private long size;
    private boolean dirty;
    private final CRC32C crc = new CRC32C();

    private Segment(Path path, DiskFile file, long firstIndex, long prevTerm, long size) {
        this.path = path;
        this.file = file;
        this.firstIndex = firstIndex;
        this.prevTerm = prevTerm;
        this.size = size;
    }

    static String fileName(long firstIndex) {
        return String.format("log-%020d.seg", firstIndex);
    }

    /**
     * Creates an empty segment durably: header written to a temp file, synced, renamed into place,
     * directory synced. A crash leaves either no segment or a complete empty one.
     */
    static Segment create(Disk disk, Path dir, long firstIndex, long prevTerm, boolean fsync) throws IOException {
        Path path = dir.resolve(fileName(firstIndex));
        Path tmp = dir.resolve(fileName(firstIndex) + ".tmp");
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(FileFormat.SEGMENT_MAGIC).putShort((short) FileFormat.VERSION).putShort((short) 0)
                .putLong(firstIndex).putLong(prevTerm).putInt(0);
        header.putInt(FileFormat.crc32c(header, 0, 28));
        header.flip();
        try (DiskFile f = disk.open(tmp, true)) {
            f.truncate(0);
            f.write(header, 0);
            if (fsync) f.force();
        }
        disk.rename(tmp, path);
        if (fsync) disk.syncDirectory(dir);
        return new Segment(path, disk.open(path, false), firstIndex, prevTerm, HEADER_BYTES);
    }

    /**
     * Opens a segment and rebuilds its index. In the last segment a torn tail (a record cut short
     * or with a bad checksum, with nothing valid after it) is cut off: it was being written when
     * the process died and was never acknowledged. Anything else that does not check out is
     * corruption and stops the node.
     */
    static Segment open(Disk disk, Path path, boolean last) throws IOException {
        DiskFile file = disk.open(path, false);
        try {
            long fileSize = file.size();
            if (fileSize > Integer.MAX_VALUE) {
                throw new StorageException(path + " is " + fileSize + " bytes, larger than a segment can be.");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) fileSize);
            file.read(buf, 0);
            buf.flip();
            if (fileSize < HEADER_BYTES) {
                throw new StorageException(path + " is shorter (" + fileSize + " bytes) than a segment header. "
                        + "The data directory is damaged; restore this node from a snapshot or a peer.");
            }
            FileFormat.checkMagicAndVersion(buf, FileFormat.SEGMENT_MAGIC, "log segment", path);
            if (buf.getInt(28) != FileFormat.crc32c(buf, 0, 28)) {
                throw new StorageException(path + ": segment header checksum mismatch at offset 0. "
                        + "The data directory is damaged; restore this node from a snapshot or a peer.");
            }
            Segment s = new Segment(path, file, buf.getLong(8), buf.getLong(16), HEADER_BYTES);
            s.scan(buf, last);
            return s;
        } catch (RuntimeException | IOException e) {
            file.close();
            throw e;
        }
    }

    private void scan(ByteBuffer buf, boolean last) throws IOException {
        int pos = HEADER_BYTES;
        int limit = buf.limit();
        long lastTerm = prevTerm;
        while (pos < limit) {
            boolean ok = LogRecord.validAt(buf, pos, limit)
                    && LogRecord.indexAt(buf, pos) == firstIndex + count
                    && LogRecord.termAt(buf, pos) >= lastTerm;
            if (!ok) {
                handleBadRecord(buf, pos, last);
                return;
            }
            lastTerm = LogRecord.termAt(buf, pos);
            addToIndex(pos, lastTerm);
            pos += LogRecord.sizeAt(buf, pos);
        }
        size = pos;
    }

    private void handleBadRecord(ByteBuffer buf, int pos, boolean last) throws IOException {
        int limit = buf.limit();
        if (!last || validRecordAfter(buf, pos)) {
            throw new StorageException(path + ": corrupt record at offset " + pos + " (expected index "
                    + (firstIndex + count) + "; length, checksum or index do not check out) with "
                    + (limit - pos) + " bytes after it. Entries after this point cannot be trusted. "
                    + "Stop this node and restore it from a snapshot or a peer; do not delete the file by hand "
                    + "unless you know the cluster holds these entries.");
        }
        log.warn("{}: dropped a torn tail of {} bytes at offset {} (a write cut short by a crash; never acknowledged)",
                path, limit - pos, pos);
        file.truncate(pos);
        file.force();
        size = pos;
    }

    /** True if a checksummed record for a later index starts anywhere after {@code pos}: then it was no torn tail. */
    private boolean validRecordAfter(ByteBuffer buf, int pos) {
        long expected = firstIndex + count;
        for (int q = pos + 1; q + LogRecord.HEADER_BYTES <= buf.limit(); q++) {
            long index = LogRecord.indexAt(buf, q);
            if (index >= expected && index < expected + (1L << 40) && LogRecord.validAt(buf, q, buf.limit())) {
                return true;
            }
        }
        return false;
    }

    private void addToIndex(long offset, long term) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            terms = Arrays.copyOf(terms, count * 2);
        }
        offsets[count] = offset;
        terms[count] = term;
        count++;
    }

    Path path() {
        return path;
    }

    long firstIndex() {
        return firstIndex;
    }

    long prevTerm() {
        return prevTerm;
    }

    long lastIndex() {
        return firstIndex + count - 1;
    }

    int count() {
        return count;
    }

    long sizeBytes() {
        return size;
    }

    long term(long index) {
        return terms[(int) (index - firstIndex)];
    }

    long lastTerm() {
        return count == 0 ? prevTerm : terms[count - 1];
    }

    /** Appends entries whose indices continue this segment; written, not yet synced. */
    void append(List<Entry> entries) throws IOException {
        int bytes = 0;
        for (Entry e : entries) bytes += LogRecord.encodedSize(e);
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        long offset = size;
        for (Entry e : entries) {
            if (e.index() != lastIndex() + 1) {
                throw new IllegalArgumentException("entry " + e.index() + " does not follow " + lastIndex() + " in " + path);
            }
            int start = buf.position();
            LogRecord.encode(e, buf, crc);
            addToIndex(offset + start, e.term());
        }
        buf.flip();
        file.write(buf, offset);
        size = offset + bytes;
        dirty = true;
    }

    /** Entries in {@code [from, to)} (both within this segment), stopping once {@code maxBytes} is exceeded (at least one). */
    List<Entry> read(long from, long to, long maxBytes) throws IOException {
        int lo = (int) (from - firstIndex);
        int hi = (int) (to - firstIndex);
        long start = offsets[lo];
        // Read the whole range in one go, but no more than the byte cap calls for.
        long end = start;
        int n = lo;
        long bytes = 0;
        while (n < hi) {
            long next = n + 1 < count ? offsets[n + 1] : size;
            bytes += next - offsets[n] - LogRecord.HEADER_BYTES + Entry.OVERHEAD_BYTES; // as Entry.sizeBytes()
            if (n > lo && bytes > maxBytes) break;
            end = next;
            n++;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (end - start));
        file.read(buf, start);
        buf.flip();
        List<Entry> out = new ArrayList<>(n - lo);
        for (int i = lo; i < n; i++) {
            int pos = (int) (offsets[i] - start);
            if (!LogRecord.validAt(buf, pos, buf.limit())) {
                throw new StorageException(path + ": record for index " + (firstIndex + i) + " at offset " + offsets[i]
                        + " no longer checks out (the file changed under us or the disk is failing).");
            }
            out.add(LogRecord.decode(buf, pos));
        }
        return out;
    }

    /**
     * Forces whatever this file holds, synced before or not: after a process crash the page cache
     * may hold writes that never reached the disk, and a restarted node must not act on data that
     * a power loss could still take back.
     */
    void forceUnconditionally() throws IOException {
        file.force();
        dirty = false;
    }

    /** Removes the entries from {@code index} on (written, not yet synced). */
    void truncateFrom(long index) throws IOException {
        int keep = (int) (index - firstIndex);
        long newSize = keep < count ? offsets[keep] : size;
        file.truncate(newSize);
        count = Math.min(count, keep);
        size = newSize;
        dirty = true;
    }

    void force() throws IOException {
        if (dirty) {
            file.force();
            dirty = false;
        }
    }

    void close() throws IOException {
        file.close();
    }
}
