package dev.ballot.kv.server;

import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvLimits;

import java.util.List;

/**
 * Checks a command's key and value sizes before it is sent to Raft, so an oversized request is
 * refused at once, without a log entry, with the same message the state machine would give
 * (docs/kv-commands.md, "Limits and errors"; checked in the same order). Sizes that depend on the
 * stored state (the result of APPEND or INCRBY) are left to the state machine.
 */
public final class KvLimitCheck {

    private KvLimitCheck() {}

    /** The error message (e.g. {@code "ERR key too large (1025 bytes > limit 1024)"}), or null if within the limits. */
    public static String check(KvCommand command, KvLimits limits) {
        return switch (command) {
            case KvCommand.Get c -> key(c.key(), limits);
            case KvCommand.Set c -> first(key(c.key(), limits), value(c.value(), limits));
            case KvCommand.Del c -> keys(c.keys(), limits);
            case KvCommand.Exists c -> keys(c.keys(), limits);
            case KvCommand.MGet c -> keys(c.keys(), limits);
            case KvCommand.IncrBy c -> key(c.key(), limits);
            case KvCommand.Append c -> key(c.key(), limits);
            case KvCommand.Cas c -> first(key(c.key(), limits), value(c.newValue(), limits));
            case KvCommand.MSet c -> pairs(c.pairs(), limits);
        };
    }

    private static String pairs(List<KvCommand.Pair> pairs, KvLimits limits) {
        for (KvCommand.Pair p : pairs) {
            String err = first(key(p.key(), limits), value(p.value(), limits));
            if (err != null) {
                return err;
            }
        }
        return null;
    }

    private static String keys(List<byte[]> keys, KvLimits limits) {
        for (byte[] k : keys) {
            String err = key(k, limits);
            if (err != null) {
                return err;
            }
        }
        return null;
    }

    private static String key(byte[] key, KvLimits limits) {
        return key.length > limits.maxKeyBytes()
                ? "ERR key too large (" + key.length + " bytes > limit " + limits.maxKeyBytes() + ")"
                : null;
    }

    private static String value(byte[] value, KvLimits limits) {
        return value.length > limits.maxValueBytes()
                ? "ERR value too large (" + value.length + " bytes > limit " + limits.maxValueBytes() + ")"
                : null;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
