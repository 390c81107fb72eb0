package dev.ballot.node.wire;

import dev.ballot.raft.Entry;
import dev.ballot.raft.EntryType;
import dev.ballot.raft.Message;
import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.AppendEntriesResponse;
import dev.ballot.raft.Message.Heartbeat;
import dev.ballot.raft.Message.HeartbeatResponse;
import dev.ballot.raft.Message.InstallSnapshot;
import dev.ballot.raft.Message.RequestVote;
import dev.ballot.raft.Message.RequestVoteResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes every Raft {@link Message} to a frame body and decodes it back (format version
 * {@value #FORMAT_VERSION}, see {@code docs/wire-format.md}).
 *
 * <p>Body: u8 format version, u8 message type, then the message's fields big-endian in a fixed
 * order (longs as 8 bytes two's complement, booleans as one byte 0 or 1; AppendEntries' entries
 * as a u32 count, then per entry u8 type, u64 term, u64 index, u32 length, the data).
 *
 * <p>Decoding is strict and never trusts a length before checking it against the bytes that are
 * actually there and the max frame size, so malformed input fails with a
 * {@link WireFormatException} (naming the field and its offset) and never with another exception
 * or a large allocation.
 *
 * <p>Immutable and thread-safe.
 */
public final class MessageCodec {

    /** The format version this build writes, and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    /** Default limit on a frame body: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

    /** Message type codes (the second byte of a body). Never reuse or renumber one. */
    static final int TYPE_REQUEST_VOTE = 1;
    static final int TYPE_REQUEST_VOTE_RESPONSE = 2;
    static final int TYPE_APPEND_ENTRIES = 3;
    static final int TYPE_APPEND_ENTRIES_RESPONSE = 4;
    static final int TYPE_HEARTBEAT = 5;
    static final int TYPE_HEARTBEAT_RESPONSE = 6;

    /** Entry type codes. Never reuse or renumber one. */
    static final int ENTRY_COMMAND = 1;
    static final int ENTRY_NOOP = 2;

    /** Version and type bytes. */
    static final int HEADER_BYTES = 2;
    /** from, to, term: the fields every message starts with. */
    private static final int COMMON_BYTES = 3 * Long.BYTES;
    /** u8 type, u64 term, u64 index, u32 length. */
    static final int ENTRY_HEADER_BYTES = 1 + Long.BYTES + Long.BYTES + Integer.BYTES;

    private final int maxFrameSize;

    public MessageCodec() {
        this(DEFAULT_MAX_FRAME_SIZE);
    }

    /** @param maxFrameSize the largest frame body this codec writes or reads, in bytes */
    public MessageCodec(int maxFrameSize) {
        if (maxFrameSize < HEADER_BYTES + COMMON_BYTES) {
            throw new IllegalArgumentException("maxFrameSize must be >= " + (HEADER_BYTES + COMMON_BYTES)
                    + ", was " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    // ------------------------------------------------------------------ encoding

    /** The exact number of bytes {@link #encode(Message, ByteBuf)} writes for {@code m}. */
    public long encodedSize(Message m) {
        long size = HEADER_BYTES + COMMON_BYTES;
        return switch (m) {
            case RequestVote rv -> size + 2 * Long.BYTES + 1;
            case RequestVoteResponse rvr -> size + 2;
            case AppendEntries ae -> {
                size += 3 * Long.BYTES + Integer.BYTES;
                for (Entry e : ae.entries()) size += ENTRY_HEADER_BYTES + e.data().length;
                yield size;
            }
            case AppendEntriesResponse aer -> size + 1 + 4 * Long.BYTES;
            case Heartbeat hb -> size + 2 * Long.BYTES;
            case HeartbeatResponse hbr -> size + Long.BYTES;
            case InstallSnapshot is -> throw notOnTheWire(is);
        };
    }

    /**
     * Writes the frame body for {@code m} (no length prefix) to {@code out}.
     *
     * @throws IllegalArgumentException if the body would be larger than the max frame size
     *         (nothing is written then)
     */
    public void encode(Message m, ByteBuf out) {
        long size = encodedSize(m);
        if (size > maxFrameSize) {
            throw new IllegalArgumentException(m.getClass().getSimpleName() + " encodes to " + size
                    + " bytes, more than the max frame size of " + maxFrameSize + " bytes");
        }
        out.writeByte(FORMAT_VERSION);
        switch (m) {
            case RequestVote rv -> {
                common(out, TYPE_REQUEST_VOTE, m);
                out.writeLong(rv.lastLogIndex());
                out.writeLong(rv.lastLogTerm());
                out.writeByte(rv.preVote() ? 1 : 0);
            }
            case RequestVoteResponse rvr -> {
                common(out, TYPE_REQUEST_VOTE_RESPONSE, m);
                out.writeByte(rvr.voteGranted() ? 1 : 0);
                out.writeByte(rvr.preVote() ? 1 : 0);
            }
            case AppendEntries ae -> {
                common(out, TYPE_APPEND_ENTRIES, m);
                out.writeLong(ae.prevLogIndex());
                out.writeLong(ae.prevLogTerm());
                out.writeLong(ae.leaderCommit());
                out.writeInt(ae.entries().size());
                for (Entry e : ae.entries()) {
                    out.writeByte(switch (e.type()) {
                        case COMMAND -> ENTRY_COMMAND;
                        case NOOP -> ENTRY_NOOP;
                    });
                    out.writeLong(e.term());
                    out.writeLong(e.index());
                    out.writeInt(e.data().length);
                    out.writeBytes(e.data());
                }
            }
            case AppendEntriesResponse aer -> {
                common(out, TYPE_APPEND_ENTRIES_RESPONSE, m);
                out.writeByte(aer.success() ? 1 : 0);
                out.writeLong(aer.matchIndex());
                out.writeLong(aer.rejectedIndex());
                out.writeLong(aer.conflictTerm());
                out.writeLong(aer.conflictIndex());
            }
            case Heartbeat hb -> {
                common(out, TYPE_HEARTBEAT, m);
                out.writeLong(hb.commit());
                out.writeLong(hb.context());
            }
            case HeartbeatResponse hbr -> {
                common(out, TYPE_HEARTBEAT_RESPONSE, m);
                out.writeLong(hbr.context());
            }
            case InstallSnapshot is -> throw notOnTheWire(is);
        }
    }

    /** InstallSnapshot asks the runtime to stream a snapshot; the stream, not this codec, carries it. */
    private static IllegalArgumentException notOnTheWire(InstallSnapshot is) {
        return new IllegalArgumentException("InstallSnapshot is not a wire message: the runtime streams the snapshot"
                + " itself (" + is + ")");
    }

    /** The frame body for {@code m} (no length prefix) as a new array. */
    public byte[] encode(Message m) {
        ByteBuf buf = Unpooled.buffer((int) Math.min(encodedSize(m), maxFrameSize));
        try {
            encode(m, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** The whole frame for {@code m}: the u32 body length, then the body. */
    public byte[] encodeFrame(Message m) {
        byte[] body = encode(m);
        byte[] frame = new byte[Integer.BYTES + body.length];
        frame[0] = (byte) (body.length >>> 24);
        frame[1] = (byte) (body.length >>> 16);
        frame[2] = (byte) (body.length >>> 8);
        frame[3] = (byte) body.length;
        System.arraycopy(body, 0, frame, Integer.BYTES, body.length);
        return frame;
    }

    private static void common(ByteBuf out, int type, Message m) {
        out.writeByte(type);
        out.writeLong(m.from());
        out.writeLong(m.to());
        out.writeLong(m.term());
    }

    // ------------------------------------------------------------------ decoding

    /** Decodes one frame body (all of {@code body}; trailing bytes are an error). */
    public Message decode(byte[] body) throws WireFormatException {
        return decode(Unpooled.wrappedBuffer(body));
    }

    /**
     * Decodes one frame body: all readable bytes of {@code body} (trailing bytes are an error).
     * Advances the reader index by what was read. Entry data is copied, so {@code body} may be
     * released afterwards.
     */
    public Message decode(ByteBuf body) throws WireFormatException {
        int length = body.readableBytes();
        if (length > maxFrameSize) {
            throw new WireFormatException("frame body of " + length + " bytes exceeds the max frame size of "
                    + maxFrameSize + " bytes");
        }
        FieldReader r = new FieldReader(body);
        int version = r.u8("format version");
        if (version != FORMAT_VERSION) {
            throw new WireFormatException("unsupported wire format version " + version + ": this node speaks version "
                    + FORMAT_VERSION + ", so the peer runs " + (version > FORMAT_VERSION ? "a newer" : "an older")
                    + " Ballot with an incompatible format");
        }
        int typeOffset = r.offset();
        int type = r.u8("message type");
        Message m = switch (type) {
            case TYPE_REQUEST_VOTE -> new RequestVote(r.i64("from"), r.i64("to"), r.i64("term"),
                    r.i64("lastLogIndex"), r.i64("lastLogTerm"), r.bool("preVote"));
            case TYPE_REQUEST_VOTE_RESPONSE -> new RequestVoteResponse(r.i64("from"), r.i64("to"), r.i64("term"),
                    r.bool("voteGranted"), r.bool("preVote"));
            case TYPE_APPEND_ENTRIES -> appendEntries(r);
            case TYPE_APPEND_ENTRIES_RESPONSE -> new AppendEntriesResponse(r.i64("from"), r.i64("to"),
                    r.i64("term"), r.bool("success"), r.i64("matchIndex"), r.i64("rejectedIndex"),
                    r.i64("conflictTerm"), r.i64("conflictIndex"));
            case TYPE_HEARTBEAT -> new Heartbeat(r.i64("from"), r.i64("to"), r.i64("term"), r.i64("commit"),
                    r.i64("context"));
            case TYPE_HEARTBEAT_RESPONSE -> new HeartbeatResponse(r.i64("from"), r.i64("to"), r.i64("term"),
                    r.i64("context"));
            default -> throw new WireFormatException("unknown message type " + type + " at offset " + typeOffset
                    + " (known: 1-6)");
        };
        if (r.remaining() > 0) {
            throw new WireFormatException(r.remaining() + (r.remaining() == 1 ? " trailing byte" : " trailing bytes")
                    + " at offset " + r.offset() + " after the end of "
                    + m.getClass().getSimpleName());
        }
        return m;
    }

    private AppendEntries appendEntries(FieldReader r) throws WireFormatException {
        long from = r.i64("from");
        long to = r.i64("to");
        long term = r.i64("term");
        long prevLogIndex = r.i64("prevLogIndex");
        long prevLogTerm = r.i64("prevLogTerm");
        long leaderCommit = r.i64("leaderCommit");
        int countOffset = r.offset();
        long count = r.u32("entry count");
        if (count > maxFrameSize / ENTRY_HEADER_BYTES) {
            throw new WireFormatException("entry count " + count + " at offset " + countOffset
                    + " exceeds what fits in the max frame size of " + maxFrameSize + " bytes");
        }
        if (count * ENTRY_HEADER_BYTES > r.remaining()) {
            throw new WireFormatException("truncated body: entry count " + count + " at offset " + countOffset
                    + " needs at least " + count * ENTRY_HEADER_BYTES + " more bytes, " + r.remaining() + " remain");
        }
        List<Entry> entries = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int entryOffset = r.offset();
            int typeCode = r.u8("entries[" + i + "].type");
            EntryType entryType = switch (typeCode) {
                case ENTRY_COMMAND -> EntryType.COMMAND;
                case ENTRY_NOOP -> EntryType.NOOP;
                default -> throw new WireFormatException("unknown entry type " + typeCode + " in field entries[" + i
                        + "].type at offset " + entryOffset + " (known: 1 COMMAND, 2 NOOP)");
            };
            long entryTerm = r.i64("entries[" + i + "].term");
            long index = r.i64("entries[" + i + "].index");
            byte[] data = r.bytes("entries[" + i + "].data", maxFrameSize);
            try {
                entries.add(new Entry(index, entryTerm, entryType, data));
            } catch (IllegalArgumentException e) {
                throw new WireFormatException("invalid entry in field entries[" + i + "] at offset " + entryOffset + ": "
                        + e.getMessage(), e);
            }
        }
        return new AppendEntries(from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit);
    }
}
