package dev.ballot.bench.load;

import java.io.IOException;

/** The server sent bytes that are not a RESP2 reply; the connection cannot be trusted any more. */
public final class RespProtocolException extends IOException {
    public RespProtocolException(String message) {
        super(message);
    }
}
