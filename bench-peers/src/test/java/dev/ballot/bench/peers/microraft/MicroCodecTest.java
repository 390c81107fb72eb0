package dev.ballot.bench.peers.microraft;

import io.microraft.RaftEndpoint;
import io.microraft.model.impl.DefaultRaftModelFactory;
import io.microraft.model.log.LogEntry;
import io.microraft.model.log.RaftGroupMembersView;
import io.microraft.model.log.SnapshotChunk;
import io.microraft.model.message.AppendEntriesRequest;
import io.microraft.model.message.InstallSnapshotRequest;
import io.microraft.model.message.RaftMessage;
import io.microraft.model.message.VoteRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MicroCodecTest {

    private final DefaultRaftModelFactory factory = new DefaultRaftModelFactory();
    private final MicroCodec codec = new MicroCodec(factory);
    private final RaftEndpoint n1 = new MicroEndpoint(1);
    private final RaftEndpoint n2 = new MicroEndpoint(2);

    private RaftMessage roundTrip(RaftMessage m) {
        return MicroCodec.fromBytes(codec::readMessage, MicroCodec.toBytes(codec::writeMessage, m));
    }

    @Test
    void appendEntriesKeepsEveryFieldAndEntry() {
        LogEntry write = factory.createLogEntryBuilder().setIndex(7).setTerm(3).setOperation(new byte[] {1, 2, 3}).build();
        LogEntry noop = factory.createLogEntryBuilder().setIndex(8).setTerm(3).setOperation(NewTermOp.INSTANCE).build();
        AppendEntriesRequest m = factory.createAppendEntriesRequestBuilder().setGroupId("g").setSender(n1).setTerm(3)
                .setPreviousLogTerm(2).setPreviousLogIndex(6).setCommitIndex(5).setLogEntries(List.of(write, noop))
                .setQuerySequenceNumber(11).setFlowControlSequenceNumber(12).build();

        AppendEntriesRequest back = (AppendEntriesRequest) roundTrip(m);

        assertThat(back.getGroupId()).isEqualTo("g");
        assertThat(back.getSender()).isEqualTo(n1);
        assertThat(back.getTerm()).isEqualTo(3);
        assertThat(back.getPreviousLogTerm()).isEqualTo(2);
        assertThat(back.getPreviousLogIndex()).isEqualTo(6);
        assertThat(back.getCommitIndex()).isEqualTo(5);
        assertThat(back.getQuerySequenceNumber()).isEqualTo(11);
        assertThat(back.getFlowControlSequenceNumber()).isEqualTo(12);
        assertThat(back.getLogEntries()).hasSize(2);
        assertThat((byte[]) back.getLogEntries().get(0).getOperation()).containsExactly(1, 2, 3);
        assertThat(back.getLogEntries().get(1).getOperation()).isSameAs(NewTermOp.INSTANCE);
        assertThat(back.getLogEntries().get(1).getIndex()).isEqualTo(8);
    }

    @Test
    void voteRequestKeepsItsFlags() {
        VoteRequest m = factory.createVoteRequestBuilder().setGroupId("g").setSender(n2).setTerm(9).setLastLogTerm(8)
                .setLastLogIndex(100).setSticky(true).build();

        VoteRequest back = (VoteRequest) roundTrip(m);

        assertThat(back.getSender()).isEqualTo(n2);
        assertThat(back.getLastLogIndex()).isEqualTo(100);
        assertThat(back.isSticky()).isTrue();
    }

    @Test
    void installSnapshotCarriesItsChunkAndMembers() {
        RaftGroupMembersView members = factory.createRaftGroupMembersViewBuilder().setLogIndex(0)
                .setMembers(List.of(n1, n2)).setVotingMembers(List.of(n1, n2)).build();
        SnapshotChunk chunk = factory.createSnapshotChunkBuilder().setIndex(50).setTerm(2)
                .setOperation(new byte[] {0, 0, 0, 0, 0, 0, 0, 42}).setSnapshotChunkIndex(0).setSnapshotChunkCount(1)
                .setGroupMembersView(members).build();
        InstallSnapshotRequest m = factory.createInstallSnapshotRequestBuilder().setGroupId("g").setSender(n1)
                .setTerm(2).setSenderLeader(true).setSnapshotTerm(2).setSnapshotIndex(50).setTotalSnapshotChunkCount(1)
                .setSnapshotChunk(chunk).setSnapshottedMembers(List.of(n1, n2)).setGroupMembersView(members)
                .setQuerySequenceNumber(1).setFlowControlSequenceNumber(2).build();

        InstallSnapshotRequest back = (InstallSnapshotRequest) roundTrip(m);

        assertThat(back.isSenderLeader()).isTrue();
        assertThat(back.getSnapshotChunk().getIndex()).isEqualTo(50);
        assertThat((byte[]) back.getSnapshotChunk().getOperation()).endsWith(42);
        assertThat(back.getGroupMembersView().getMembers()).containsExactly(n1, n2);
        assertThat(back.getSnapshottedMembers()).containsExactly(n1, n2);
    }
}
