package dev.ballot.node.wire;

import io.netty.buffer.ByteBuf;

/**
 * Reads big-endian fields from a frame body, checking before every read that the bytes are there,
 * so malformed input fails with a {@link WireFormatException} naming the field and its offset
 * (relative to the start of the body) instead of an {@code IndexOutOfBoundsException}.
 */
final class FieldReader {

    private final ByteBuf buf;
    private final int start;

    FieldReader(ByteBuf buf) {
        this.buf = buf;
        this.start = buf.readerIndex();
    }

    int offset() {
        return buf.readerIndex() - start;
    }

    int remaining() {
        return buf.readableBytes();
    }

    private void need(String field, int bytes) throws WireFormatException {
        if (buf.readableBytes() < bytes) {
            throw new WireFormatException("truncated body: field " + field + " at offset " + offset() + " needs "
                    + bytes + (bytes == 1 ? " byte, " : " bytes, ") + buf.readableBytes() + " remain");
        }
    }

    int u8(String field) throws WireFormatException {
        need(field, 1);
        return buf.readUnsignedByte();
    }

    long u32(String field) throws WireFormatException {
        need(field, Integer.BYTES);
        return buf.readUnsignedInt();
    }

    long i64(String field) throws WireFormatException {
        need(field, Long.BYTES);
        return buf.readLong();
    }

    boolean bool(String field) throws WireFormatException {
        int offset = offset();
        int b = u8(field);
        return switch (b) {
            case 0 -> false;
            case 1 -> true;
            default -> throw new WireFormatException("invalid boolean " + b + " in field " + field + " at offset "
                    + offset + " (must be 0 or 1)");
        };
    }

    /** A u32 length, then that many bytes; the length is checked before anything is allocated. */
    byte[] bytes(String field, int maxFrameSize) throws WireFormatException {
        int offset = offset();
        long length = u32(field + " length");
        if (length > maxFrameSize) {
            throw new WireFormatException("length " + length + " in field " + field + " length at offset " + offset
                    + " exceeds the max frame size of " + maxFrameSize + " bytes");
        }
        if (length > buf.readableBytes()) {
            throw new WireFormatException("truncated body: field " + field + " at offset " + offset()
                    + " needs " + length + " bytes, " + buf.readableBytes() + " remain");
        }
        byte[] bytes = new byte[(int) length];
        buf.readBytes(bytes);
        return bytes;
    }
}
