package dev.ballot.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** An open file of a {@link Disk}: positional reads and writes, truncation, and {@link #force()}. */
public interface DiskFile extends Closeable {

    long size() throws IOException;

    /** Reads until {@code dst} is full or end of file; returns the number of bytes read. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}. Durable only after {@link #force()}. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Cuts the file to {@code size} bytes. Durable only after {@link #force()}. */
    void truncate(long size) throws IOException;

    /** Makes every write and truncation so far durable (fsync). */
    void force() throws IOException;
}
