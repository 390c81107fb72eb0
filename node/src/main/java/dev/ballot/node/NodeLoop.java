package dev.ballot.node;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The one thread a node runs on (docs/runtime.md): a single-threaded Netty event loop that owns
 * the engine, the peer and client connections and, by default, the state machine.
 *
 * <p>A <em>turn</em> is what the loop does between two waits: Netty reads every socket that has
 * data (each read steps the engine or queues a client request), then runs queued tasks. The first
 * piece of work of a turn asks for the end of the turn ({@link #endTurnSoon}), which runs after
 * everything read in that turn: the hooks registered with {@link #atEndOfTurn} take one Ready from
 * the engine and carry it out, and then every channel written to during the turn is flushed once.
 * So a burst of requests becomes one Ready, one fsync and one write system call per connection.
 *
 * <p>Everything except {@link #execute}, {@link #inLoop} and {@link #close} must be called on the loop.
 */
public final class NodeLoop implements Loop, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeLoop.class);

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final LinkedHashSet<Channel> toFlush = new LinkedHashSet<>();
    private final TurnEnd turnEnd;

    private NodeLoop(EventLoopGroup group) {
        this.group = group;
        this.loop = group.next();
        this.turnEnd = new TurnEnd(loop::execute, this::flushAll);
    }

    /** Starts a loop on a new thread named {@code ballot-node-<name>}. */
    public static NodeLoop start(String name) {
        return new NodeLoop(new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ballot-node-" + name, true),
                NioIoHandler.newFactory()));
    }

    /** The Netty group of this loop (one thread), to register servers and connections on. */
    public EventLoopGroup group() {
        return group;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    @Override
    public boolean execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            log.debug("the node loop has stopped; a task was not run", e);
            return false;
        }
    }

    @Override
    public Repeating every(long periodNanos, Runnable task) {
        ScheduledFuture<?> f = loop.scheduleAtFixedRate(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void atEndOfTurn(Runnable hook) {
        turnEnd.add(hook);
    }

    @Override
    public void endTurnSoon() {
        turnEnd.soon();
    }

    /** {@code channel} was written to without a flush; it is flushed at the end of this turn. Loop only. */
    public void flushLater(Channel channel) {
        toFlush.add(channel);
        endTurnSoon();
    }

    private void flushAll() {
        while (!toFlush.isEmpty()) {
            List<Channel> channels = new ArrayList<>(toFlush);
            toFlush.clear();
            for (Channel ch : channels) ch.flush();
        }
    }

    /** Stops the loop thread, waiting up to a few seconds. Channels on it are closed by Netty. */
    @Override
    public void close() {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("the node loop cannot be closed from its own thread");
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
