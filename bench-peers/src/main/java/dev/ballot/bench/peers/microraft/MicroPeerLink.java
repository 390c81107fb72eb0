package dev.ballot.bench.peers.microraft;

import io.microraft.model.message.RaftMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The outbound half of {@link MicroTcpTransport} towards one peer: a bounded queue and a writer
 * thread that (re)connects, frames each message as {@code [int length][body]} and flushes when the
 * queue runs empty. A message that cannot be queued or sent is dropped; Raft resends.
 */
final class MicroPeerLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MicroPeerLink.class);
    private static final int QUEUE = 16_384;

    private final MicroEndpoint target;
    private final InetSocketAddress address;
    private final MicroCodec codec;
    private final BlockingQueue<RaftMessage> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private volatile boolean closed;
    private volatile Socket socket;

    MicroPeerLink(MicroEndpoint self, MicroEndpoint target, InetSocketAddress address, MicroCodec codec) {
        this.target = target;
        this.address = address;
        this.codec = codec;
        this.writer = Thread.ofPlatform().daemon().name("microraft-" + self + "-to-" + target).unstarted(this::run);
    }

    void start() {
        writer.start();
    }

    /** Queues {@code m}; false if the queue is full (the message is dropped). */
    boolean offer(RaftMessage m) {
        return !closed && queue.offer(m);
    }

    boolean isConnected() {
        Socket s = socket;
        return s != null && s.isConnected() && !s.isClosed();
    }

    private void run() {
        ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
        DataOutputStream bodyOut = new DataOutputStream(body);
        DataOutputStream out = null;
        while (!closed) {
            RaftMessage m;
            try {
                m = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (out == null) out = connect();
                while (m != null) {
                    body.reset();
                    codec.writeMessage(bodyOut, m);
                    out.writeInt(body.size());
                    body.writeTo(out);
                    m = queue.poll();
                }
                out.flush();
            } catch (IOException e) {
                if (!closed) log.debug("microraft link to {}: {}; reconnecting", target, e.toString());
                closeSocket();
                out = null;
                pause();
            }
        }
    }

    private DataOutputStream connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(address, 1000);
        socket = s;
        return new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 64 * 1024));
    }

    private void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void closeSocket() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        closeSocket();
    }
}
