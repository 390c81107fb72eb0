package dev.ballot.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Snapshot files in a directory, newest kept, older ones deleted beyond {@code retain}. Each is
 * written to a temp file, fsynced, renamed into place and the directory fsynced, so a crash
 * leaves the old snapshot or the new one. A checksum over the whole file is verified on open.
 *
 * <pre>
 *   u32 magic "BSNP" | u16 version | u16 flags | u64 lastIndex | u64 lastTerm | u32 voterCount | u32 reserved | u64 voter * voterCount
 *   data bytes
 *   u64 dataLength | u32 crc32c(every byte before it)
 * </pre>
 */
public final class SnapshotStore {

    public static final int DEFAULT_RETAIN = 2;
    /** A snapshot file being received from a leader; never read as a snapshot, deleted at restart. */
    static final String RECEIVING_SUFFIX = ".recv";
    private static final int TRAILER_BYTES = 12;

    /** Writes a state machine's snapshot data. */
    @FunctionalInterface
    public interface DataWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Disk disk;
    private final Path dir;
    private final int retain;

    public SnapshotStore(Disk disk, Path dir, int retain) {
        if (retain < 1) throw new IllegalArgumentException("retain must be >= 1, was " + retain);
        this.disk = disk;
        this.dir = dir;
        this.retain = retain;
    }

    static String fileName(long index, long term) {
        return String.format("snapshot-%020d-%020d.snap", index, term);
    }

    /** Writes a snapshot durably, then deletes all but the newest {@code retain}. */
    public void save(SnapshotMeta meta, DataWriter data) {
        String name = fileName(meta.lastIndex(), meta.lastTerm());
        Path tmp = dir.resolve(name + ".tmp");
        try {
            if (!disk.exists(dir)) {
                disk.createDirectories(dir);
                if (dir.getParent() != null) disk.syncDirectory(dir.getParent());
            }
            try (DiskFile f = disk.open(tmp, true)) {
                f.truncate(0);
                ChecksummedWriter w = new ChecksummedWriter(f);
                ByteBuffer head = ByteBuffer.allocate(32 + 8 * meta.voters().size());
                head.putInt(FileFormat.SNAPSHOT_MAGIC).putShort((short) FileFormat.VERSION).putShort((short) 0)
                        .putLong(meta.lastIndex()).putLong(meta.lastTerm()).putInt(meta.voters().size()).putInt(0);
                for (long v : meta.voters().stream().sorted().toList()) head.putLong(v);
                w.write(head.array(), 0, head.position());
                long start = w.written;
                data.writeTo(w);
                long dataLength = w.written - start;
                w.write(ByteBuffer.allocate(8).putLong(dataLength).array(), 0, 8);
                int crc = (int) w.crc.getValue();
                w.write(ByteBuffer.allocate(4).putInt(crc).array(), 0, 4);
                w.flush();
                f.force();
            }
            putInPlace(tmp, meta);
        } catch (IOException e) {
            throw new StorageException("cannot save snapshot " + name + " in " + dir, e);
        }
    }

    /** Renames a complete, synced snapshot file into place durably, then deletes all but the newest {@code retain}. */
    void putInPlace(Path tmp, SnapshotMeta meta) throws IOException {
        disk.rename(tmp, dir.resolve(fileName(meta.lastIndex(), meta.lastTerm())));
        disk.syncDirectory(dir);
        List<String> all = snapshotNames();
        for (int i = 0; i < all.size() - retain; i++) disk.delete(dir.resolve(all.get(i)));
        disk.syncDirectory(dir);
    }

    /**
     * Starts receiving the snapshot file of {@code index}@{@code term} from a leader, into a
     * temporary file beside the snapshots ({@link SnapshotTransfer.Incoming}).
     */
    public SnapshotTransfer.Incoming receive(long index, long term) {
        Path tmp = dir.resolve(fileName(index, term) + RECEIVING_SUFFIX);
        try {
            if (!disk.exists(dir)) {
                disk.createDirectories(dir);
                if (dir.getParent() != null) disk.syncDirectory(dir.getParent());
            }
            DiskFile f = disk.open(tmp, true);
            f.truncate(0);
            return new SnapshotTransfer.Incoming(this, disk, tmp, f, index, term);
        } catch (IOException e) {
            throw new StorageException("cannot create " + tmp + " to receive a snapshot", e);
        }
    }

