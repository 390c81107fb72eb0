package dev.ballot.storage;

import dev.ballot.raft.Entry;
import dev.ballot.raft.EntryType;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One log entry framed on disk:
 * <pre>
 *   u32 length   bytes after the crc field (17 + payload length)
 *   u32 crc32c   of those bytes
 *   u8  type     0 = COMMAND, 1 = NOOP
 *   u64 term
 *   u64 index
 *   ... payload
 * </pre>
 * Big-endian, as every number in Ballot's files.
 */
final class LogRecord {

    private LogRecord() {}

    static final int FRAME_BYTES = 8;      // length + crc
    static final int BODY_FIXED_BYTES = 17; // type + term + index
    static final int HEADER_BYTES = FRAME_BYTES + BODY_FIXED_BYTES;
    /** Largest payload a record may carry; anything larger in a length field is corruption. */
    static final int MAX_PAYLOAD_BYTES = 256 << 20;

    static int encodedSize(Entry e) {
        return HEADER_BYTES + e.data().length;
    }

    /** Encodes {@code e} into {@code out} (a heap buffer); {@code crc} is scratch, reset here. */
    static void encode(Entry e, ByteBuffer out, CRC32C crc) {
        int start = out.position();
        out.putInt(BODY_FIXED_BYTES + e.data().length);
        out.putInt(0); // crc, filled in below
        out.put(typeCode(e.type()));
        out.putLong(e.term());
        out.putLong(e.index());
        out.put(e.data());
        crc.reset();
        crc.update(out.array(), out.arrayOffset() + start + FRAME_BYTES, out.position() - start - FRAME_BYTES);
        out.putInt(start + 4, (int) crc.getValue());
    }

    /** Decodes the record at {@code pos} of {@code buf}, which the caller has checked with {@link #validAt}. */
    static Entry decode(ByteBuffer buf, int pos) {
        int length = buf.getInt(pos);
        EntryType type = buf.get(pos + 8) == 1 ? EntryType.NOOP : EntryType.COMMAND;
        long term = buf.getLong(pos + 9);
        long index = buf.getLong(pos + 17);
        byte[] data = new byte[length - BODY_FIXED_BYTES];
        buf.get(pos + HEADER_BYTES, data);
        return new Entry(index, term, type, data);
    }

    /**
     * True if a complete record with a valid checksum, a known type and sane fields starts at
     * {@code pos} and ends at or before {@code limit}.
     */
    static boolean validAt(ByteBuffer buf, int pos, int limit) {
        if (limit - pos < HEADER_BYTES) return false;
        int length = buf.getInt(pos);
        if (length < BODY_FIXED_BYTES || length - BODY_FIXED_BYTES > MAX_PAYLOAD_BYTES) return false;
        if ((long) pos + FRAME_BYTES + length > limit) return false;
        byte type = buf.get(pos + 8);
        if (type != 0 && type != 1) return false;
        if (buf.getLong(pos + 9) < 1 || buf.getLong(pos + 17) < 1) return false;
        return buf.getInt(pos + 4) == FileFormat.crc32c(buf, pos + FRAME_BYTES, pos + FRAME_BYTES + length);
    }

    static long termAt(ByteBuffer buf, int pos) {
        return buf.getLong(pos + 9);
    }

    static long indexAt(ByteBuffer buf, int pos) {
        return buf.getLong(pos + 17);
    }

    static int sizeAt(ByteBuffer buf, int pos) {
        return FRAME_BYTES + buf.getInt(pos);
    }

    private static byte typeCode(EntryType t) {
        return switch (t) {
            case COMMAND -> 0;
            case NOOP -> 1;
        };
    }
}
