package dev.ballot.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Magic numbers and versions of Ballot's files, and the check every file's head goes through.
 * The layouts are described byte by byte in docs/storage-format.md; change both together.
 */
final class FileFormat {

    private FileFormat() {}

    /** "BLOG": a log segment. */
    static final int SEGMENT_MAGIC = 0x424C4F47;
    /** "BHST": the hard state file. */
    static final int HARD_STATE_MAGIC = 0x42485354;
    /** "BSNP": a snapshot file. */
    static final int SNAPSHOT_MAGIC = 0x42534E50;
    static final int VERSION = 1;

    static int crc32c(ByteBuffer buf, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().limit(to).position(from));
        return (int) crc.getValue();
    }

    /** Checks magic and version at the start of {@code head}; throws a StorageException naming {@code file}. */
    static void checkMagicAndVersion(ByteBuffer head, int expectedMagic, String kind, Path file) {
        int magic = head.getInt(0);
        if (magic != expectedMagic) {
            throw new StorageException(file + " is not a Ballot " + kind + " file (magic 0x"
                    + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(expectedMagic)
                    + "). Move it out of the data directory.");
        }
        int version = Short.toUnsignedInt(head.getShort(4));
        if (version > VERSION) {
            throw new StorageException(file + " has " + kind + " format version " + version
                    + ", newer than this build understands (" + VERSION + "). Run a newer Ballot on this data directory.");
        }
        if (version < 1) {
            throw new StorageException(file + " has invalid " + kind + " format version " + version + ".");
        }
    }
}
