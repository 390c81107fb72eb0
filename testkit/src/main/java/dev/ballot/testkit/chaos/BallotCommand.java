package dev.ballot.testkit.chaos;

import redis.clients.jedis.commands.ProtocolCommand;

import java.nio.charset.StandardCharsets;

/** Ballot's own RESP commands, which Jedis does not know. */
enum BallotCommand implements ProtocolCommand {
    /** {@code CAS key expected new}: {@code :1} if swapped, {@code :0} if the key did not hold {@code expected}. */
    CAS;

    private final byte[] raw = name().getBytes(StandardCharsets.US_ASCII);

    @Override
    public byte[] getRaw() {
        return raw.clone();
    }
}
