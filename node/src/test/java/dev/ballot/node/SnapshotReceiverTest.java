package dev.ballot.node;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.SnapshotFrame;
import dev.ballot.node.transport.SnapshotFrame.Ack;
import dev.ballot.node.transport.SnapshotFrame.Chunk;
import dev.ballot.node.transport.SnapshotFrame.Status;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.Config;
import dev.ballot.raft.HardState;
import dev.ballot.raft.MemoryLogStorage;
import dev.ballot.raft.Message;
import dev.ballot.raft.RaftNode;
import dev.ballot.storage.RealDisk;
import dev.ballot.storage.SnapshotMeta;
import dev.ballot.storage.SnapshotStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The follower's rules for a snapshot transfer (docs/snapshots.md), one by one: chunks written in
 * order only; duplicates, gaps and stale terms not written; a new transfer replaces an old one; an
 * unknown one is answered UNKNOWN; a file that fails its checksum is discarded and REJECTED; only
 * a whole, verified file reaches the engine; a silent transfer is abandoned.
 */
class SnapshotReceiverTest {

    private static final long LEADER = 1;
    private static final long TERM = 5;
    private static final int CHUNK = 100;

    @TempDir
    Path dir;

    private final List<Ack> acks = new ArrayList<>();
    private final List<Message> stepped = new ArrayList<>();
    private final long[] now = {0};
    private SnapshotStore store;
    private SnapshotReceiver receiver;
    private byte[] file;
    private SnapshotMeta meta;

    @BeforeEach
    void setUp() throws IOException {
        // The leader's snapshot file, byte for byte as it would send it.
        SnapshotStore leaderStore = new SnapshotStore(new RealDisk(), dir.resolve("leader"), 2);
        meta = new SnapshotMeta(1000, 4, Set.of(1L, 2L, 3L));
        byte[] data = new byte[450];
        new SplittableRandom(7).nextBytes(data);
        leaderStore.save(meta, out -> out.write(data));
        try (Stream<Path> files = Files.list(dir.resolve("leader"))) {
            file = Files.readAllBytes(files.filter(p -> p.toString().endsWith(".snap")).findFirst().orElseThrow());
        }
        store = new SnapshotStore(new RealDisk(), dir.resolve("follower"), 2);
        RaftNode node = new RaftNode(Config.of(2, Set.of(1L, 2L, 3L)), new MemoryLogStorage(),
                new HardState(TERM, LEADER, 0), new SplittableRandom(1));
        receiver = new SnapshotReceiver(2, node, store, transport(), loop(), new NodeHost.Background() {
            @Override public void execute(Runnable task) { task.run(); }
            @Override public void close() {}
        }, 1_000, stepped::add);
    }

    private Chunk chunk(long transferId, long offset) {
        return chunk(TERM, transferId, offset, file);
    }

    private Chunk chunk(long term, long transferId, long offset, byte[] bytes) {
        int end = (int) Math.min(bytes.length, offset + CHUNK);
        return new Chunk(term, transferId, meta.lastIndex(), meta.lastTerm(), offset, bytes.length,
                Arrays.copyOfRange(bytes, (int) offset, end), end == bytes.length);
    }

    private void sendAll(long transferId, byte[] bytes) {
        for (long off = 0; off < bytes.length; off += CHUNK) receiver.onFrame(LEADER, chunk(TERM, transferId, off, bytes));
    }

    private Ack lastAck() {
        return acks.getLast();
    }

    private long partialFiles() throws IOException {
        if (!Files.exists(dir.resolve("follower"))) return 0;
        try (Stream<Path> files = Files.list(dir.resolve("follower"))) {
            return files.filter(p -> p.toString().endsWith(".recv")).count();
        }
    }

    @Test
    void aWholeFileInOrderIsVerifiedStoredAndOnlyThenHandedToTheEngine() throws IOException {
        for (long off = 0; off < file.length; off += CHUNK) {
            assertThat(stepped).as("nothing reaches the engine before the last chunk").isEmpty();
            receiver.onFrame(LEADER, chunk(9, off));
        }
        assertThat(stepped).containsExactly(new Message.InstallSnapshot(LEADER, 2, TERM, 1000, 4));
        assertThat(lastAck()).isEqualTo(new Ack(TERM, 9, file.length, Status.INSTALLED));
        assertThat(receiver.receivedFor(1000, 4)).isEqualTo(meta);
        assertThat(store.latest()).contains(meta);
        try (InputStream in = store.openData(meta)) {
            assertThat(in.readAllBytes()).hasSize(450);
        }
        assertThat(partialFiles()).isZero();
        // A late duplicate of the last chunk hears the transfer is done, and changes nothing.
        receiver.onFrame(LEADER, chunk(9, 400));
        assertThat(lastAck().status()).isEqualTo(Status.INSTALLED);
        assertThat(stepped).hasSize(1);
    }