    /** Opens a snapshot file of this store whole, to send it to a follower ({@link SnapshotTransfer.Outgoing}). */
    public SnapshotTransfer.Outgoing send(SnapshotMeta meta) {
        Path path = dir.resolve(fileName(meta.lastIndex(), meta.lastTerm()));
        try {
            DiskFile f = disk.open(path, false);
            return new SnapshotTransfer.Outgoing(meta, f, f.size());
        } catch (IOException e) {
            throw new StorageException("cannot open snapshot " + path + " to send it", e);
        }
    }

    /** The size in bytes of a snapshot file of this store. */
    public long sizeOf(SnapshotMeta meta) {
        Path path = dir.resolve(fileName(meta.lastIndex(), meta.lastTerm()));
        try (DiskFile f = disk.open(path, false)) {
            return f.size();
        } catch (IOException e) {
            throw new StorageException("cannot read the size of snapshot " + path, e);
        }
    }

    /**
     * The newest snapshot, verified, or empty if there is none. A snapshot that fails its checksum
     * is an error (it would mean a node cannot tell what it has applied), not skipped.
     */
    public Optional<SnapshotMeta> latest() {
        try {
            if (!disk.exists(dir)) return Optional.empty();
            deleteLeftovers();
            List<String> all = snapshotNames();
            if (all.isEmpty()) return Optional.empty();
            Path newest = dir.resolve(all.getLast());
            SnapshotMeta meta = verify(newest);
            // As for the log: what a restarted node uses must be durable, synced by its writer or not.
            try (DiskFile f = disk.open(newest, false)) {
                f.force();
            }
            disk.syncDirectory(dir);
            return Optional.of(meta);
        } catch (IOException e) {
            throw new StorageException("cannot list snapshots in " + dir, e);
        }
    }

    /**
     * One snapshot file: {@code meta} if it verifies, else null and {@code damage} says why (its
     * index and term are then only what its name says).
     */
    public record Listing(String name, long lastIndex, long lastTerm, SnapshotMeta meta, String damage) {
        public boolean valid() {
            return meta != null;
        }
    }

    /**
     * Every snapshot file, newest first, each verified (a damaged one is listed with why, not
     * thrown): what a restarting node chooses from ({@link RestartPoint}). A valid one is fsynced,
     * as {@link #latest()} does, before anything acts on it.
     */
    public List<Listing> listNewestFirst() {
        try {
            if (!disk.exists(dir)) return List.of();
            deleteLeftovers();
            List<String> names = snapshotNames();
            List<Listing> out = new ArrayList<>();
            for (int i = names.size() - 1; i >= 0; i--) {
                String name = names.get(i);
                String[] parts = name.substring("snapshot-".length(), name.length() - ".snap".length()).split("-");
                long index = parts.length == 2 ? parseOrMinus(parts[0]) : -1;
                long term = parts.length == 2 ? parseOrMinus(parts[1]) : -1;
                Path path = dir.resolve(name);
                try {
                    SnapshotMeta meta = verify(path);
                    try (DiskFile f = disk.open(path, false)) {
                        f.force();
                    }
                    out.add(new Listing(name, meta.lastIndex(), meta.lastTerm(), meta, null));
                } catch (StorageException e) {
                    out.add(new Listing(name, index, term, null, e.getMessage()));
                }
            }
            disk.syncDirectory(dir);
            return out;
        } catch (IOException e) {
            throw new StorageException("cannot list snapshots in " + dir, e);
        }
    }

