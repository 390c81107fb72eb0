package dev.ballot.kv.sm;

import dev.ballot.node.StateMachine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated key-value store: a map from byte-string keys to byte-string values,
 * changed only by {@link KvCommand}s applied in log order. Deterministic: the result and the new
 * state depend only on the previous state and the command, so every node that applies the same
 * commands holds the same map (compare with {@link #digest()}).
 *
 * <p>Every command is all-or-nothing: one that fails (a limit, a non-integer, an overflow, or bytes
 * that do not decode) returns an {@link KvResult.Error} and changes nothing. Semantics, limits,
 * error messages and the snapshot format are in docs/kv-commands.md.
 *
 * <p>Not thread-safe: the node calls it from its single apply thread; {@link #query} must be
 * called from that thread too.
 */
public final class KvStateMachine implements StateMachine {

    private static final Logger log = LoggerFactory.getLogger(KvStateMachine.class);

    public static final String ERR_NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String ERR_OVERFLOW = "ERR increment or decrement would overflow";

    /** "BKVS": a KV state machine snapshot. */
    static final int SNAPSHOT_MAGIC = 0x424B5653;
    static final int SNAPSHOT_VERSION = 1;
    private static final byte[] EMPTY = new byte[0];

    private final KvLimits limits;
    /*
     * Hash maps, not a sorted one: with 100,000 keys a TreeMap insert walked ~17 nodes (a cache
     * miss each) and took a fifth of a node's CPU under a SET load. Nothing reads the keys in order
     * except a snapshot, which sorts them. KvData adds the O(1) point-in-time view snapshots need.
     */
    private final KvData data = new KvData();

    public KvStateMachine() {
        this(KvLimits.DEFAULTS);
    }

    public KvStateMachine(KvLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public KvLimits limits() {
        return limits;
    }

    /** Number of keys. */
    public int size() {
        return data.size();
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        KvCommand decoded;
        try {
            decoded = KvCodec.decodeCommand(command);
        } catch (KvFormatException e) {
            log.debug("entry {}: malformed command: {}", index, e.getMessage());
            return KvCodec.encode(new KvResult.Error("ERR malformed command: " + e.getMessage()));
        }
        return KvCodec.encode(apply(decoded));
    }

    /** Applies a decoded command: what {@link #apply(long, byte[])} does after decoding. */
    public KvResult apply(KvCommand command) {
        return switch (command) {
            case KvCommand.Get c -> get(c);
            case KvCommand.Set c -> set(c);
            case KvCommand.Del c -> del(c);
            case KvCommand.Exists c -> exists(c);
            case KvCommand.IncrBy c -> incrBy(c);
            case KvCommand.MGet c -> mget(c);
            case KvCommand.MSet c -> mset(c);
            case KvCommand.Append c -> append(c);
            case KvCommand.Cas c -> cas(c);
        };
    }

    /**
     * Answers a read-only command (GET, MGET, EXISTS) from the current state without going through
     * the log; the caller makes it linearizable (read index / lease) before calling.
     *
     * @throws IllegalArgumentException if the command is not read-only
     */
    public KvResult query(KvCommand readOnly) {
        return switch (readOnly) {
            case KvCommand.Get c -> get(c);
            case KvCommand.MGet c -> mget(c);
            case KvCommand.Exists c -> exists(c);
            default -> throw new IllegalArgumentException("not a read-only command: " + readOnly);
        };
    }

    // ---------------------------------------------------------------- commands

    private KvResult get(KvCommand.Get c) {
        byte[] key = c.key();
        KvResult err = checkKey(key);
        if (err != null) {
            return err;
        }
        byte[] value = data.get(new ByteKey(key));
        return value == null ? KvResult.NIL : new KvResult.Bulk(value);
    }

    private KvResult set(KvCommand.Set c) {
        byte[] key = c.key();
        byte[] value = c.value();
        KvResult err = firstError(checkKey(key), checkValue(value.length));
        if (err != null) {
            return err;
        }
        ByteKey k = new ByteKey(key);
        if (c.condition() != KvCommand.Condition.NONE) {
            boolean exists = data.containsKey(k);
            if ((c.condition() == KvCommand.Condition.NX && exists) || (c.condition() == KvCommand.Condition.XX && !exists)) {
                return KvResult.NIL;
            }
        }
        data.put(k, value);
        return KvResult.OK;
    }

    private KvResult del(KvCommand.Del c) {
        List<byte[]> keys = c.keys();
        KvResult err = checkKeys(keys);
        if (err != null) {
            return err;
        }
        long removed = 0;
        for (byte[] key : keys) {
            if (data.remove(new ByteKey(key)) != null) {
                removed++;
            }
        }
        return new KvResult.Integer(removed);
    }

    private KvResult exists(KvCommand.Exists c) {
        List<byte[]> keys = c.keys();
        KvResult err = checkKeys(keys);
        if (err != null) {
            return err;
        }
        long found = 0;
        for (byte[] key : keys) {
            if (data.containsKey(new ByteKey(key))) {
                found++; // like Redis, a key named twice counts twice
            }
        }
        return new KvResult.Integer(found);
    }

    private KvResult incrBy(KvCommand.IncrBy c) {
        byte[] key = c.key();
        KvResult err = checkKey(key);
        if (err != null) {
            return err;
        }
        ByteKey k = new ByteKey(key);
        byte[] current = data.get(k);
        long value = 0;
        if (current != null) {
            Long parsed = parseRedisInteger(current);
            if (parsed == null) {
                return new KvResult.Error(ERR_NOT_INTEGER);
            }
            value = parsed;
        }
        long result;
        try {
            result = Math.addExact(value, c.delta());
        } catch (ArithmeticException e) {
            return new KvResult.Error(ERR_OVERFLOW);
        }
        byte[] stored = Long.toString(result).getBytes(StandardCharsets.US_ASCII);
        err = checkValue(stored.length);
        if (err != null) {
            return err;
        }
        data.put(k, stored);
        return new KvResult.Integer(result);
    }

    private KvResult mget(KvCommand.MGet c) {
        List<byte[]> keys = c.keys();
        KvResult err = checkKeys(keys);
        if (err != null) {
            return err;
        }
        List<KvResult.BulkOrNil> items = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            byte[] value = data.get(new ByteKey(key));
            items.add(value == null ? KvResult.NIL : new KvResult.Bulk(value));
        }
        return new KvResult.Multi(items);
    }

    private KvResult mset(KvCommand.MSet c) {
        List<KvCommand.Pair> pairs = c.pairs();
        List<byte[]> keys = new ArrayList<>(pairs.size());
        List<byte[]> values = new ArrayList<>(pairs.size());
        for (KvCommand.Pair p : pairs) { // check everything before changing anything
            byte[] key = p.key();
            byte[] value = p.value();
            KvResult err = firstError(checkKey(key), checkValue(value.length));
            if (err != null) {
                return err;
            }
            keys.add(key);
            values.add(value);
        }
        for (int i = 0; i < keys.size(); i++) {
            data.put(new ByteKey(keys.get(i)), values.get(i)); // a repeated key: the last value wins
        }
        return KvResult.OK;
    }

    private KvResult append(KvCommand.Append c) {
        byte[] key = c.key();
        byte[] suffix = c.value();
        KvResult err = checkKey(key);
        if (err != null) {
            return err;
        }
        ByteKey k = new ByteKey(key);
        byte[] current = Objects.requireNonNullElse(data.get(k), EMPTY);
        long newLength = (long) current.length + suffix.length;
        err = checkValue(newLength);
        if (err != null) {
            return err;
        }
        byte[] joined = Arrays.copyOf(current, (int) newLength);
        System.arraycopy(suffix, 0, joined, current.length, suffix.length);
        data.put(k, joined);
        return new KvResult.Integer(newLength);
    }

    private KvResult cas(KvCommand.Cas c) {
        byte[] key = c.key();
        byte[] newValue = c.newValue();
        KvResult err = firstError(checkKey(key), checkValue(newValue.length));
        if (err != null) {
            return err;
        }
        ByteKey k = new ByteKey(key);
        byte[] current = data.get(k);
        if (current == null || !Arrays.equals(current, c.expected())) {
            return new KvResult.Integer(0);
        }
        data.put(k, newValue);
        return new KvResult.Integer(1);
    }

    // ---------------------------------------------------------------- limits and parsing

    private KvResult checkKey(byte[] key) {
        return key.length > limits.maxKeyBytes()
                ? new KvResult.Error("ERR key too large (" + key.length + " bytes > limit " + limits.maxKeyBytes() + ")")
                : null;
    }

    private KvResult checkValue(long length) {
        return length > limits.maxValueBytes()
                ? new KvResult.Error("ERR value too large (" + length + " bytes > limit " + limits.maxValueBytes() + ")")
                : null;
    }

    private KvResult checkKeys(List<byte[]> keys) {
        for (byte[] key : keys) {
            KvResult err = checkKey(key);
            if (err != null) {
                return err;
            }
        }
        return null;
    }

    private static KvResult firstError(KvResult a, KvResult b) {
        return a != null ? a : b;
    }

    /**
     * Parses a value the way Redis's {@code string2ll} does: optional '-', decimal digits, no '+',
     * no spaces, no leading zeros, no "-0", within the range of a long. Null if it is not one.
     */
    public static Long parseRedisInteger(byte[] s) {
        int n = s.length;
        if (n == 0 || n > 20) {
            return null;
        }
        if (n == 1 && s[0] == '0') {
            return 0L;
        }
        int i = s[0] == '-' ? 1 : 0;
        if (i == n || s[i] < '1' || s[i] > '9') {
            return null;
        }
        long v = 0; // accumulate negatively: |Long.MIN_VALUE| does not fit in a long
        for (; i < n; i++) {
            if (s[i] < '0' || s[i] > '9') {
                return null;
            }
            int d = s[i] - '0';
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d;
        }
        if (s[0] == '-') {
            return v;
        }
        return v == Long.MIN_VALUE ? null : -v;
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * Writes all pairs in key order: {@code u32 magic "BKVS", u16 version, u64 count}, then per pair
     * {@code u32 key length, key, u32 value length, value}, then {@code u32 CRC32C} of everything
     * before it. The same state always gives the same bytes. Does not close {@code out}.
     */
    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        List<ByteKey> keys = new ArrayList<>(data.size());
        data.forEachNow((k, v) -> keys.add(k));
        keys.sort(null);
        write(out, keys, data::get);
    }

    /**
     * A point-in-time snapshot of the whole state, taken in O(1) (call it on the apply thread, as
     * {@link #apply}): write it out on any thread, while commands go on being applied, then close
     * it. One at a time; {@link #snapshotReady()} says whether one may be taken now.
     */
    public KvSnapshot snapshot() {
        return new KvSnapshot(data.view());
    }

    /** Whether {@link #snapshot()} may be called now (no snapshot open, the last one's changes folded back). */
    public boolean snapshotReady() {
        return data.viewReady();
    }

    @Override
    public Snapshot takeSnapshot() {
        return snapshot();
    }

    @Override
    public boolean canTakeSnapshot() {
        return snapshotReady();
    }

    /** A state taken by {@link #snapshot()}, in the {@link #writeSnapshot} format. */
    public static final class KvSnapshot implements StateMachine.Snapshot {

        private final KvData.View view;

        private KvSnapshot(KvData.View view) {
            this.view = view;
        }

        /** Number of keys. */
        public int size() {
            return view.size();
        }

        /** Writes the bytes {@link #writeSnapshot} would have written when this was taken; any thread. */
        @Override
        public void writeTo(OutputStream out) throws IOException {
            List<ByteKey> keys = new ArrayList<>(view.size());
            view.forEach((k, v) -> keys.add(k));
            keys.sort(null);
            write(out, keys, view::get);
        }

        @Override
        public void close() {
            view.close();
        }
    }

    /** The snapshot format: {@code keys} ascending, each with its value. */
    private static void write(OutputStream out, List<ByteKey> keys, java.util.function.Function<ByteKey, byte[]> values)
            throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
        CRC32C crc = new CRC32C();
        DataOutputStream d = new DataOutputStream(new CheckedOutputStream(buffered, crc));
        d.writeInt(SNAPSHOT_MAGIC);
        d.writeShort(SNAPSHOT_VERSION);
        d.writeLong(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i).bytes();
            byte[] value = values.apply(keys.get(i));
            d.writeInt(key.length);
            d.write(key);
            d.writeInt(value.length);
            d.write(value);
        }
        d.flush();
        new DataOutputStream(buffered).writeInt((int) crc.getValue());
        buffered.flush();
    }

    /**
     * Replaces the state with a snapshot from {@link #writeSnapshot}, reading {@code in} to its end.
     * Verifies magic, version, lengths, strictly ascending keys, the checksum and that nothing
     * follows; on any failure throws {@link IOException} and keeps the current state. Sizes are not
     * checked against this node's {@link KvLimits}: a snapshot is state other nodes already hold.
     */
    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        CRC32C crc = new CRC32C();
        DataInputStream d = new DataInputStream(new CheckedInputStream(buffered, crc));
        HashMap<ByteKey, byte[]> restored = new HashMap<>();
        try {
            int magic = d.readInt();
            if (magic != SNAPSHOT_MAGIC) {
                throw invalid("not a KV snapshot (magic 0x" + Integer.toHexString(magic) + ", expected 0x"
                        + Integer.toHexString(SNAPSHOT_MAGIC) + ")");
            }
            int version = d.readUnsignedShort();
            if (version != SNAPSHOT_VERSION) {
                throw invalid("unsupported version " + version + " (this build reads version " + SNAPSHOT_VERSION + ")");
            }
            long count = d.readLong();
            if (count < 0 || count > Integer.MAX_VALUE) {
                throw invalid("impossible pair count " + count);
            }
            ByteKey previous = null;
            for (long i = 0; i < count; i++) {
                ByteKey key = new ByteKey(readField(d, "key", i));
                byte[] value = readField(d, "value", i);
                if (previous != null && previous.compareTo(key) >= 0) {
                    throw invalid("keys out of order at pair " + i);
                }
                restored.put(key, value);
                previous = key;
            }
            int expectedCrc = (int) crc.getValue();
            int storedCrc = new DataInputStream(buffered).readInt();
            if (storedCrc != expectedCrc) {
                throw invalid("checksum mismatch (stored 0x" + Integer.toHexString(storedCrc) + ", computed 0x"
                        + Integer.toHexString(expectedCrc) + ")");
            }
            if (buffered.read() != -1) {
                throw invalid("trailing bytes after the checksum");
            }
        } catch (EOFException e) {
            throw invalid("truncated");
        }
        data.replaceAll(restored);
        log.debug("restored a KV snapshot of {} keys", restored.size());
    }

    private static byte[] readField(DataInputStream d, String what, long pair) throws IOException {
        int length = d.readInt();
        if (length < 0) {
            throw invalid("negative " + what + " length " + length + " at pair " + pair);
        }
        byte[] bytes = d.readNBytes(length); // grows as data arrives: a bogus length cannot allocate it all up front
        if (bytes.length != length) {
            throw invalid("truncated in the " + what + " of pair " + pair);
        }
        return bytes;
    }

    private static IOException invalid(String why) {
        return new IOException("invalid KV snapshot: " + why);
    }

    /**
     * A SHA-256 of the {@linkplain #writeSnapshot snapshot} bytes, in hex: equal on two replicas
     * exactly when they hold the same pairs.
     */
    public String digest() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
            writeSnapshot(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen writing to a null stream", e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
