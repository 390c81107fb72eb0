package dev.ballot.node;

import dev.ballot.node.transport.Forward;
import dev.ballot.node.transport.Transport;
import dev.ballot.raft.Message;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory network for several {@link RaftServer}s in one JVM. Delivery is immediate (the
 * receiver only queues); links can be cut to make partitions. Thread-safe.
 */
final class LocalNetwork {

    private final Map<Long, Transport.Inbound> nodes = new ConcurrentHashMap<>();
    /** Directed links that drop everything: "a>b". */
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    /** Snapshot frames for which this is true are dropped (null: none), to stop a transfer half-way. */
    private volatile java.util.function.Predicate<dev.ballot.node.transport.SnapshotFrame> dropSnapshotFrames;

    void dropSnapshotFrames(java.util.function.Predicate<dev.ballot.node.transport.SnapshotFrame> which) {
        this.dropSnapshotFrames = which;
    }

    Transport transport(long id) {
        return new Transport() {
            private final AtomicLong dropped = new AtomicLong();

            @Override public void start(Inbound inbound, Loop loop) {
                nodes.put(id, inbound);
            }

            @Override public void send(Message message) {
                Inbound to = route(id, message.to());
                if (to == null) dropped.incrementAndGet(); else to.onMessage(message);
            }

            @Override public boolean send(long to, Forward frame) {
                Inbound target = route(id, to);
                if (target == null) {
                    dropped.incrementAndGet();
                    return false;
                }
                target.onForward(id, frame);
                return true;
            }

            @Override public boolean send(long to, dev.ballot.node.transport.SnapshotFrame frame) {
                Inbound target = route(id, to);
                var drop = dropSnapshotFrames;
                if (target == null || (drop != null && drop.test(frame))) {
                    dropped.incrementAndGet();
                    return false;
                }
                target.onSnapshot(id, frame);
                return true;
            }

            @Override public long droppedCount() {
                return dropped.get();
            }

            @Override public void close() {
                nodes.remove(id);
            }
        };
    }

    private Transport.Inbound route(long from, long to) {
        if (cut.contains(from + ">" + to)) return null;
        return nodes.get(to);
    }

    /** Cuts every link between {@code id} and the others, both ways. */
    void isolate(long id, Iterable<Long> others) {
        for (long o : others) {
            if (o == id) continue;
            cut.add(id + ">" + o);
            cut.add(o + ">" + id);
        }
    }

    /** Cuts the links from {@code id} to every other node; links towards it still work. */
    void silence(long id, Iterable<Long> others) {
        for (long o : others) {
            if (o != id) cut.add(id + ">" + o);
        }
    }

    void heal() {
        cut.clear();
    }
}
