package dev.ballot.kv.sm;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The reply to a {@link KvCommand}, shaped like Redis's reply types so the RESP front end maps it
 * one to one: a status {@code +OK}, a nil bulk, an integer, a bulk string, an array of bulk-or-nil,
 * or an error whose message is what Redis would say. Encoded by {@link KvCodec}.
 */
public sealed interface KvResult {

    Ok OK = new Ok();
    Nil NIL = new Nil();

    /** The elements a {@link Multi} may hold. */
    sealed interface BulkOrNil extends KvResult permits Bulk, Nil {}

    /** {@code +OK}. */
    record Ok() implements KvResult {
        @Override
        public String toString() {
            return "OK";
        }
    }

    /** The nil bulk reply: no such key, or a SET whose NX/XX condition failed. */
    record Nil() implements BulkOrNil {
        @Override
        public String toString() {
            return "(nil)";
        }
    }

    /** An integer reply. */
    record Integer(long value) implements KvResult {
        @Override
        public String toString() {
            return "(integer) " + value;
        }
    }

    /** A bulk string reply (binary-safe); copies in and out. */
    record Bulk(byte[] value) implements BulkOrNil {
        public Bulk {
            value = Bytes.copy(value, "value");
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return Bytes.show(value);
        }
    }

    /** An array reply of bulk strings and nils (MGET). */
    record Multi(List<BulkOrNil> items) implements KvResult {
        public Multi {
            items = List.copyOf(Objects.requireNonNull(items, "items"));
        }
    }

    /** An error reply; {@code message} is the full Redis error line, e.g. {@code "ERR value is not an integer or out of range"}. */
    record Error(String message) implements KvResult {
        public Error {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return "(error) " + message;
        }
    }
}
