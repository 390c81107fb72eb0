package dev.ballot.testkit.sim.runtime;

import dev.ballot.testkit.lin.Model;

import java.util.SplittableRandom;

/**
 * What the simulated clients do, and the model their history is checked against:
 * {@link #REGISTER} (GET / SET / CAS on a few keys, the register model) or {@link #APPEND}
 * (APPEND of unique tokens and GET, the key-value model; the tokens also show each connection's
 * writes in the order they took effect).
 */
public enum Workload {
    REGISTER(Model.register()),
    APPEND(Model.keyValue());

    /** One operation: the history's {@code f}, key, value and expected value, and the RESP command. */
    record Op(String f, String key, String value, String expected, String[] command) {}

    private final Model model;

    Workload(Model model) {
        this.model = model;
    }

    Model model() {
        return model;
    }

    /**
     * The next operation of client {@code client}, whose {@code n}-th it is; {@code lastSeen}
     * is a value the client last read or wrote at that key (for CAS), or null.
     *
     * @param connection names the client's current connection (APPEND tokens carry it: only the
     *                   commands of one connection are promised to take effect in order)
     */
    Op next(SplittableRandom random, int keys, int client, String connection, long n,
            java.util.function.Function<String, String> lastSeen) {
        String key = (this == REGISTER ? "r" : "a") + random.nextInt(keys);
        int dice = random.nextInt(10);
        if (this == APPEND) {
            if (dice < 6) {
                String token = connection + "." + n + ",";
                return new Op("append", key, token, null, new String[] {"APPEND", key, token});
            }
            return new Op("get", key, null, null, new String[] {"GET", key});
        }
        String value = "c" + client + "." + n;
        if (dice < 4) return new Op("read", key, null, null, new String[] {"GET", key});
        if (dice < 8 || lastSeen.apply(key) == null) {
            return new Op("write", key, value, null, new String[] {"SET", key, value});
        }
        String expected = lastSeen.apply(key);
        return new Op("cas", key, value, expected, new String[] {"CAS", key, expected, value});
    }

    /** A final linearizable read of {@code key}, recorded like any other read. */
    Op finalRead(String key) {
        return new Op(this == REGISTER ? "read" : "get", key, null, null, new String[] {"GET", key});
    }
}
