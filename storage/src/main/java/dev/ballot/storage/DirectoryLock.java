package dev.ballot.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes sure one process at a time uses a data directory: an OS lock ({@link FileChannel#tryLock})
 * on a file named {@code LOCK} that also records the owner's pid. The OS drops the lock when the
 * process dies, so a crash never leaves a stale lock behind.
 */
public final class DirectoryLock implements Closeable {

    static final String NAME = "LOCK";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} or throws a StorageException naming the directory and, if known, the owner's pid. */
    public static DirectoryLock acquire(Path dir) {
        Path path = dir.resolve(NAME);
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                // Another channel of this very JVM holds the lock. Closing ours would release that
                // lock too (POSIX locks belong to the process, and any close drops them), letting a
                // second process in. So this one descriptor is deliberately left open.
                throw new StorageException("data directory " + dir + " is already in use by this process"
                        + " (another node or storage instance opened it). Give each node its own --data directory.");
            }
            if (lock == null) {
                String owner = readOwner(ch);
                ch.close();
                throw new StorageException("data directory " + dir + " is in use by another Ballot process"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + ". Stop it first, or give this node its own --data directory.");
            }
            byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid), 0);
            ch.force(false);
            return new DirectoryLock(ch, lock);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new StorageException("cannot lock data directory " + dir, e);
        }
    }

    private static String readOwner(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        ch.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
