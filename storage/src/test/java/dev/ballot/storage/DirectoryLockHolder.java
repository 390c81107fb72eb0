package dev.ballot.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DirectoryLockTest}: tries to lock the directory given as the only
 * argument and prints {@code LOCKED <pid>} or {@code REFUSED <message>}; when locked, holds the
 * lock until its standard input is closed (or it is killed).
 */
public final class DirectoryLockHolder {

    private DirectoryLockHolder() {}

    public static void main(String[] args) throws IOException {
        DirectoryLock lock;
        try {
            lock = DirectoryLock.acquire(Path.of(args[0]));
        } catch (StorageException e) {
            System.out.println("REFUSED " + e.getMessage());
            return;
        }
        System.out.println("LOCKED " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the lock until the parent closes our stdin
        }
        lock.close();
    }
}