    @Test
    void duplicateAndOutOfOrderChunksAreNotWrittenAndTheAnswerSaysWhereToGoOn() {
        receiver.onFrame(LEADER, chunk(9, 0));
        receiver.onFrame(LEADER, chunk(9, 0)); // duplicate
        assertThat(lastAck()).isEqualTo(new Ack(TERM, 9, CHUNK, Status.RECEIVING));
        receiver.onFrame(LEADER, chunk(9, 2 * CHUNK)); // overtook the one at 100
        assertThat(lastAck()).isEqualTo(new Ack(TERM, 9, CHUNK, Status.RECEIVING));
        for (long off = CHUNK; off < file.length; off += CHUNK) receiver.onFrame(LEADER, chunk(9, off));
        assertThat(lastAck().status()).isEqualTo(Status.INSTALLED);
        assertThat(receiver.receivedFor(1000, 4)).isEqualTo(meta);
    }

    @Test
    void aChunkOfAnOlderTermIsIgnored() throws IOException {
        receiver.onFrame(LEADER, chunk(TERM - 1, 9, 0, file));
        assertThat(acks).isEmpty();
        assertThat(partialFiles()).isZero();
    }

    @Test
    void aTransferNotKnownHereIsAnsweredUnknownUnlessItStartsAtOffsetZero() {
        receiver.onFrame(LEADER, chunk(9, CHUNK));
        assertThat(lastAck()).isEqualTo(new Ack(TERM, 9, 0, Status.UNKNOWN));
        sendAll(9, file);
        assertThat(lastAck().status()).isEqualTo(Status.INSTALLED);
    }

    @Test
    void aNewTransferAbandonsTheOneUnderWay() throws IOException {
        receiver.onFrame(LEADER, chunk(9, 0));
        receiver.onFrame(LEADER, chunk(9, CHUNK));
        receiver.onFrame(LEADER, chunk(10, 0)); // a new leader, or the leader started again
        assertThat(partialFiles()).isEqualTo(1);
        receiver.onFrame(LEADER, chunk(9, 2 * CHUNK)); // the old one is gone
        assertThat(lastAck()).isEqualTo(new Ack(TERM, 9, 0, Status.UNKNOWN));
        sendAll(10, file);
        assertThat(lastAck()).isEqualTo(new Ack(TERM, 10, file.length, Status.INSTALLED));
        assertThat(stepped).hasSize(1);
    }

    @Test
    void aFileThatFailsItsChecksumIsDiscardedRejectedAndNeverReachesTheEngine() throws IOException {
        byte[] damaged = file.clone();
        damaged[200] ^= 1;
        sendAll(9, damaged);
        assertThat(lastAck()).isEqualTo(new Ack(TERM, 9, 0, Status.REJECTED));
        assertThat(stepped).isEmpty();
        assertThat(store.latest()).isEmpty();
        assertThat(partialFiles()).isZero();
        // Sent again, whole: it goes through.
        sendAll(11, file);
        assertThat(stepped).hasSize(1);
    }

    @Test
    void aSilentTransferIsAbandonedAndItsFileDeleted() throws IOException {
        receiver.onFrame(LEADER, chunk(9, 0));
        now[0] = 999;
        receiver.onTick();
        assertThat(partialFiles()).isEqualTo(1);
        now[0] = 1_001;
        receiver.onTick();
        assertThat(partialFiles()).isZero();
        receiver.onFrame(LEADER, chunk(9, CHUNK));
        assertThat(lastAck().status()).isEqualTo(Status.UNKNOWN);
    }

    private Transport transport() {
        return new Transport() {
            @Override public void start(Inbound inbound, Loop loop) {}
            @Override public void send(Message message) {}
            @Override public boolean send(long to, Forward frame) { return false; }
            @Override public boolean send(long to, SnapshotFrame frame) {
                assertThat(to).isEqualTo(LEADER);
                acks.add((Ack) frame);
                return true;
            }
            @Override public long droppedCount() { return 0; }
            @Override public void close() {}
        };
    }

    /** Runs everything at once, on the test's thread, at the test's time. */
    private Loop loop() {
        return new Loop() {
            @Override public boolean inLoop() { return true; }
            @Override public boolean execute(Runnable task) { task.run(); return true; }
            @Override public Repeating every(long periodNanos, Runnable task) { return () -> {}; }
            @Override public void atEndOfTurn(Runnable hook) {}
            @Override public void endTurnSoon() {}
            @Override public long nanoTime() { return now[0]; }
        };
    }

}
