package dev.ballot.storage;

import dev.ballot.raft.HardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The hard state (current term, votedFor, commit index) in its own small file, replaced
 * atomically: write a temp file, fsync it, rename it over the old one, fsync the directory. After
 * a crash the file holds the old state or the new one, never a mix.
 *
 * <pre>
 *   u32 magic "BHST" | u16 version | u16 flags | u64 currentTerm | u64 votedFor | u64 commitIndex | u32 crc32c(bytes 0..32)
 * </pre>
 */
public final class HardStateFile {

    static final String NAME = "hardstate";
    static final int BYTES = 36;

    private final Disk disk;
    private final Path dir;
    private final Path path;
    private long writes;

    public HardStateFile(Disk disk, Path dir) {
        this.disk = disk;
        this.dir = dir;
        this.path = dir.resolve(NAME);
    }

    /** The persisted hard state, or {@link HardState#INITIAL} if none was ever saved. */
    public HardState load() {
        try {
            disk.delete(dir.resolve(NAME + ".tmp")); // a save cut short: the old file still stands
            if (!disk.exists(path)) return HardState.INITIAL;
            ByteBuffer buf = ByteBuffer.allocate(BYTES + 1);
            try (DiskFile f = disk.open(path, false)) {
                f.read(buf, 0);
                // The node is about to act on this state (e.g. not vote twice): make sure a power
                // loss cannot take it back, even if the process that wrote it died before syncing.
                f.force();
            }
            disk.syncDirectory(dir);
            buf.flip();
            if (buf.limit() != BYTES) {
                throw new StorageException(path + " is " + buf.limit() + " bytes, expected " + BYTES
                        + ": the hard state file is damaged. Restore this node from a peer (its vote and term are lost).");
            }
            FileFormat.checkMagicAndVersion(buf, FileFormat.HARD_STATE_MAGIC, "hard state", path);
            if (buf.getInt(32) != FileFormat.crc32c(buf, 0, 32)) {
                throw new StorageException(path + ": checksum mismatch at offset 32: the hard state file is damaged. "
                        + "Restore this node from a peer (its vote and term cannot be trusted).");
            }
            try {
                return new HardState(buf.getLong(8), buf.getLong(16), buf.getLong(24));
            } catch (IllegalArgumentException e) {
                throw new StorageException(path + ": " + e.getMessage());
            }
        } catch (IOException e) {
            throw new StorageException("cannot read " + path, e);
        }
    }

    /** Replaces the hard state durably; returns once it is on disk. */
    public void save(HardState hs) {
        save(hs, Durability.FSYNC);
    }

    /** Replaces the hard state atomically; with {@link Durability#NONE} nothing is fsynced (unsafe). */
    public void save(HardState hs, Durability durability) {
        boolean sync = durability == Durability.FSYNC;
        Path tmp = dir.resolve(NAME + ".tmp");
        ByteBuffer buf = ByteBuffer.allocate(BYTES);
        buf.putInt(FileFormat.HARD_STATE_MAGIC).putShort((short) FileFormat.VERSION).putShort((short) 0)
                .putLong(hs.currentTerm()).putLong(hs.votedFor()).putLong(hs.commitIndex());
        buf.putInt(FileFormat.crc32c(buf, 0, 32));
        buf.flip();
        try {
            try (DiskFile f = disk.open(tmp, true)) {
                f.truncate(0);
                f.write(buf, 0);
                if (sync) f.force();
            }
            disk.rename(tmp, path);
            if (sync) disk.syncDirectory(dir);
            writes++;
        } catch (IOException e) {
            throw new StorageException("cannot save the hard state to " + path, e);
        }
    }

    /** Number of {@link #save} calls that completed. */
    public long writeCount() {
        return writes;
    }
}
