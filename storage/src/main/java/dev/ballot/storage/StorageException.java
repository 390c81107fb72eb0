package dev.ballot.storage;

import java.io.IOException;

/**
 * Storage cannot continue: a file is corrupt, of an unknown format, or the disk failed. The
 * message names the file, the offset where known, and what an operator can do.
 */
public final class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, IOException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
