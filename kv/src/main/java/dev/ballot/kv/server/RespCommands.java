package dev.ballot.kv.server;

import dev.ballot.kv.resp.RespReply;
import dev.ballot.kv.resp.RespRequest;
import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvStateMachine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the arguments of a RESP request into a {@link KvCommand}, with Redis's argument checks and
 * error wording (arity, syntax, integers). Only the key-value commands are handled here; connection
 * commands (PING, INFO, ...) belong to the handler.
 */
public final class RespCommands {

    /** The key-value commands this parser knows, upper case. */
    public static final Set<String> NAMES = Set.of(
            "GET", "SET", "DEL", "EXISTS", "INCR", "INCRBY", "DECR", "DECRBY",
            "MGET", "MSET", "APPEND", "CAS");

    /** Options Redis's SET accepts that Ballot does not (no expiry, no GET-and-set). */
    private static final Set<String> UNSUPPORTED_SET_OPTIONS = Set.of("EX", "PX", "EXAT", "PXAT", "GET");

    private RespCommands() {}

    /** The outcome of parsing: a command to execute, or the error reply to send instead. */
    public sealed interface Parsed {}

    /** A well-formed key-value command. */
    public record Command(KvCommand command) implements Parsed {}

    /** The request is wrong (arity, syntax, not an integer); nothing must be executed. */
    public record Rejected(RespReply.ErrorReply reply) implements Parsed {}

    /** Whether {@code upperCaseName} is a key-value command this class parses. */
    public static boolean isKvCommand(String upperCaseName) {
        return NAMES.contains(upperCaseName);
    }

    /**
     * Parses a request whose command is one of {@link #NAMES}.
     *
     * @throws IllegalArgumentException if it is not a key-value command
     */
    public static Parsed parse(RespRequest request) {
        String name = request.command();
        List<byte[]> a = request.args();
        int n = a.size();
        return switch (name) {
            case "GET" -> n == 2 ? ok(new KvCommand.Get(a.get(1))) : arity(name);
            case "SET" -> n >= 3 ? set(a) : arity(name);
            case "DEL" -> n >= 2 ? ok(new KvCommand.Del(a.subList(1, n))) : arity(name);
            case "EXISTS" -> n >= 2 ? ok(new KvCommand.Exists(a.subList(1, n))) : arity(name);
            case "MGET" -> n >= 2 ? ok(new KvCommand.MGet(a.subList(1, n))) : arity(name);
            case "MSET" -> n >= 3 && n % 2 == 1 ? mset(a) : arity(name);
            case "INCR" -> n == 2 ? ok(KvCommand.incr(a.get(1))) : arity(name);
            case "DECR" -> n == 2 ? ok(KvCommand.decr(a.get(1))) : arity(name);
            case "INCRBY" -> n == 3 ? incrBy(a.get(1), a.get(2), false) : arity(name);
            case "DECRBY" -> n == 3 ? incrBy(a.get(1), a.get(2), true) : arity(name);
            case "APPEND" -> n == 3 ? ok(new KvCommand.Append(a.get(1), a.get(2))) : arity(name);
            case "CAS" -> n == 4 ? ok(new KvCommand.Cas(a.get(1), a.get(2), a.get(3))) : arity(name);
            default -> throw new IllegalArgumentException("not a key-value command: " + name);
        };
    }

    /** Redis's arity error: {@code ERR wrong number of arguments for 'get' command}. */
    public static RespReply.ErrorReply arityError(String name) {
        return RespReply.err("wrong number of arguments for '" + name.toLowerCase(Locale.ROOT) + "' command");
    }

    private static Parsed set(List<byte[]> a) {
        KvCommand.Condition condition = KvCommand.Condition.NONE;
        for (int i = 3; i < a.size(); i++) {
            String option = new String(a.get(i), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
            switch (option) {
                case "NX", "XX" -> {
                    if (condition != KvCommand.Condition.NONE) {
                        return syntaxError(); // NX and XX together, as Redis
                    }
                    condition = option.equals("NX") ? KvCommand.Condition.NX : KvCommand.Condition.XX;
                }
                // No key ever has a time to live, so keeping it is what already happens.
                case "KEEPTTL" -> { }
                default -> {
                    if (UNSUPPORTED_SET_OPTIONS.contains(option)) {
                        return new Rejected(RespReply.err("SET option '" + option
                                + "' is not supported (Ballot keys do not expire; SET supports NX, XX and KEEPTTL)"));
                    }
                    return syntaxError();
                }
            }
        }
        return ok(new KvCommand.Set(a.get(1), a.get(2), condition));
    }

    private static Parsed mset(List<byte[]> a) {
        List<KvCommand.Pair> pairs = new ArrayList<>((a.size() - 1) / 2);
        for (int i = 1; i < a.size(); i += 2) {
            pairs.add(new KvCommand.Pair(a.get(i), a.get(i + 1)));
        }
        return ok(new KvCommand.MSet(pairs));
    }

    private static Parsed incrBy(byte[] key, byte[] deltaArg, boolean negate) {
        Long delta = KvStateMachine.parseRedisInteger(deltaArg);
        if (delta == null) {
            return new Rejected(new RespReply.ErrorReply(KvStateMachine.ERR_NOT_INTEGER));
        }
        if (!negate) {
            return ok(new KvCommand.IncrBy(key, delta));
        }
        if (delta == Long.MIN_VALUE) {
            // -Long.MIN_VALUE does not exist; Redis 7 answers exactly this.
            return new Rejected(RespReply.err("decrement would overflow"));
        }
        return ok(new KvCommand.IncrBy(key, -delta));
    }

    private static Parsed ok(KvCommand command) {
        return new Command(command);
    }

    private static Parsed arity(String name) {
        return new Rejected(arityError(name));
    }

    private static Parsed syntaxError() {
        return new Rejected(RespReply.err("syntax error"));
    }
}
