package dev.ballot.bench.peers.microraft;

import io.microraft.MembershipChangeMode;
import io.microraft.RaftEndpoint;
import io.microraft.model.RaftModelFactory;
import io.microraft.model.groupop.UpdateRaftGroupMembersOp;
import io.microraft.model.log.LogEntry;
import io.microraft.model.log.RaftGroupMembersView;
import io.microraft.model.log.SnapshotChunk;
import io.microraft.model.message.AppendEntriesFailureResponse;
import io.microraft.model.message.AppendEntriesRequest;
import io.microraft.model.message.AppendEntriesSuccessResponse;
import io.microraft.model.message.InstallSnapshotRequest;
import io.microraft.model.message.InstallSnapshotResponse;
import io.microraft.model.message.PreVoteRequest;
import io.microraft.model.message.PreVoteResponse;
import io.microraft.model.message.RaftMessage;
import io.microraft.model.message.TriggerLeaderElectionRequest;
import io.microraft.model.message.VoteRequest;
import io.microraft.model.message.VoteResponse;
import io.microraft.model.persistence.RaftEndpointPersistentState;
import io.microraft.model.persistence.RaftTermPersistentState;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Our binary encoding of MicroRaft's model objects (MicroRaft leaves encoding to the user): the
 * ten Raft messages for {@link MicroTcpTransport}, and log entries, members and snapshot chunks
 * for the SQLite store ({@link MicroStoreSerializer}). Group ids are strings, endpoints
 * {@link MicroEndpoint}s, operations byte arrays, {@link NewTermOp} or membership changes.
 */
final class MicroCodec {

    private static final byte APPEND_REQUEST = 1;
    private static final byte APPEND_SUCCESS = 2;
    private static final byte APPEND_FAILURE = 3;
    private static final byte INSTALL_SNAPSHOT_REQUEST = 4;
    private static final byte INSTALL_SNAPSHOT_RESPONSE = 5;
    private static final byte PRE_VOTE_REQUEST = 6;
    private static final byte PRE_VOTE_RESPONSE = 7;
    private static final byte TRIGGER_ELECTION = 8;
    private static final byte VOTE_REQUEST = 9;
    private static final byte VOTE_RESPONSE = 10;

    private static final byte OP_BYTES = 0;
    private static final byte OP_NEW_TERM = 1;
    private static final byte OP_MEMBERS = 2;

    private final RaftModelFactory factory;

    MicroCodec(RaftModelFactory factory) {
        this.factory = factory;
    }

    // ------------------------------------------------------------------ messages

    void writeMessage(DataOutput out, RaftMessage m) throws IOException {
        switch (m) {
            case AppendEntriesRequest r -> {
                header(out, APPEND_REQUEST, m);
                out.writeInt(r.getPreviousLogTerm());
                out.writeLong(r.getPreviousLogIndex());
                out.writeLong(r.getCommitIndex());
                out.writeInt(r.getLogEntries().size());
                for (LogEntry e : r.getLogEntries()) writeLogEntry(out, e);
                out.writeLong(r.getQuerySequenceNumber());
                out.writeLong(r.getFlowControlSequenceNumber());
            }
            case AppendEntriesSuccessResponse r -> {
                header(out, APPEND_SUCCESS, m);
                out.writeLong(r.getLastLogIndex());
                out.writeLong(r.getQuerySequenceNumber());
                out.writeLong(r.getFlowControlSequenceNumber());
            }
            case AppendEntriesFailureResponse r -> {
                header(out, APPEND_FAILURE, m);
                out.writeLong(r.getExpectedNextIndex());
                out.writeLong(r.getQuerySequenceNumber());
                out.writeLong(r.getFlowControlSequenceNumber());
            }
            case InstallSnapshotRequest r -> {
                header(out, INSTALL_SNAPSHOT_REQUEST, m);
                out.writeBoolean(r.isSenderLeader());
                out.writeInt(r.getSnapshotTerm());
                out.writeLong(r.getSnapshotIndex());
                out.writeInt(r.getTotalSnapshotChunkCount());
                SnapshotChunk chunk = r.getSnapshotChunk();
                out.writeBoolean(chunk != null);
                if (chunk != null) writeSnapshotChunk(out, chunk);
                writeEndpoints(out, r.getSnapshottedMembers());
                writeMembersView(out, r.getGroupMembersView());
                out.writeLong(r.getQuerySequenceNumber());
                out.writeLong(r.getFlowControlSequenceNumber());
            }
            case InstallSnapshotResponse r -> {
                header(out, INSTALL_SNAPSHOT_RESPONSE, m);
                out.writeLong(r.getSnapshotIndex());
                out.writeInt(r.getRequestedSnapshotChunkIndex());
                out.writeLong(r.getQuerySequenceNumber());
                out.writeLong(r.getFlowControlSequenceNumber());
            }
            case PreVoteRequest r -> {
                header(out, PRE_VOTE_REQUEST, m);
                out.writeInt(r.getLastLogTerm());
                out.writeLong(r.getLastLogIndex());
            }
            case PreVoteResponse r -> {
                header(out, PRE_VOTE_RESPONSE, m);
                out.writeBoolean(r.isGranted());
            }
            case TriggerLeaderElectionRequest r -> {
                header(out, TRIGGER_ELECTION, m);
                out.writeInt(r.getLastLogTerm());
                out.writeLong(r.getLastLogIndex());
            }
            case VoteRequest r -> {
                header(out, VOTE_REQUEST, m);
                out.writeInt(r.getLastLogTerm());
                out.writeLong(r.getLastLogIndex());
                out.writeBoolean(r.isSticky());
            }
            case VoteResponse r -> {
                header(out, VOTE_RESPONSE, m);
                out.writeBoolean(r.isGranted());
            }
            default -> throw new IllegalArgumentException("no encoding for " + m.getClass().getName());
        }
    }

