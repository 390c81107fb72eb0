package dev.ballot.kv.sm;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A command of the key-value state machine. Keys and values are arbitrary bytes (binary-safe,
 * empty allowed). Records copy the arrays they are given and hand out copies, so a command is
 * immutable; {@code equals}/{@code hashCode} compare contents and {@code toString} prints bytes
 * the way redis-cli does ({@code "a\x00b"}).
 *
 * <p>Encoded for the log by {@link KvCodec}; semantics in docs/kv-commands.md.
 */
public sealed interface KvCommand {

    /** Whether the command only reads (can be served by {@link KvStateMachine#query}). */
    default boolean readOnly() {
        return false;
    }

    /** {@code INCR key}: {@code INCRBY key 1}. */
    static IncrBy incr(byte[] key) {
        return new IncrBy(key, 1);
    }

    /** {@code DECR key}: {@code INCRBY key -1}. */
    static IncrBy decr(byte[] key) {
        return new IncrBy(key, -1);
    }

    /** The condition of a SET. */
    enum Condition {
        /** Always set. */
        NONE,
        /** Only set if the key does not exist. */
        NX,
        /** Only set if the key already exists. */
        XX
    }

    /** A key and its value, for MSET. */
    record Pair(byte[] key, byte[] value) {
        public Pair {
            key = Bytes.copy(key, "key");
            value = Bytes.copy(value, "value");
        }

        @Override public byte[] key() { return key.clone(); }
        @Override public byte[] value() { return value.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && Arrays.equals(key, p.key) && Arrays.equals(value, p.value);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return Bytes.show(key) + "=" + Bytes.show(value);
        }
    }

    /** {@code GET key}. */
    record Get(byte[] key) implements KvCommand {
        public Get {
            key = Bytes.copy(key, "key");
        }

        @Override public byte[] key() { return key.clone(); }
        @Override public boolean readOnly() { return true; }

        @Override
        public boolean equals(Object o) {
            return o instanceof Get g && Arrays.equals(key, g.key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "GET " + Bytes.show(key);
        }
    }

    /** {@code SET key value [NX|XX]}. */
    record Set(byte[] key, byte[] value, Condition condition) implements KvCommand {
        public Set {
            key = Bytes.copy(key, "key");
            value = Bytes.copy(value, "value");
            Objects.requireNonNull(condition, "condition");
        }

        public Set(byte[] key, byte[] value) {
            this(key, value, Condition.NONE);
        }

        @Override public byte[] key() { return key.clone(); }
        @Override public byte[] value() { return value.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Set s && Arrays.equals(key, s.key) && Arrays.equals(value, s.value)
                    && condition == s.condition;
        }

        @Override
        public int hashCode() {
            return (31 * Arrays.hashCode(key) + Arrays.hashCode(value)) * 31 + condition.hashCode();
        }

        @Override
        public String toString() {
            return "SET " + Bytes.show(key) + " " + Bytes.show(value)
                    + (condition == Condition.NONE ? "" : " " + condition);
        }
    }

    /** {@code DEL key [key ...]}. */
    record Del(List<byte[]> keys) implements KvCommand {
        public Del {
            keys = Bytes.copyAll(keys, "keys");
        }

        public Del(byte[]... keys) {
            this(Arrays.asList(keys));
        }

        @Override public List<byte[]> keys() { return Bytes.deepCopy(keys); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Del d && Bytes.equalsAll(keys, d.keys);
        }

        @Override
        public int hashCode() {
            return Bytes.hashAll(keys);
        }

        @Override
        public String toString() {
            return "DEL " + Bytes.showAll(keys);
        }
    }

    /** {@code EXISTS key [key ...]}. */
    record Exists(List<byte[]> keys) implements KvCommand {
        public Exists {
            keys = Bytes.copyAll(keys, "keys");
        }

        public Exists(byte[]... keys) {
            this(Arrays.asList(keys));
        }

        @Override public List<byte[]> keys() { return Bytes.deepCopy(keys); }
        @Override public boolean readOnly() { return true; }

        @Override
        public boolean equals(Object o) {
            return o instanceof Exists e && Bytes.equalsAll(keys, e.keys);
        }

        @Override
        public int hashCode() {
            return Bytes.hashAll(keys);
        }

        @Override
        public String toString() {
            return "EXISTS " + Bytes.showAll(keys);
        }
    }

    /** {@code INCRBY key delta}; INCR, DECR and DECRBY are this with 1, -1 and -delta. */
    record IncrBy(byte[] key, long delta) implements KvCommand {
        public IncrBy {
            key = Bytes.copy(key, "key");
        }

        @Override public byte[] key() { return key.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof IncrBy i && Arrays.equals(key, i.key) && delta == i.delta;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(key) + Long.hashCode(delta);
        }

        @Override
        public String toString() {
            return "INCRBY " + Bytes.show(key) + " " + delta;
        }
    }

    /** {@code MGET key [key ...]}. */
    record MGet(List<byte[]> keys) implements KvCommand {
        public MGet {
            keys = Bytes.copyAll(keys, "keys");
        }

        public MGet(byte[]... keys) {
            this(Arrays.asList(keys));
        }

        @Override public List<byte[]> keys() { return Bytes.deepCopy(keys); }
        @Override public boolean readOnly() { return true; }

        @Override
        public boolean equals(Object o) {
            return o instanceof MGet m && Bytes.equalsAll(keys, m.keys);
        }

        @Override
        public int hashCode() {
            return Bytes.hashAll(keys);
        }

        @Override
        public String toString() {
            return "MGET " + Bytes.showAll(keys);
        }
    }

    /** {@code MSET key value [key value ...]}: all or nothing. */
    record MSet(List<Pair> pairs) implements KvCommand {
        public MSet {
            pairs = List.copyOf(Objects.requireNonNull(pairs, "pairs"));
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException("pairs must not be empty");
            }
        }

        public MSet(Pair... pairs) {
            this(Arrays.asList(pairs));
        }

        @Override
        public String toString() {
            return "MSET " + pairs;
        }
    }

    /** {@code APPEND key value}. */
    record Append(byte[] key, byte[] value) implements KvCommand {
        public Append {
            key = Bytes.copy(key, "key");
            value = Bytes.copy(value, "value");
        }

        @Override public byte[] key() { return key.clone(); }
        @Override public byte[] value() { return value.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Append a && Arrays.equals(key, a.key) && Arrays.equals(value, a.value);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "APPEND " + Bytes.show(key) + " " + Bytes.show(value);
        }
    }

    /** {@code CAS key expected new}: sets {@code new} if the current value equals {@code expected}; replies 1 or 0. */
    record Cas(byte[] key, byte[] expected, byte[] newValue) implements KvCommand {
        public Cas {
            key = Bytes.copy(key, "key");
            expected = Bytes.copy(expected, "expected");
            newValue = Bytes.copy(newValue, "newValue");
        }

        @Override public byte[] key() { return key.clone(); }
        @Override public byte[] expected() { return expected.clone(); }
        @Override public byte[] newValue() { return newValue.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cas c && Arrays.equals(key, c.key) && Arrays.equals(expected, c.expected)
                    && Arrays.equals(newValue, c.newValue);
        }

        @Override
        public int hashCode() {
            return (31 * Arrays.hashCode(key) + Arrays.hashCode(expected)) * 31 + Arrays.hashCode(newValue);
        }

        @Override
        public String toString() {
            return "CAS " + Bytes.show(key) + " " + Bytes.show(expected) + " " + Bytes.show(newValue);
        }
    }
}
