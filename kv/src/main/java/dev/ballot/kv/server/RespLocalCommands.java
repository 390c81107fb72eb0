package dev.ballot.kv.server;

import dev.ballot.kv.resp.RespReply;
import dev.ballot.kv.resp.RespRequest;
import dev.ballot.kv.sm.KvStateMachine;
import dev.ballot.node.NodeStatus;
import dev.ballot.raft.Role;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The commands one connection answers by itself, without the state machine: PING, ECHO, SELECT,
 * COMMAND, QUIT, HELLO, CLIENT and INFO; and the reply to anything unknown. One instance per
 * connection (it remembers the CLIENT SETNAME name).
 */
final class RespLocalCommands {

    /** A reply, and whether the connection closes after it. */
    record Reply(RespReply reply, boolean close) {}

    private static final List<String> LOCAL_NAMES =
            List.of("PING", "ECHO", "SELECT", "COMMAND", "QUIT", "HELLO", "CLIENT", "INFO");

    private final KvService service;
    private final long connectionId;
    private final IntSupplier tcpPort;
    private final LongSupplier uptimeSeconds;
    private byte[] clientName;

    RespLocalCommands(KvService service, long connectionId, IntSupplier tcpPort, LongSupplier uptimeSeconds) {
        this.service = service;
        this.connectionId = connectionId;
        this.tcpPort = tcpPort;
        this.uptimeSeconds = uptimeSeconds;
    }

    Reply handle(RespRequest r) {
        String name = r.command();
        int n = r.argCount();
        if (name.equals("QUIT")) {
            return new Reply(RespReply.OK, true);
        }
        return new Reply(switch (name) {
            case "PING" -> n == 1 ? RespReply.PONG : n == 2 ? RespReply.bulk(r.arg(1)) : arity(name);
            case "ECHO" -> n == 2 ? RespReply.bulk(r.arg(1)) : arity(name);
            case "SELECT" -> n == 2 ? select(r.arg(1)) : arity(name);
            case "COMMAND" -> command(r);
            case "HELLO" -> hello(r);
            case "CLIENT" -> n >= 2 ? client(r) : arity(name);
            case "INFO" -> info(r);
            default -> RespReply.unknownCommand(r);
        }, false);
    }

    private static RespReply select(byte[] db) {
        Long index = KvStateMachine.parseRedisInteger(db);
        if (index == null) {
            return new RespReply.ErrorReply(KvStateMachine.ERR_NOT_INTEGER);
        }
        return index == 0 ? RespReply.OK : RespReply.err("DB index is out of range");
    }

    /** Enough of COMMAND for clients that probe it (redis-cli, Lettuce): no command metadata. */
    private static RespReply command(RespRequest r) {
        if (r.argCount() == 1) {
            return RespReply.EMPTY_ARRAY;
        }
        String sub = upper(r.arg(1));
        return switch (sub) {
            case "COUNT" -> r.argCount() == 2 ? RespReply.integer(allNames().size()) : arity("command|count");
            case "DOCS" -> RespReply.EMPTY_ARRAY;
            case "INFO" -> {
                List<RespReply> none = new ArrayList<>();
                for (int i = 2; i < r.argCount(); i++) {
                    none.add(RespReply.NIL_ARRAY);
                }
                yield RespReply.array(none);
            }
            case "LIST" -> {
                List<RespReply> names = new ArrayList<>();
                for (String s : allNames()) {
                    names.add(RespReply.bulk(s.toLowerCase(Locale.ROOT)));
                }
                yield RespReply.array(names);
            }
            default -> unknownSubcommand(r.arg(1), "COMMAND");
        };
    }

    /** HELLO [2 [SETNAME name]]: RESP2 only; HELLO 3 gets NOPROTO so clients fall back to RESP2. */
    private RespReply hello(RespRequest r) {
        if (r.argCount() >= 2) {
            Long version = KvStateMachine.parseRedisInteger(r.arg(1));
            if (version == null) {
                return RespReply.err("Protocol version is not an integer or out of range");
            }
            if (version != 2) {
                return new RespReply.ErrorReply("NOPROTO sorry, this protocol version is not supported");
            }
            for (int i = 2; i < r.argCount(); i++) {
                if (upper(r.arg(i)).equals("SETNAME") && i + 1 < r.argCount()) {
                    clientName = r.arg(++i);
                } else {
                    return RespReply.err("Syntax error in HELLO option '"
                            + new String(r.arg(i), StandardCharsets.UTF_8) + "'");
                }
            }
        }
        Role role = service.status().role();
        return RespReply.array(
                RespReply.bulk("server"), RespReply.bulk("ballot"),
                RespReply.bulk("version"), RespReply.bulk(InfoReply.BALLOT_VERSION),
                RespReply.bulk("proto"), RespReply.integer(2),
                RespReply.bulk("id"), RespReply.integer(connectionId),
                RespReply.bulk("mode"), RespReply.bulk("standalone"),
                RespReply.bulk("role"), RespReply.bulk(role == Role.LEADER ? "master" : "replica"),
                RespReply.bulk("modules"), RespReply.EMPTY_ARRAY);
    }

    /** CLIENT SETNAME / GETNAME / SETINFO / ID: what client libraries send on connect. */
    private RespReply client(RespRequest r) {
        String sub = upper(r.arg(1));
        int n = r.argCount();
        return switch (sub) {
            case "SETNAME" -> {
                if (n != 3) {
                    yield arity("client|setname");
                }
                clientName = r.arg(2).length == 0 ? null : r.arg(2);
                yield RespReply.OK;
            }
            case "GETNAME" -> n == 2 ? (clientName == null ? RespReply.NIL : RespReply.bulk(clientName))
                    : arity("client|getname");
            // Library name and version: accepted and not kept.
            case "SETINFO" -> n == 4 ? RespReply.OK : arity("client|setinfo");
            case "ID" -> n == 2 ? RespReply.integer(connectionId) : arity("client|id");
            default -> unknownSubcommand(r.arg(1), "CLIENT");
        };
    }

    private RespReply info(RespRequest r) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < r.argCount(); i++) {
            sections.add(new String(r.arg(i), StandardCharsets.UTF_8));
        }
        NodeStatus status = service.status();
        return RespReply.bulk(InfoReply.render(sections, status, tcpPort.getAsInt(), uptimeSeconds.getAsLong()));
    }

    private static TreeSet<String> allNames() {
        TreeSet<String> names = new TreeSet<>(RespCommands.NAMES);
        names.addAll(LOCAL_NAMES);
        return names;
    }

    private static RespReply.ErrorReply arity(String name) {
        return RespCommands.arityError(name);
    }

    private static RespReply.ErrorReply unknownSubcommand(byte[] sub, String command) {
        return RespReply.err("unknown subcommand '" + new String(sub, StandardCharsets.UTF_8)
                + "'. Try " + command + " HELP.");
    }

    private static String upper(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
    }
}
