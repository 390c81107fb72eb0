package dev.ballot.kv.sm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary encoding of {@link KvCommand}s (what goes into the Raft log) and of {@link KvResult}s
 * (what {@link KvStateMachine#apply} returns). Layouts, byte by byte, in docs/kv-commands.md:
 * a {@code u8} version, a {@code u8} opcode or type, then fields, all big-endian; byte strings
 * are a {@code u32} length and the bytes, lists a {@code u32} count and the elements.
 *
 * <p>Decoding is strict: anything but exactly one well-formed encoding (unknown version, opcode or
 * condition, a length or count beyond the remaining input, an empty list, trailing bytes, invalid
 * UTF-8 in an error message) throws {@link KvFormatException} and nothing else. The decoder never
 * allocates more than the remaining input can justify. Stateless and thread-safe.
 */
public final class KvCodec {

    /** The only version this build writes and reads. */
    public static final int VERSION = 1;

    static final int OP_GET = 0x01;
    static final int OP_SET = 0x02;
    static final int OP_DEL = 0x03;
    static final int OP_EXISTS = 0x04;
    static final int OP_INCRBY = 0x05;
    static final int OP_MGET = 0x06;
    static final int OP_MSET = 0x07;
    static final int OP_APPEND = 0x08;
    static final int OP_CAS = 0x09;

    static final int T_OK = 0x01;
    static final int T_NIL = 0x02;
    static final int T_INTEGER = 0x03;
    static final int T_BULK = 0x04;
    static final int T_MULTI = 0x05;
    static final int T_ERROR = 0x06;

    private KvCodec() {}

    // ---------------------------------------------------------------- commands

    public static byte[] encode(KvCommand command) {
        Writer w = new Writer();
        w.u8(VERSION);
        switch (command) {
            case KvCommand.Get c -> w.u8(OP_GET).bytes(c.key());
            case KvCommand.Set c -> w.u8(OP_SET).bytes(c.key()).bytes(c.value()).u8(c.condition().ordinal());
            case KvCommand.Del c -> w.u8(OP_DEL).list(c.keys());
            case KvCommand.Exists c -> w.u8(OP_EXISTS).list(c.keys());
            case KvCommand.IncrBy c -> w.u8(OP_INCRBY).bytes(c.key()).i64(c.delta());
            case KvCommand.MGet c -> w.u8(OP_MGET).list(c.keys());
            case KvCommand.MSet c -> {
                w.u8(OP_MSET).u32(c.pairs().size());
                for (KvCommand.Pair p : c.pairs()) {
                    w.bytes(p.key()).bytes(p.value());
                }
            }
            case KvCommand.Append c -> w.u8(OP_APPEND).bytes(c.key()).bytes(c.value());
            case KvCommand.Cas c -> w.u8(OP_CAS).bytes(c.key()).bytes(c.expected()).bytes(c.newValue());
        }
        return w.toByteArray();
    }

    public static KvCommand decodeCommand(byte[] bytes) {
        Reader r = new Reader(bytes, "command");
        r.version();
        int op = r.u8("opcode");
        KvCommand command = switch (op) {
            case OP_GET -> new KvCommand.Get(r.bytes("key"));
            case OP_SET -> {
                byte[] key = r.bytes("key");
                byte[] value = r.bytes("value");
                int cond = r.u8("SET condition");
                KvCommand.Condition[] all = KvCommand.Condition.values();
                if (cond >= all.length) {
                    throw new KvFormatException("unknown SET condition " + cond + " (0 NONE, 1 NX, 2 XX)");
                }
                yield new KvCommand.Set(key, value, all[cond]);
            }
            case OP_DEL -> new KvCommand.Del(r.list("DEL"));
            case OP_EXISTS -> new KvCommand.Exists(r.list("EXISTS"));
            case OP_INCRBY -> new KvCommand.IncrBy(r.bytes("key"), r.i64("delta"));
            case OP_MGET -> new KvCommand.MGet(r.list("MGET"));
            case OP_MSET -> {
                int n = r.count("MSET", 8, false);
                List<KvCommand.Pair> pairs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    pairs.add(new KvCommand.Pair(r.bytes("key"), r.bytes("value")));
                }
                yield new KvCommand.MSet(pairs);
            }
            case OP_APPEND -> new KvCommand.Append(r.bytes("key"), r.bytes("value"));
            case OP_CAS -> new KvCommand.Cas(r.bytes("key"), r.bytes("expected"), r.bytes("new value"));
            default -> throw new KvFormatException("unknown command opcode 0x" + hex(op));
        };
        r.end();
        return command;
    }

    // ---------------------------------------------------------------- results

    public static byte[] encode(KvResult result) {
        Writer w = new Writer();
        w.u8(VERSION);
        switch (result) {
            case KvResult.Ok ok -> w.u8(T_OK);
            case KvResult.Nil nil -> w.u8(T_NIL);
            case KvResult.Integer i -> w.u8(T_INTEGER).i64(i.value());
            case KvResult.Bulk b -> w.u8(T_BULK).bytes(b.value());
            case KvResult.Multi m -> {
                w.u8(T_MULTI).u32(m.items().size());
                for (KvResult.BulkOrNil item : m.items()) {
                    switch (item) {
                        case KvResult.Bulk b -> w.u8(T_BULK).bytes(b.value());
                        case KvResult.Nil nil -> w.u8(T_NIL);
                    }
                }
            }
            case KvResult.Error e -> w.u8(T_ERROR).bytes(e.message().getBytes(StandardCharsets.UTF_8));
        }
        return w.toByteArray();
    }

    public static KvResult decodeResult(byte[] bytes) {
        Reader r = new Reader(bytes, "result");
        r.version();
        int type = r.u8("result type");
        KvResult result = switch (type) {
            case T_OK -> KvResult.OK;
            case T_NIL -> KvResult.NIL;
            case T_INTEGER -> new KvResult.Integer(r.i64("integer"));
            case T_BULK -> new KvResult.Bulk(r.bytes("bulk"));
            case T_MULTI -> {
                int n = r.count("MULTI", 1, true);
                List<KvResult.BulkOrNil> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int t = r.u8("MULTI element type");
                    switch (t) {
                        case T_BULK -> items.add(new KvResult.Bulk(r.bytes("bulk")));
                        case T_NIL -> items.add(KvResult.NIL);
                        default -> throw new KvFormatException(
                                "MULTI element type 0x" + hex(t) + " is neither BULK (0x04) nor NIL (0x02)");
                    }
                }
                yield new KvResult.Multi(items);
            }
            case T_ERROR -> new KvResult.Error(utf8(r.bytes("error message")));
            default -> throw new KvFormatException("unknown result type 0x" + hex(type));
        };
        r.end();
        return result;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new KvFormatException("error message is not valid UTF-8");
        }
    }

    private static String hex(int b) {
        return String.format("%02x", b);
    }

    // ---------------------------------------------------------------- plumbing

    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer u32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Writer i64(long v) {
            u32((int) (v >>> 32));
            return u32((int) v);
        }

        Writer bytes(byte[] b) {
            u32(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        Writer list(List<byte[]> items) {
            u32(items.size());
            for (byte[] b : items) {
                bytes(b);
            }
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private final String kind;
        private int pos;

        Reader(byte[] buf, String kind) {
            if (buf == null) {
                throw new KvFormatException("no " + kind + " bytes (null)");
            }
            this.buf = buf;
            this.kind = kind;
        }

        int remaining() {
            return buf.length - pos;
        }

        void need(int n, String what) {
            if (remaining() < n) {
                throw new KvFormatException("truncated " + kind + ": " + what + " needs " + n
                        + " bytes at offset " + pos + ", " + remaining() + " remain");
            }
        }

        void version() {
            if (buf.length == 0) {
                throw new KvFormatException("empty " + kind);
            }
            int v = u8("version");
            if (v != VERSION) {
                throw new KvFormatException("unsupported " + kind + " encoding version " + v
                        + " (this build reads version " + VERSION + ")");
            }
        }

        int u8(String what) {
            need(1, what);
            return buf[pos++] & 0xFF;
        }

        long u32(String what) {
            need(4, what);
            long v = ((buf[pos] & 0xFFL) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                    | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        long i64(String what) {
            need(8, what);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos + i] & 0xFF);
            }
            pos += 8;
            return v;
        }

        byte[] bytes(String what) {
            long len = u32(what + " length");
            if (len > remaining()) {
                throw new KvFormatException(what + " length " + len + " at offset " + (pos - 4)
                        + " exceeds the " + remaining() + " remaining bytes of the " + kind);
            }
            byte[] b = new byte[(int) len];
            System.arraycopy(buf, pos, b, 0, b.length);
            pos += b.length;
            return b;
        }

        /** A list count (at least 1 unless {@code allowEmpty}), and no more than the remaining bytes could hold at {@code minElementBytes} each. */
        int count(String what, int minElementBytes, boolean allowEmpty) {
            long n = u32(what + " count");
            if (n == 0 && !allowEmpty) {
                throw new KvFormatException(what + " needs at least one element");
            }
            if (n > remaining() / minElementBytes) {
                throw new KvFormatException(what + " count " + n + " exceeds what the " + remaining()
                        + " remaining bytes can hold");
            }
            return (int) n;
        }

        List<byte[]> list(String what) {
            int n = count(what, 4, false);
            List<byte[]> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                items.add(bytes("key"));
            }
            return items;
        }

        void end() {
            if (remaining() != 0) {
                throw new KvFormatException(remaining() + " trailing bytes after the " + kind + " at offset " + pos);
            }
        }
    }
}
