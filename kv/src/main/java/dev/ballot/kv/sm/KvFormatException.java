package dev.ballot.kv.sm;

/**
 * Bytes that are not a valid encoding of a {@link KvCommand} or {@link KvResult}: wrong version,
 * unknown opcode, a length beyond the input, trailing bytes and so on. The only exception
 * {@link KvCodec}'s decoders throw.
 */
public final class KvFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KvFormatException(String message) {
        super(message);
    }
}