    private static long parseOrMinus(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1; // a name no writer of this format produces: its content decides
        }
    }

    /** Opens the data of a snapshot returned by {@link #latest()}. The caller closes the stream. */
    public InputStream openData(SnapshotMeta meta) {
        Path path = dir.resolve(fileName(meta.lastIndex(), meta.lastTerm()));
        try {
            DiskFile f = disk.open(path, false);
            long size = f.size();
            long start = 32 + 8L * meta.voters().size();
            return new RangeInputStream(f, start, size - TRAILER_BYTES);
        } catch (IOException e) {
            throw new StorageException("cannot open snapshot " + path, e);
        }
    }

    private List<String> snapshotNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (String n : disk.list(dir)) {
            if (n.startsWith("snapshot-") && n.endsWith(".snap")) names.add(n);
        }
        names.sort(null); // zero-padded index first: name order is index order
        return names;
    }

    /** Files a crash left half-written: a snapshot being saved or received. Never used, so deleted. */
    private void deleteLeftovers() throws IOException {
        for (String name : disk.list(dir)) {
            if (name.startsWith("snapshot-") && (name.endsWith(".snap.tmp") || name.endsWith(".snap" + RECEIVING_SUFFIX))) {
                disk.delete(dir.resolve(name));
            }
        }
    }

    SnapshotMeta verify(Path path) throws IOException {
        try (DiskFile f = disk.open(path, false)) {
            long size = f.size();
            if (size < 32 + TRAILER_BYTES) throw damaged(path, "it is only " + size + " bytes");
            ByteBuffer head = ByteBuffer.allocate(32);
            f.read(head, 0);
            head.flip();
            FileFormat.checkMagicAndVersion(head, FileFormat.SNAPSHOT_MAGIC, "snapshot", path);
            long lastIndex = head.getLong(8);
            long lastTerm = head.getLong(16);
            int voterCount = head.getInt(24);
            if (voterCount < 0 || 32 + 8L * voterCount + TRAILER_BYTES > size) {
                throw damaged(path, "voter count " + voterCount + " does not fit the file");
            }
            CRC32C crc = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocate(64 << 10);
            long pos = 0;
            long crcEnd = size - 4;
            while (pos < crcEnd) {
                buf.clear().limit((int) Math.min(buf.capacity(), crcEnd - pos));
                int n = f.read(buf, pos);
                if (n <= 0) throw damaged(path, "it ended early at offset " + pos);
                buf.flip();
                crc.update(buf);
                pos += n;
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES);
            f.read(trailer, size - TRAILER_BYTES);
            trailer.flip();
            long dataLength = trailer.getLong(0);
            if ((int) crc.getValue() != trailer.getInt(8)) {
                throw damaged(path, "checksum mismatch (trailer at offset " + (size - 4) + ")");
            }
            if (dataLength != size - TRAILER_BYTES - 32 - 8L * voterCount) {
                throw damaged(path, "data length " + dataLength + " does not match the file size");
            }
            ByteBuffer voters = ByteBuffer.allocate(8 * voterCount);
            f.read(voters, 32);
            voters.flip();
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < voterCount; i++) ids.add(voters.getLong());
            try {
                return new SnapshotMeta(lastIndex, lastTerm, ids);
            } catch (IllegalArgumentException e) {
                throw damaged(path, e.getMessage());
            }
        }
    }

    private static StorageException damaged(Path path, String why) {
        return new StorageException("snapshot " + path + " is damaged: " + why
                + ". Move it out of the data directory; the node will then start from an older snapshot or from a peer.");
    }

    /** Buffers writes to a DiskFile and checksums everything written. */
    private static final class ChecksummedWriter extends OutputStream {
        private final DiskFile file;
        private final CRC32C crc = new CRC32C();
        private final ByteBuffer buf = ByteBuffer.allocate(64 << 10);
        private long written;
        private long flushedTo;

        ChecksummedWriter(DiskFile file) {
            this.file = file;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            crc.update(b, off, len);
            written += len;
            while (len > 0) {
                int n = Math.min(len, buf.remaining());
                buf.put(b, off, n);
                off += n;
                len -= n;
                if (!buf.hasRemaining()) flush();
            }
        }

        @Override
        public void flush() throws IOException {
            buf.flip();
            int n = buf.remaining();
            file.write(buf, flushedTo);
            flushedTo += n;
            buf.clear();
        }
    }

    /** Reads {@code [from, to)} of a DiskFile; closes the file when closed. */
    private static final class RangeInputStream extends InputStream {
        private final DiskFile file;
        private long pos;
        private final long end;

        RangeInputStream(DiskFile file, long from, long to) {
            this.file = file;
            this.pos = from;
            this.end = to;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (pos >= end) return -1;
            int n = (int) Math.min(len, end - pos);
            int got = file.read(ByteBuffer.wrap(b, off, n), pos);
            if (got <= 0) return -1;
            pos += got;
            return got;
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
