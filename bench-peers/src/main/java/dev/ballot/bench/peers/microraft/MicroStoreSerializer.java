package dev.ballot.bench.peers.microraft;

import io.microraft.RaftEndpoint;
import io.microraft.model.log.LogEntry;
import io.microraft.model.log.RaftGroupMembersView;
import io.microraft.model.log.SnapshotChunk;
import io.microraft.model.persistence.RaftEndpointPersistentState;
import io.microraft.model.persistence.RaftTermPersistentState;
import io.microraft.persistence.RaftStoreSerializer;

/** What microraft-store-sqlite needs to turn model objects into column values: {@link MicroCodec}. */
final class MicroStoreSerializer implements RaftStoreSerializer {

    private final MicroCodec codec;

    MicroStoreSerializer(MicroCodec codec) {
        this.codec = codec;
    }

    private static <T> Serializer<T> of(MicroCodec.Writer<T> writer, MicroCodec.Reader<T> reader) {
        return new Serializer<>() {
            @Override
            public byte[] serialize(T element) {
                return MicroCodec.toBytes(writer, element);
            }

            @Override
            public T deserialize(byte[] element) {
                return MicroCodec.fromBytes(reader, element);
            }
        };
    }

    @Override
    public Serializer<RaftGroupMembersView> raftGroupMembersViewSerializer() {
        return of(codec::writeMembersView, codec::readMembersView);
    }

    @Override
    public Serializer<RaftEndpoint> raftEndpointSerializer() {
        return of(MicroCodec::writeEndpoint, MicroCodec::readEndpoint);
    }

    @Override
    public Serializer<LogEntry> logEntrySerializer() {
        return of(codec::writeLogEntry, codec::readLogEntry);
    }

    @Override
    public Serializer<SnapshotChunk> snapshotChunkSerializer() {
        return of(codec::writeSnapshotChunk, codec::readSnapshotChunk);
    }

    @Override
    public Serializer<RaftEndpointPersistentState> raftEndpointPersistentStateSerializer() {
        return of(codec::writeEndpointState, codec::readEndpointState);
    }

    @Override
    public Serializer<RaftTermPersistentState> raftTermPersistentState() {
        return of(codec::writeTermState, codec::readTermState);
    }
}
