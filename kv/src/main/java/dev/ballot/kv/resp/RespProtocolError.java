package dev.ballot.kv.resp;

import java.util.Objects;

/**
 * Emitted by {@link RespDecoder} when the client sent something that is not valid RESP (or breaks
 * a {@link RespLimits limit}). It is always the last message the decoder emits for a connection:
 * all later input is discarded. The handler should write {@link #toReply()} and close.
 *
 * @param message Redis's wording, e.g. {@code "Protocol error: invalid bulk length"}
 */
public record RespProtocolError(String message) {

    public RespProtocolError {
        Objects.requireNonNull(message, "message");
    }

    /** The reply Redis sends in this case: {@code -ERR Protocol error: ...}. */
    public RespReply.ErrorReply toReply() {
        return RespReply.err(message);
    }
}