    private static void header(DataOutput out, byte type, RaftMessage m) throws IOException {
        out.writeByte(type);
        out.writeUTF((String) m.getGroupId());
        writeEndpoint(out, m.getSender());
        out.writeInt(m.getTerm());
    }

    RaftMessage readMessage(DataInput in) throws IOException {
        byte type = in.readByte();
        String groupId = in.readUTF();
        RaftEndpoint sender = readEndpoint(in);
        int term = in.readInt();
        return switch (type) {
            case APPEND_REQUEST -> {
                var b = factory.createAppendEntriesRequestBuilder().setGroupId(groupId).setSender(sender).setTerm(term)
                        .setPreviousLogTerm(in.readInt()).setPreviousLogIndex(in.readLong())
                        .setCommitIndex(in.readLong());
                int n = in.readInt();
                List<LogEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) entries.add(readLogEntry(in));
                yield b.setLogEntries(entries).setQuerySequenceNumber(in.readLong())
                        .setFlowControlSequenceNumber(in.readLong()).build();
            }
            case APPEND_SUCCESS -> factory.createAppendEntriesSuccessResponseBuilder().setGroupId(groupId)
                    .setSender(sender).setTerm(term).setLastLogIndex(in.readLong())
                    .setQuerySequenceNumber(in.readLong()).setFlowControlSequenceNumber(in.readLong()).build();
            case APPEND_FAILURE -> factory.createAppendEntriesFailureResponseBuilder().setGroupId(groupId)
                    .setSender(sender).setTerm(term).setExpectedNextIndex(in.readLong())
                    .setQuerySequenceNumber(in.readLong()).setFlowControlSequenceNumber(in.readLong()).build();
            case INSTALL_SNAPSHOT_REQUEST -> {
                var b = factory.createInstallSnapshotRequestBuilder().setGroupId(groupId).setSender(sender)
                        .setTerm(term).setSenderLeader(in.readBoolean()).setSnapshotTerm(in.readInt())
                        .setSnapshotIndex(in.readLong()).setTotalSnapshotChunkCount(in.readInt());
                b.setSnapshotChunk(in.readBoolean() ? readSnapshotChunk(in) : null);
                yield b.setSnapshottedMembers(readEndpoints(in)).setGroupMembersView(readMembersView(in))
                        .setQuerySequenceNumber(in.readLong()).setFlowControlSequenceNumber(in.readLong()).build();
            }
            case INSTALL_SNAPSHOT_RESPONSE -> factory.createInstallSnapshotResponseBuilder().setGroupId(groupId)
                    .setSender(sender).setTerm(term).setSnapshotIndex(in.readLong())
                    .setRequestedSnapshotChunkIndex(in.readInt()).setQuerySequenceNumber(in.readLong())
                    .setFlowControlSequenceNumber(in.readLong()).build();
            case PRE_VOTE_REQUEST -> factory.createPreVoteRequestBuilder().setGroupId(groupId).setSender(sender)
                    .setTerm(term).setLastLogTerm(in.readInt()).setLastLogIndex(in.readLong()).build();
            case PRE_VOTE_RESPONSE -> factory.createPreVoteResponseBuilder().setGroupId(groupId).setSender(sender)
                    .setTerm(term).setGranted(in.readBoolean()).build();
            case TRIGGER_ELECTION -> factory.createTriggerLeaderElectionRequestBuilder().setGroupId(groupId)
                    .setSender(sender).setTerm(term).setLastLogTerm(in.readInt()).setLastLogIndex(in.readLong())
                    .build();
            case VOTE_REQUEST -> factory.createVoteRequestBuilder().setGroupId(groupId).setSender(sender)
                    .setTerm(term).setLastLogTerm(in.readInt()).setLastLogIndex(in.readLong())
                    .setSticky(in.readBoolean()).build();
            case VOTE_RESPONSE -> factory.createVoteResponseBuilder().setGroupId(groupId).setSender(sender)
                    .setTerm(term).setGranted(in.readBoolean()).build();
            default -> throw new IOException("unknown MicroRaft message type " + type);
        };
    }

    // ------------------------------------------------------------------ model objects

    void writeLogEntry(DataOutput out, LogEntry e) throws IOException {
        out.writeLong(e.getIndex());
        out.writeInt(e.getTerm());
        writeOperation(out, e.getOperation());
    }

    LogEntry readLogEntry(DataInput in) throws IOException {
        return factory.createLogEntryBuilder().setIndex(in.readLong()).setTerm(in.readInt())
                .setOperation(readOperation(in)).build();
    }

    void writeSnapshotChunk(DataOutput out, SnapshotChunk c) throws IOException {
        out.writeLong(c.getIndex());
        out.writeInt(c.getTerm());
        writeOperation(out, c.getOperation());
        out.writeInt(c.getSnapshotChunkIndex());
        out.writeInt(c.getSnapshotChunkCount());
        writeMembersView(out, c.getGroupMembersView());
    }

    SnapshotChunk readSnapshotChunk(DataInput in) throws IOException {
        return factory.createSnapshotChunkBuilder().setIndex(in.readLong()).setTerm(in.readInt())
                .setOperation(readOperation(in)).setSnapshotChunkIndex(in.readInt())
                .setSnapshotChunkCount(in.readInt()).setGroupMembersView(readMembersView(in)).build();
    }

    void writeMembersView(DataOutput out, RaftGroupMembersView v) throws IOException {
        out.writeLong(v.getLogIndex());
        writeEndpoints(out, v.getMembers());
        writeEndpoints(out, v.getVotingMembers());
    }

    RaftGroupMembersView readMembersView(DataInput in) throws IOException {
        return factory.createRaftGroupMembersViewBuilder().setLogIndex(in.readLong()).setMembers(readEndpoints(in))
                .setVotingMembers(readEndpoints(in)).build();
    }

    void writeEndpointState(DataOutput out, RaftEndpointPersistentState s) throws IOException {
        writeEndpoint(out, s.getLocalEndpoint());
        out.writeBoolean(s.isVoting());
    }

    RaftEndpointPersistentState readEndpointState(DataInput in) throws IOException {
        return factory.createRaftEndpointPersistentStateBuilder().setLocalEndpoint(readEndpoint(in))
                .setVoting(in.readBoolean()).build();
    }

    void writeTermState(DataOutput out, RaftTermPersistentState s) throws IOException {
        out.writeInt(s.getTerm());
        out.writeBoolean(s.getVotedFor() != null);
        if (s.getVotedFor() != null) writeEndpoint(out, s.getVotedFor());
    }

    RaftTermPersistentState readTermState(DataInput in) throws IOException {
        int term = in.readInt();
        RaftEndpoint votedFor = in.readBoolean() ? readEndpoint(in) : null;
        return factory.createRaftTermPersistentStateBuilder().setTerm(term).setVotedFor(votedFor).build();
    }

    private void writeOperation(DataOutput out, Object op) throws IOException {
        switch (op) {
            case byte[] bytes -> {
                out.writeByte(OP_BYTES);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            case NewTermOp n -> out.writeByte(OP_NEW_TERM);
            case UpdateRaftGroupMembersOp u -> {
                out.writeByte(OP_MEMBERS);
                writeEndpoints(out, u.getMembers());
                writeEndpoints(out, u.getVotingMembers());
                writeEndpoint(out, u.getEndpoint());
                out.writeUTF(u.getMode().name());
            }
            default -> throw new IllegalArgumentException("no encoding for the operation " + op.getClass().getName());
        }
    }

    private Object readOperation(DataInput in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case OP_BYTES -> {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                yield bytes;
            }
            case OP_NEW_TERM -> NewTermOp.INSTANCE;
            case OP_MEMBERS -> factory.createUpdateRaftGroupMembersOpBuilder().setMembers(readEndpoints(in))
                    .setVotingMembers(readEndpoints(in)).setEndpoint(readEndpoint(in))
                    .setMode(MembershipChangeMode.valueOf(in.readUTF())).build();
            default -> throw new IOException("unknown operation tag " + tag);
        };
    }

    static void writeEndpoint(DataOutput out, RaftEndpoint e) throws IOException {
        out.writeLong(((MicroEndpoint) e).id());
    }

    static RaftEndpoint readEndpoint(DataInput in) throws IOException {
        return new MicroEndpoint(in.readLong());
    }

    private static void writeEndpoints(DataOutput out, Collection<RaftEndpoint> endpoints) throws IOException {
        out.writeInt(endpoints.size());
        for (RaftEndpoint e : endpoints) writeEndpoint(out, e);
    }

    private static List<RaftEndpoint> readEndpoints(DataInput in) throws IOException {
        int n = in.readInt();
        List<RaftEndpoint> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) list.add(readEndpoint(in));
        return list;
    }

    // ------------------------------------------------------------------ byte arrays

    interface Writer<T> {
        void write(DataOutput out, T value) throws IOException;
    }

    interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    static <T> byte[] toBytes(Writer<T> writer, T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try {
            writer.write(new DataOutputStream(bytes), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static <T> T fromBytes(Reader<T> reader, byte[] bytes) {
        try {
            return reader.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("a corrupt MicroRaft record (" + bytes.length + " bytes)", e);
        }
    }
}
