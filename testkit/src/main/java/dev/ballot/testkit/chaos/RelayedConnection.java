package dev.ballot.testkit.chaos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One connection through a link proxy: the socket the dialling node opened to the proxy, the
 * socket the proxy opened to the target node, and a {@link FramePump} each way. When either side
 * closes or fails, both sockets are closed, so the nodes see what a broken connection looks like.
 */
final class RelayedConnection {

    private static final Logger log = LoggerFactory.getLogger(RelayedConnection.class);

    private final DirectedLink link;
    private final Socket dialler;
    private final Socket target;
    private final FramePump forward;
    private final FramePump backward;
    private final Consumer<RelayedConnection> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();

    RelayedConnection(DirectedLink link, Socket dialler, Socket target, FrameFaults faults,
                      Consumer<RelayedConnection> onClosed) throws IOException {
        this.link = link;
        this.dialler = dialler;
        this.target = target;
        this.onClosed = onClosed;
        this.forward = new FramePump(link + " forward", dialler.getInputStream(), target.getOutputStream(),
                faults, true, this::close);
        this.backward = new FramePump(link + " backward", target.getInputStream(), dialler.getOutputStream(),
                faults, false, this::close);
    }

    void start() {
        forward.start();
        backward.start();
    }

    /** Closes both sockets (idempotent). */
    void close() {
        if (!closed.compareAndSet(false, true)) return;
        forward.stop();
        backward.stop();
        closeQuietly(dialler);
        closeQuietly(target);
        onClosed.accept(this);
    }

    private void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing a socket of link {} failed: {}", link, e.toString());
        }
    }
}
