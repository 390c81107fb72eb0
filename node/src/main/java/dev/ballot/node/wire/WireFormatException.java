package dev.ballot.node.wire;

/**
 * Bytes from a peer that are not a valid frame or message of the wire format this node speaks:
 * an unknown format version or message type, a truncated body, trailing bytes, a length beyond
 * the limits, or a field value the message types reject. The message names the field and its
 * byte offset in the frame body.
 *
 * <p>Checked on purpose: everything read from the network can be malformed, and a caller must
 * decide what to do about it (the transport closes the connection).
 */
public final class WireFormatException extends Exception {

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
