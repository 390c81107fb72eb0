package dev.ballot.kv.server;

import dev.ballot.kv.sm.Bytes;
import dev.ballot.kv.sm.KvCodec;
import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvFormatException;
import dev.ballot.node.LogEntryView;
import dev.ballot.raft.EntryType;

import java.util.ArrayList;
import java.util.List;

/**
 * A log entry's command as people read it, e.g. {@code SET k "hello world" NX}: an argument is
 * shown bare when it is plain printable ASCII, otherwise quoted with {@code \xHH} escapes as
 * redis-cli does. A no-op entry is {@code (no-op)}; bytes that do not decode are
 * {@code (malformed: reason)}.
 */
final class LogEntryFormat {

    private LogEntryFormat() {}

    static String describe(LogEntryView entry) {
        if (entry.type() == EntryType.NOOP) {
            return "(no-op)";
        }
        KvCommand command;
        try {
            command = KvCodec.decodeCommand(entry.data());
        } catch (KvFormatException e) {
            return "(malformed: " + e.getMessage() + ")";
        }
        return describe(command);
    }

    static String describe(KvCommand command) {
        List<byte[]> args = new ArrayList<>();
        String name = switch (command) {
            case KvCommand.Get c -> {
                args.add(c.key());
                yield "GET";
            }
            case KvCommand.Set c -> {
                args.add(c.key());
                args.add(c.value());
                yield "SET";
            }
            case KvCommand.Del c -> {
                args.addAll(c.keys());
                yield "DEL";
            }
            case KvCommand.Exists c -> {
                args.addAll(c.keys());
                yield "EXISTS";
            }
            case KvCommand.MGet c -> {
                args.addAll(c.keys());
                yield "MGET";
            }
            case KvCommand.IncrBy c -> {
                args.add(c.key());
                args.add(Long.toString(c.delta()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                yield "INCRBY";
            }
            case KvCommand.MSet c -> {
                for (KvCommand.Pair p : c.pairs()) {
                    args.add(p.key());
                    args.add(p.value());
                }
                yield "MSET";
            }
            case KvCommand.Append c -> {
                args.add(c.key());
                args.add(c.value());
                yield "APPEND";
            }
            case KvCommand.Cas c -> {
                args.add(c.key());
                args.add(c.expected());
                args.add(c.newValue());
                yield "CAS";
            }
        };
        StringBuilder sb = new StringBuilder(name);
        for (byte[] a : args) {
            sb.append(' ');
            appendArg(sb, a);
        }
        if (command instanceof KvCommand.Set s && s.condition() != KvCommand.Condition.NONE) {
            sb.append(' ').append(s.condition().name());
        }
        return sb.toString();
    }

    private static void appendArg(StringBuilder sb, byte[] a) {
        boolean plain = a.length > 0;
        for (byte b : a) {
            int c = b & 0xFF;
            if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\\' || c == '\'') {
                plain = false;
                break;
            }
        }
        if (plain) {
            for (byte b : a) {
                sb.append((char) b);
            }
            return;
        }
        sb.append(Bytes.show(a));
    }
}
