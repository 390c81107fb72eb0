package dev.ballot.testkit.sim.runtime;

import dev.ballot.kv.sm.KvCodec;
import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvResult;

import dev.ballot.raft.EntryType;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The APPEND workload's checks on the final state (every replica holds the same, so one is read):
 * every acknowledged token is there, no token is there twice, and the tokens of each connection
 * ({@code c<client>-<connection>.<n>}) took effect in the order it sent them, which is the order
 * Redis promises a connection's commands take effect in: per key in the values, and across keys
 * in the committed log, whose APPEND commands carry the tokens; and each acknowledged APPEND's
 * reply (the value's new length) is where its token ends in the value.
 */
final class AppendChecks {

    private AppendChecks() {}

    static void check(RuntimeNode node, int keys, ClientHistory history,
                      java.util.SortedMap<Long, CommittedEntry> committed) {
        checkLogOrder(committed);
        for (int k = 0; k < keys; k++) {
            String key = "a" + k;
            String value = read(node, key);
            Set<String> seen = new HashSet<>();
            Map<String, Long> lastOfClient = new HashMap<>();
            for (String token : value.split(",")) {
                if (token.isEmpty()) continue;
                if (!seen.add(token)) {
                    throw new RuntimeViolation("applied twice", "token " + token + " is twice in " + key + " = " + value);
                }
                int dot = token.indexOf('.');
                String connection = token.substring(0, dot);
                long n = Long.parseLong(token.substring(dot + 1));
                Long before = lastOfClient.put(connection, n);
                if (before != null && before > n) {
                    throw new RuntimeViolation("connection order", "connection " + connection + ": APPEND #" + n
                            + " took effect after its #" + before + " in " + key + " = " + value);
                }
            }
            for (ClientHistory.AckedAppend a : history.ackedAppends().getOrDefault(key, List.of())) {
                String token = a.token();
                if (!seen.contains(token.substring(0, token.length() - 1))) {
                    throw new RuntimeViolation("acknowledged write lost", "APPEND " + key + " " + token
                            + " was acknowledged but is not in " + key + " = " + value);
                }
                // The value only grows, so its first `length` bytes are the value right after this APPEND.
                if (a.length() > value.length() || !value.substring(0, (int) a.length()).endsWith(token)) {
                    throw new RuntimeViolation("append reply", "APPEND " + key + " " + token + " was answered "
                            + a.length() + " but the value did not end with the token at that length: " + key
                            + " = " + value);
                }
            }
        }
    }

    /**
     * Every connection's APPENDs appear in the committed log in the order the connection sent them.
     * The log is the one the run's invariants saw committed, entry by entry, after every event: a
     * node's own log may have been compacted since.
     */
    private static void checkLogOrder(java.util.SortedMap<Long, CommittedEntry> committed) {
        Map<String, Long> last = new HashMap<>();
        for (Map.Entry<Long, CommittedEntry> ce : committed.entrySet()) {
            CommittedEntry e = ce.getValue();
            long index = ce.getKey();
            if (e.type() != EntryType.COMMAND) continue;
            if (!(KvCodec.decodeCommand(e.data()) instanceof KvCommand.Append a)) continue;
            String token = new String(a.value(), StandardCharsets.UTF_8);
            int dot = token.indexOf('.');
            String connection = token.substring(0, dot);
            long n = Long.parseLong(token.substring(dot + 1, token.length() - 1));
            Long before = last.put(connection, n);
            if (before != null && before > n) {
                throw new RuntimeViolation("connection order", "connection " + connection + ": APPEND #" + n
                        + " (log index " + index + ", key " + new String(a.key(), StandardCharsets.UTF_8)
                        + ") took effect after its #" + before);
            }
        }
    }

    private static String read(RuntimeNode node, String key) {
        KvResult[] r = new KvResult[1];
        node.loop().inspect(() -> r[0] = node.stateMachine().query(new KvCommand.Get(key.getBytes(StandardCharsets.UTF_8))));
        return r[0] instanceof KvResult.Bulk b ? new String(b.value(), StandardCharsets.UTF_8) : "";
    }
}
