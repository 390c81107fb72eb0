package dev.ballot.bench.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Marks an instant in an strace log: fsyncs a file with a known name, so {@link FsyncTrace} can
 * count only the fsyncs between two marks (the measured window).
 */
public final class FsyncMarker {

    public static final String PREFIX = "fsync-marker-";

    private FsyncMarker() {
    }

    /** fsyncs {@code dir/fsync-marker-<name>}. */
    public static void mark(Path dir, String name) {
        Path file = dir.resolve(PREFIX + name);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}));
            ch.force(true);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the fsync marker " + file, e);
        }
    }

    public static String begin(int k) {
        return "begin-k" + k;
    }

    public static String end(int k) {
        return "end-k" + k;
    }
}
