package dev.ballot.testkit.sim.runtime;

import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvResult;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The APPEND workload's checks on the final state (every replica holds the same, so one is read):
 * every acknowledged token is there, no token is there twice, and the tokens of each connection
 * ({@code c<client>-<connection>.<n>}) are in the order it sent them, which is the order Redis
 * promises a connection's commands take effect in.
 */
final class AppendChecks {

    private AppendChecks() {}

    static void check(RuntimeNode node, int keys, ClientHistory history) {
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
            List<String> acked = history.ackedAppends().getOrDefault(key, List.of());
            for (String token : acked) {
                String t = token.substring(0, token.length() - 1);
                if (!seen.contains(t)) {
                    throw new RuntimeViolation("acknowledged write lost", "APPEND " + key + " " + token
                            + " was acknowledged but is not in " + key + " = " + value);
                }
            }
        }
    }

    private static String read(RuntimeNode node, String key) {
        KvResult[] r = new KvResult[1];
        node.loop().turn(() -> r[0] = node.stateMachine().query(new KvCommand.Get(key.getBytes(StandardCharsets.UTF_8))));
        return r[0] instanceof KvResult.Bulk b ? new String(b.value(), StandardCharsets.UTF_8) : "";
    }
}
