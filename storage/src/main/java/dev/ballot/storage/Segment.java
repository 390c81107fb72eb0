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
 *
 * <p>With preallocation on, the file is extended with zeros ahead of the records in steps of
 * {@link #preallocationStep}: appends then overwrite bytes the file already has, and an fsync
 * does not have to commit a new file size through the file system's journal each time. A run of
 * zeros after the last record (to the end of the file) is that preallocated tail, not damage.
 */
final class Segment {

    private static final Logger log = LoggerFactory.getLogger(Segment.class);

    static final int HEADER_BYTES = 32;

    /**
     * How far ahead of the records a preallocating segment extends its file. Large enough that
     * small appends (one fsync each) rarely pay for an extension; small because the zeros beyond
     * the batch being synced reach the disk with it and are written again later: with 1 MiB,
     * batches of 128 KiB-1 MiB per fsync lost 13-31% throughput against no preallocation
     * (docs/benchmarks.md, "Preallocated segments"); with 64 KiB, 0-9% (within noise), and small
     * appends gained as much as with 1 MiB.
     */
    static final long MAX_PREALLOCATION_STEP = 64L << 10;

    private final Path path;
    private final DiskFile file;
    private final long firstIndex;
    private final long prevTerm;
    private long[] offsets = new long[64];
    private long[] terms = new long[64];
    private int count;
    /** End of the last record. */
    private long size;
    /** Bytes the file holds: {@code size} plus the zero tail, if any. */
    private long fileLength;
    /** The file is extended ahead of appends in multiples of this; 0: never ahead of the records. */
    private final long preallocateStep;
    private boolean dirty;
    private final CRC32C crc = new CRC32C();

    private Segment(Path path, DiskFile file, long firstIndex, long prevTerm, long size, long preallocateStep) {
        this.path = path;
        this.file = file;
        this.firstIndex = firstIndex;
        this.prevTerm = prevTerm;
        this.size = size;
        this.fileLength = size;
        this.preallocateStep = preallocateStep;
    }

    /** The preallocation step for a log of {@code segmentBytes}-byte segments: no more than a segment. */
    static long preallocationStep(long segmentBytes) {
        return Math.min(MAX_PREALLOCATION_STEP, segmentBytes);
    }

    static String fileName(long firstIndex) {
        return String.format("log-%020d.seg", firstIndex);
    }

    /**
     * Creates an empty segment durably: header written to a temp file, synced, renamed into place,
     * directory synced. A crash leaves either no segment or a complete empty one.
     */
    static Segment create(Disk disk, Path dir, long firstIndex, long prevTerm, boolean fsync, long preallocateStep)
            throws IOException {
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
        return new Segment(path, disk.open(path, false), firstIndex, prevTerm, HEADER_BYTES, preallocateStep);
    }

    /**
     * Opens a segment and rebuilds its index. Zeros from the end of the records to the end of the
     * file are a preallocated tail, in any segment: kept as they are. In the last segment a torn
     * tail (a record cut short or with a bad checksum, with nothing valid after it, zeros or not)
     * is cut off: it was being written when the process died and was never acknowledged. Anything
     * else that does not check out is corruption and stops the node.
     */
    static Segment open(Disk disk, Path path, boolean last, long preallocateStep) throws IOException {
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
            Segment s = new Segment(path, file, buf.getLong(8), buf.getLong(16), HEADER_BYTES, preallocateStep);
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
        fileLength = pos;
    }

    private void handleBadRecord(ByteBuffer buf, int pos, boolean last) throws IOException {
        int limit = buf.limit();
        if (zerosFrom(buf, pos)) {
            log.debug("{}: records end at offset {}, followed by {} preallocated zero bytes", path, pos, limit - pos);
            size = pos;
            fileLength = limit;
            return;
        }
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
        fileLength = pos;
    }

    /** True if every byte from {@code pos} to the end of {@code buf} is zero. */
    private static boolean zerosFrom(ByteBuffer buf, int pos) {
        int limit = buf.limit();
        int i = pos;
        for (; i + Long.BYTES <= limit; i += Long.BYTES) {
            if (buf.getLong(i) != 0) return false;
        }
        for (; i < limit; i++) {
            if (buf.get(i) != 0) return false;
        }
        return true;
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
        long end = offset + bytes;
        if (preallocateStep > 0 && end > fileLength) extendTo(roundUp(end, preallocateStep));
        file.write(buf, offset);
        size = end;
        fileLength = Math.max(fileLength, end);
        dirty = true;
    }

    /**
     * Writes zeros from the end of the file to {@code newLength}. Not synced on its own: the next
     * fsync makes it durable with the records written into it, and a crash that keeps only part
     * of it leaves zeros (or a shorter file), which recovery reads as the preallocated tail.
     */
    private void extendTo(long newLength) throws IOException {
        file.write(ByteBuffer.allocate(Math.toIntExact(newLength - fileLength)), fileLength);
        fileLength = newLength;
    }

    private static long roundUp(long n, long step) {
        return (n + step - 1) / step * step;
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
        // Cut the file itself, zero tail included, so no old record survives past the new end.
        file.truncate(newSize);
        count = Math.min(count, keep);
        size = newSize;
        fileLength = newSize;
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
