package dev.ballot.node;

import dev.ballot.node.transport.SnapshotFrame;
import dev.ballot.node.transport.SnapshotFrame.Ack;
import dev.ballot.node.transport.SnapshotFrame.Chunk;
import dev.ballot.node.transport.SnapshotFrame.Status;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.Message;
import dev.ballot.raft.RaftNode;
import dev.ballot.storage.SnapshotMeta;
import dev.ballot.storage.SnapshotStore;
import dev.ballot.storage.SnapshotTransfer;
import dev.ballot.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * The follower's side of a snapshot transfer (docs/snapshots.md): writes the chunks of one
 * transfer, in order, to a temporary file; once the file is whole, verifies its checksum and puts
 * it beside the node's snapshots (in the background), and only then tells the engine a snapshot
 * is ready ({@link Message.InstallSnapshot}); the engine decides whether to install it. Loop only.
 *
 * <ul>
 *   <li>A chunk of an older term than ours is stale: ignored.</li>
 *   <li>A chunk at offset 0 of a new transfer abandons the one under way (a new leader, or the
 *       leader started again); a chunk of a transfer we do not know, past offset 0, is answered
 *       {@link Status#UNKNOWN} so its sender starts again.</li>
 *   <li>A chunk that does not start where the received bytes end (a duplicate, or one that
 *       overtook a lost one) is not written; the answer says where to go on from.</li>
 *   <li>A file that fails its checksum is deleted and answered {@link Status#REJECTED}: the leader
 *       sends it again. A half-received file is never used, and restart deletes it.</li>
 *   <li>A transfer silent for {@code abandonAfterNanos} is abandoned and its file deleted.</li>
 * </ul>
 */
final class SnapshotReceiver {

    private static final Logger log = LoggerFactory.getLogger(SnapshotReceiver.class);

    private final long id;
    private final RaftNode node;
    private final SnapshotStore store;
    private final Transport transport;
    private final Loop loop;
    private final NodeHost.Background background;
    private final long abandonAfterNanos;
    private final Consumer<Message> stepIntoEngine;

    private SnapshotTransfer.Incoming incoming;
    private long transferId;
    private long lastChunkNanos;
    /** The transfer whose file is being verified, or that was handed to the engine: duplicates hear so. */
    private long finishingId;
    private long finishedId;
    private long finishedSize;
    /** The snapshot received whole most recently: the one the engine may ask to install. */
    private SnapshotMeta received;
    private long installsHandedOver;

    SnapshotReceiver(long id, RaftNode node, SnapshotStore store, Transport transport, Loop loop,
                     NodeHost.Background background, long abandonAfterNanos, Consumer<Message> stepIntoEngine) {
        this.id = id;
        this.node = node;
        this.store = store;
        this.transport = transport;
        this.loop = loop;
        this.background = background;
        this.abandonAfterNanos = abandonAfterNanos;
        this.stepIntoEngine = stepIntoEngine;
    }

    /** The snapshot received whole for {@code index}@{@code term}, which the engine now asks to install; null if none. */
    SnapshotMeta receivedFor(long index, long term) {
        return received != null && received.lastIndex() == index && received.lastTerm() == term ? received : null;
    }

    long installsHandedOver() {
        return installsHandedOver;
    }

    void onFrame(long from, SnapshotFrame frame) {
        if (!(frame instanceof Chunk c)) return; // an Ack is the sender's business
        if (c.term() < node.currentTerm()) return; // stale: from a deposed leader
        lastChunkNanos = loop.nanoTime();
        if (c.transferId() == finishedId && finishedId != 0) {
            ack(from, c, finishedSize, Status.INSTALLED);
            return;
        }
        if (c.transferId() == finishingId && finishingId != 0) {
            ack(from, c, c.totalSize(), Status.RECEIVING); // still verifying: it is all here
            return;
        }
        if (incoming == null || c.transferId() != transferId) {
            if (c.offset() != 0) {
                ack(from, c, 0, Status.UNKNOWN);
                return;
            }
            abandon("a new transfer from node " + from + " began");
            try {
                incoming = store.receive(c.lastIndex(), c.lastTerm());
            } catch (StorageException e) {
                log.error("node {}: cannot store the snapshot node {} sends", id, from, e);
                ack(from, c, 0, Status.REJECTED);
                return;
            }
            transferId = c.transferId();
            log.info("node {}: receiving snapshot up to index {} (term {}, {} bytes) from node {}", id, c.lastIndex(),
                    c.lastTerm(), c.totalSize(), from);
        }
        if (c.offset() != incoming.received()) {
            ack(from, c, incoming.received(), Status.RECEIVING); // duplicate or out of order: not written
            return;
        }
        try {
            incoming.append(c.data());
        } catch (StorageException e) {
            log.error("node {}: cannot write the snapshot node {} sends", id, from, e);
            abandon("the disk refused it");
            ack(from, c, 0, Status.REJECTED);
            return;
        }
        if (!c.last()) {
            ack(from, c, incoming.received(), Status.RECEIVING);
            return;
        }
        finish(from, c);
    }

    /** The whole file is here: verify and store it in the background, then hand it to the engine. */
    private void finish(long from, Chunk c) {
        SnapshotTransfer.Incoming whole = incoming;
        incoming = null;
        finishingId = c.transferId();
        ack(from, c, c.totalSize(), Status.RECEIVING);
        background.execute(() -> {
            SnapshotMeta meta = null;
            StorageException failure = null;
            try {
                meta = whole.finish();
            } catch (StorageException e) {
                failure = e;
            }
            SnapshotMeta m = meta;
            StorageException f = failure;
            loop.execute(() -> finished(from, c, m, f));
        });
    }

    private void finished(long from, Chunk c, SnapshotMeta meta, StorageException failure) {
        if (finishingId == c.transferId()) finishingId = 0;
        if (failure != null) {
            log.warn("node {}: the snapshot from node {} was discarded: {}", id, from, failure.getMessage());
            ack(from, c, 0, Status.REJECTED);
            return;
        }
        received = meta;
        finishedId = c.transferId();
        finishedSize = c.totalSize();
        installsHandedOver++;
        // The engine checks the term and decides: install, only advance commit, or ignore as stale.
        stepIntoEngine.accept(new Message.InstallSnapshot(from, id, c.term(), meta.lastIndex(), meta.lastTerm()));
        ack(from, c, c.totalSize(), Status.INSTALLED);
    }

    /** On a tick: a transfer silent for too long is abandoned. */
    void onTick() {
        if (incoming != null && loop.nanoTime() - lastChunkNanos > abandonAfterNanos) {
            abandon("no chunk for " + abandonAfterNanos / 1_000_000 + " ms");
        }
    }

    private void ack(long to, Chunk c, long receivedBytes, Status status) {
        transport.send(to, new Ack(node.currentTerm(), c.transferId(), receivedBytes, status));
    }

    private void abandon(String why) {
        if (incoming == null) return;
        log.info("node {}: abandoning the snapshot transfer of {}@{} at byte {}: {}", id, incoming.index(),
                incoming.term(), incoming.received(), why);
        SnapshotTransfer.Incoming in = incoming;
        incoming = null;
        in.close();
    }

    void stop() {
        if (incoming != null) {
            try {
                abandon("the node stops");
            } catch (StorageException e) {
                log.warn("node {}: could not delete the partial snapshot: {}", id, e.getMessage());
            }
        }
    }
}
