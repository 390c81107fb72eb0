package dev.ballot.node;

import dev.ballot.node.transport.SnapshotFrame;
import dev.ballot.node.transport.SnapshotFrame.Ack;
import dev.ballot.node.transport.SnapshotFrame.Chunk;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.Message;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.Role;
import dev.ballot.storage.SnapshotMeta;
import dev.ballot.storage.SnapshotTransfer;
import dev.ballot.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The leader's side of snapshot transfers (docs/snapshots.md): when the engine asks for one
 * ({@link Message.InstallSnapshot} in a Ready), streams the newest snapshot file to the follower
 * in chunks, at most {@link SnapshotPolicy#chunksInFlight} unacknowledged, read from the file as
 * they go (a snapshot never has to fit in memory), beside the Raft traffic on the same connection.
 * Reports the outcome to the engine with {@link RaftNode#reportSnapshot}:
 * <ul>
 *   <li>delivered once the follower says it verified the file and handed it to its engine;</li>
 *   <li>failed if the follower rejected it (checksum) or does not know the transfer, or nothing
 *       moved for {@code giveUpAfterNanos} after {@link #RESENDS} resends from the last acknowledged
 *       byte: the engine then asks again, and a fresh transfer starts.</li>
 * </ul>
 * Transfers end silently when this node stops leading or its term changes. Loop only.
 */
final class SnapshotSender {

    private static final Logger log = LoggerFactory.getLogger(SnapshotSender.class);
    /** Resends from the last acknowledged byte before a silent transfer is given up. */
    static final int RESENDS = 3;

    private static final class Transfer {
        final long peer;
        final long term;
        final long id;
        final SnapshotTransfer.Outgoing file;
        long sent;
        long acked;
        long lastProgressNanos;
        int resends;
        /** Went back to offset 0 after an UNKNOWN, and nothing was acknowledged since. */
        boolean restartedFromZero;
        /** When the follower first said it held every byte (it is verifying), or -1. */
        long allAckedSinceNanos = -1;

        Transfer(long peer, long term, long id, SnapshotTransfer.Outgoing file, long now) {
            this.peer = peer;
            this.term = term;
            this.id = id;
            this.file = file;
            this.lastProgressNanos = now;
        }
    }

    private final long id;
    private final RaftNode node;
    private final LocalSnapshots snapshots;
    private final Transport transport;
    private final Loop loop;
    private final SnapshotPolicy policy;
    private final RandomGenerator random;
    private final long resendAfterNanos;
    private final long verifyTimeoutNanos;
    private final Map<Long, Transfer> transfers = new HashMap<>();
    private long started;
    private long delivered;

    SnapshotSender(long id, RaftNode node, LocalSnapshots snapshots, Transport transport, Loop loop,
                   SnapshotPolicy policy, RandomGenerator random, long resendAfterNanos, long verifyTimeoutNanos) {
        this.id = id;
        this.node = node;
        this.snapshots = snapshots;
        this.transport = transport;
        this.loop = loop;
        this.policy = policy;
        this.random = random;
        this.resendAfterNanos = resendAfterNanos;
        this.verifyTimeoutNanos = verifyTimeoutNanos;
    }

    long started() {
        return started;
    }

    long delivered() {
        return delivered;
    }

    int inProgress() {
        return transfers.size();
    }

    /** The engine asks for {@code request.to()} to get a snapshot covering at least {@code request.lastIncludedIndex()}. */
    void request(Message.InstallSnapshot request) {
        long peer = request.to();
        end(transfers.remove(peer));
        SnapshotMeta meta = snapshots.latest();
        if (meta == null || meta.lastIndex() < request.lastIncludedIndex()) {
            // Cannot happen: the log is compacted only below a durable snapshot. Fail loudly, retry later.
            log.error("node {}: follower {} needs a snapshot up to index {}, but the newest here is {}", id, peer,
                    request.lastIncludedIndex(), meta);
            node.reportSnapshot(peer, false);
            return;
        }
        SnapshotTransfer.Outgoing file;
        try {
            file = snapshots.store().send(meta);
        } catch (StorageException e) {
            log.error("node {}: cannot open snapshot {} for follower {}", id, meta, peer, e);
            node.reportSnapshot(peer, false);
            return;
        }
        long transferId = random.nextLong() & Long.MAX_VALUE | 1;
        Transfer t = new Transfer(peer, request.term(), transferId, file, loop.nanoTime());
        transfers.put(peer, t);
        started++;
        log.info("node {}: sending snapshot up to index {} (term {}, {} bytes) to node {}", id, meta.lastIndex(),
                meta.lastTerm(), file.size(), peer);
        pump(t);
    }

    void onFrame(long from, SnapshotFrame frame) {
        if (!(frame instanceof Ack a)) return;
        Transfer t = transfers.get(from);
        if (t == null || a.transferId() != t.id) return; // an answer about an older transfer
        switch (a.status()) {
            case RECEIVING -> {
                if (a.received() > t.acked) {
                    t.acked = Math.min(a.received(), t.file.size());
                    t.lastProgressNanos = loop.nanoTime();
                    if (t.acked == t.file.size()) t.allAckedSinceNanos = t.lastProgressNanos;
                    t.resends = 0;
                    t.restartedFromZero = false;
                } else if (a.received() < t.acked) {
                    return; // overtaken by a later answer
                }
                if (t.sent < t.acked) t.sent = t.acked;
                pump(t);
            }
            case INSTALLED -> {
                transfers.remove(from);
                end(t);
                delivered++;
                log.info("node {}: node {} received snapshot up to index {} whole", id, from, t.file.meta().lastIndex());
                node.reportSnapshot(from, true);
            }
            case UNKNOWN -> {
                // The follower lost the start of the transfer (a lost first chunk, or it restarted):
                // go back to offset 0 once; more of these answer chunks already sent before that.
                if (t.restartedFromZero) return;
                t.restartedFromZero = true;
                t.acked = 0;
                t.sent = 0;
                pump(t);
            }
            case REJECTED -> {
                transfers.remove(from);
                end(t);
                log.warn("node {}: node {} answered {} to the snapshot transfer; it will be sent again", id, from,
                        a.status());
                node.reportSnapshot(from, false);
            }
        }
    }

    /** Sends chunks while fewer than the window's bytes are unacknowledged. */
    private void pump(Transfer t) {
        long size = t.file.size();
        long window = (long) policy.chunkBytes() * policy.chunksInFlight();
        while (t.sent < size && t.sent - t.acked < window) {
            byte[] data;
            try {
                data = t.file.read(t.sent, policy.chunkBytes());
            } catch (StorageException e) {
                log.error("node {}: cannot read the snapshot for node {}", id, t.peer, e);
                transfers.remove(t.peer);
                end(t);
                node.reportSnapshot(t.peer, false);
                return;
            }
            SnapshotMeta meta = t.file.meta();
            boolean last = t.sent + data.length == size;
            transport.send(t.peer, new Chunk(t.term, t.id, meta.lastIndex(), meta.lastTerm(), t.sent, size, data, last));
            t.sent += data.length;
        }
    }

    /** On a tick: ends transfers of a former term or role; resends or gives up silent ones. */
    void onTick() {
        if (transfers.isEmpty()) return;
        boolean leading = node.role() == Role.LEADER;
        long now = loop.nanoTime();
        Iterator<Transfer> it = transfers.values().iterator();
        while (it.hasNext()) {
            Transfer t = it.next();
            if (!leading || t.term != node.currentTerm()) {
                it.remove();
                end(t); // the engine forgot its followers' progress with the leadership
                continue;
            }
            if (now - t.lastProgressNanos < resendAfterNanos) continue;
            if (t.acked >= t.file.size()) {
                // The follower holds every byte and is verifying them; its answer that it is done
                // may have been lost: the last chunk again makes it answer again (it is not rewritten).
                if (now - t.allAckedSinceNanos < verifyTimeoutNanos) {
                    t.lastProgressNanos = now;
                    sendLastChunk(t);
                    continue;
                }
            } else if (t.resends < RESENDS) {
                t.resends++;
                t.lastProgressNanos = now;
                t.sent = t.acked; // go back to what the follower holds
                pump(t);
                continue;
            }
            it.remove();
            end(t);
            log.warn("node {}: the snapshot transfer to node {} stalled at byte {} of {}; it will start again", id,
                    t.peer, t.acked, t.file.size());
            node.reportSnapshot(t.peer, false);
        }
    }

    private void sendLastChunk(Transfer t) {
        long size = t.file.size();
        long from = Math.max(0, size - policy.chunkBytes());
        byte[] data;
        try {
            data = t.file.read(from, (int) (size - from));
        } catch (StorageException e) {
            log.error("node {}: cannot read the snapshot for node {}", id, t.peer, e);
            return;
        }
        SnapshotMeta meta = t.file.meta();
        transport.send(t.peer, new Chunk(t.term, t.id, meta.lastIndex(), meta.lastTerm(), from, size, data, true));
    }

    private void end(Transfer t) {
        if (t == null) return;
        try {
            t.file.close();
        } catch (IOException e) {
            log.warn("node {}: could not close the snapshot sent to node {}: {}", id, t.peer, e.toString());
        }
    }

    void stop() {
        transfers.values().forEach(this::end);
        transfers.clear();
    }
}
