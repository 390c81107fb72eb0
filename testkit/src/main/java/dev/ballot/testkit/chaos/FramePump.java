package dev.ballot.testkit.chaos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Moves the frames of one direction of a proxied connection: a reader cuts the byte stream into
 * whole frames ({@code u32} big-endian body length, then the body) and decides each one's fate; a
 * writer sends the survivors once they are due. Frames are never split, and a frame is due no
 * earlier than the one before it, so random delays keep the order. Both run on virtual threads
 * (blocking I/O, no thread of the platform's held while waiting).
 */
final class FramePump {

    private static final Logger log = LoggerFactory.getLogger(FramePump.class);

    /** Larger than any frame Ballot sends (16 MiB by default): a longer prefix means the stream is garbage. */
    static final int MAX_FRAME_BYTES = 64 << 20;
    /** Frames waiting in one direction; a full queue stops the reader, which pushes back through TCP. */
    private static final int QUEUE_CAPACITY = 1024;
    private static final int BUFFER_BYTES = 64 << 10;

    private record Pending(long dueNanos, byte[] frame) {}

    private final String name;
    private final InputStream in;
    private final OutputStream out;
    private final FrameFaults faults;
    private final boolean firstFrameKept;
    private final Runnable onEnd;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private volatile Thread reader;
    private volatile Thread writer;

    /**
     * @param firstFrameKept the first frame is never dropped (the dialler's Hello: losing it makes the
     *                       acceptor close the connection, which is a cut, not a lost message)
     * @param onEnd          called (possibly twice) when either side ends, to close the whole connection
     */
    FramePump(String name, InputStream in, OutputStream out, FrameFaults faults, boolean firstFrameKept, Runnable onEnd) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.faults = faults;
        this.firstFrameKept = firstFrameKept;
        this.onEnd = onEnd;
    }

    void start() {
        reader = Thread.ofVirtual().name("proxy-read " + name).start(this::readFrames);
        writer = Thread.ofVirtual().name("proxy-write " + name).start(this::writeFrames);
    }

    /**
     * Stops both threads (the reader may be waiting for room in the queue rather than on its
     * socket); frames still held are lost, as on a broken connection.
     */
    void stop() {
        for (Thread t : new Thread[] {reader, writer}) {
            if (t != null) t.interrupt();
        }
    }

    private void readFrames() {
        DataInputStream frames = new DataInputStream(new BufferedInputStream(in, BUFFER_BYTES));
        long lastDue = Long.MIN_VALUE;
        boolean first = true;
        try {
            while (true) {
                int length;
                try {
                    length = frames.readInt();
                } catch (EOFException closed) {
                    log.debug("{}: the sender closed the connection", name);
                    return;
                }
                if (length < 0 || length > MAX_FRAME_BYTES) {
                    log.warn("{}: frame length {} is not in [0, {}]; closing the connection", name,
                            Integer.toUnsignedLong(length), MAX_FRAME_BYTES);
                    return;
                }
                byte[] frame = new byte[4 + length];
                ByteBuffer.wrap(frame).putInt(length);
                frames.readFully(frame, 4, length);
                FrameFaults.Verdict verdict = faults.next(!(first && firstFrameKept));
                first = false;
                if (verdict.dropped()) continue;
                long due = Math.max(System.nanoTime() + verdict.delayNanos(), lastDue);
                lastDue = due;
                queue.put(new Pending(due, frame));
            }
        } catch (IOException e) {
            log.debug("{}: reading ended: {}", name, e.toString());
        } catch (InterruptedException e) {
            log.debug("{}: reader interrupted", name);
        } finally {
            onEnd.run();
        }
    }

    private void writeFrames() {
        OutputStream buffered = new BufferedOutputStream(out, BUFFER_BYTES);
        try {
            while (true) {
                Pending next = queue.poll();
                if (next == null) {
                    buffered.flush(); // nothing else is ready: send what we have before waiting
                    next = queue.take();
                }
                long wait = next.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    buffered.flush();
                    TimeUnit.NANOSECONDS.sleep(wait); // the injected delay itself
                }
                buffered.write(next.frame());
            }
        } catch (IOException e) {
            log.debug("{}: writing ended: {}", name, e.toString());
        } catch (InterruptedException e) {
            log.debug("{}: writer stopped", name);
        } finally {
            onEnd.run();
        }
    }
}
