package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.EventType;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.Set;

/**
 * Turns what a client learned about an operation into its history outcome. The rule is Jepsen's:
 * FAIL only when the server's reply proves the operation had no effect; everything else that is not
 * a success (timeouts, broken connections, {@code -UNKNOWN}, unexpected errors) is INFO.
 *
 * <p>The error codes that promise "no effect" are those of docs/resp.md ("Error replies and what
 * they promise"): TRYAGAIN, BUSY, TIMEOUT and SHUTDOWN. Reads follow the same rule (a timed-out
 * read is INFO, as the issue asks of every timed-out operation); the checker ignores a read that
 * returned no value either way.
 */
public final class OutcomeClassifier {

    /** Error codes after which the command certainly had no effect. */
    static final Set<String> NO_EFFECT_CODES = Set.of("TRYAGAIN", "BUSY", "TIMEOUT", "SHUTDOWN");

    private OutcomeClassifier() {}

    /**
     * The outcome of {@code op} whose reply was the error {@code message} (without the leading '-').
     * A CAS refused with a no-effect code is INFO, not FAIL: to the checker a failed CAS says "the
     * register did not hold the expected value", which a refusal does not say (it held anything);
     * INFO (it may or may not have happened) is always true of it.
     */
    public static EventType ofErrorReply(Op op, String message) {
        String code = message == null ? "" : message.strip().split("\\s+", 2)[0];
        if (!NO_EFFECT_CODES.contains(code)) return EventType.INFO;
        return op.f().equals("cas") ? EventType.INFO : EventType.FAIL;
    }

    /** The outcome of {@code op} that threw {@code error} (an error reply, a timeout, a broken connection...). */
    public static EventType ofException(Op op, Throwable error) {
        if (error instanceof JedisDataException data) return ofErrorReply(op, data.getMessage());
        return EventType.INFO;
    }

    /** The outcome of a {@code CAS} that replied {@code reply}: 1 swapped, 0 the register did not hold the expected value. */
    public static EventType ofCasReply(Object reply) {
        if (reply instanceof Long n && (n == 0 || n == 1)) return n == 1 ? EventType.OK : EventType.FAIL;
        // Not a reply CAS can give: we cannot tell what happened.
        return EventType.INFO;
    }
}
