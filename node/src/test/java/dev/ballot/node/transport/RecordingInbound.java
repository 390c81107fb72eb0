package dev.ballot.node.transport;

import dev.ballot.raft.Message;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects what a transport delivers, in arrival order. */
final class RecordingInbound implements Transport.Inbound {

    record ForwardFrom(long from, Forward frame) {}

    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<ForwardFrom> forwards = new CopyOnWriteArrayList<>();
    final List<SnapshotFrame> snapshotFrames = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(Message message) {
        messages.add(message);
    }

    @Override
    public void onForward(long from, Forward frame) {
        forwards.add(new ForwardFrom(from, frame));
    }

    @Override
    public void onSnapshot(long from, SnapshotFrame frame) {
        snapshotFrames.add(frame);
    }

    List<Message> from(long id) {
        return messages.stream().filter(m -> m.from() == id).toList();
    }
}
