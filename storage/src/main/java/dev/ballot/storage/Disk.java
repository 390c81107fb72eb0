package dev.ballot.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The few file-system operations storage uses, behind an interface so tests can put a
 * fault-injecting disk underneath (one that forgets everything not yet synced when it "crashes").
 * {@link RealDisk} is the production implementation.
 */
public interface Disk {

    /** Opens a file for reading and writing, creating it (empty) if {@code create} is set and it does not exist. */
    DiskFile open(Path path, boolean create) throws IOException;

    boolean exists(Path path);

    /** Names of the regular files directly in {@code dir}, sorted. */
    List<String> list(Path dir) throws IOException;

    /** Renames {@code from} to {@code to} atomically, replacing {@code to} if it exists. Durable only after {@link #syncDirectory}. */
    void rename(Path from, Path to) throws IOException;

    /** Deletes a file if it exists. Durable only after {@link #syncDirectory}. */
    void delete(Path path) throws IOException;

    /** Makes creations, renames and deletions in {@code dir} durable. */
    void syncDirectory(Path dir) throws IOException;

    void createDirectories(Path dir) throws IOException;

    /**
     * Makes sure one process at a time uses the data directory {@code dir} (creating it), or throws
     * a StorageException naming it; closing the result releases it. A real disk takes an OS lock
     * ({@link DirectoryLock}); an in-memory disk keeps its own.
     */
    default Closeable lock(Path dir) {
        return DirectoryLock.acquire(dir);
    }
}
