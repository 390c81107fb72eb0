package dev.ballot.kv.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A bound Netty TCP server with its own event loops, shared by the RESP and HTTP servers: binds on
 * construction, tracks its client channels, and closes them all with the loops.
 */
final class NettyServer implements AutoCloseable {

    /**
     * I/O threads per server. Few on purpose: every reply is handed to the connection's event
     * loop, and each extra loop is one more thread to wake per batch of replies; one loop per two
     * cores keeps up with the raft loop, which is single-threaded anyway.
     */
    private static final int IO_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    /** False when the loops belong to the node (its node loop): close() leaves them running. */
    private final boolean ownLoops;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel serverChannel;
    private boolean closed;

    /**
     * @param name        for thread names and errors ("resp", "http")
     * @param initializer sets up one client channel's pipeline
     * @throws IllegalStateException if the address cannot be bound
     */
    NettyServer(String name, String host, int port, Consumer<SocketChannel> initializer) {
        this(name, host, port, null, initializer);
    }

    /**
     * @param group the loop to accept and serve connections on (the node loop), or null for loops
     *              of the server's own
     */
    NettyServer(String name, String host, int port, EventLoopGroup group, Consumer<SocketChannel> initializer) {
        ownLoops = group == null;
        if (group != null) {
            boss = group;
            workers = group;
        } else {
            boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ballot-" + name + "-accept", true),
                    NioIoHandler.newFactory());
            workers = new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory("ballot-" + name, true),
                    NioIoHandler.newFactory());
        }
        try {
            serverChannel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.MAX_MESSAGES_PER_READ, 64)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            clients.add(ch);
                            initializer.accept(ch);
                        }
                    })
                    .bind(host, port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownLoops();
            throw new IllegalStateException("cannot bind the " + name + " server to " + host + ":" + port + ": " + e, e);
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting, closes every client connection and stops the event loops. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        serverChannel.close().syncUninterruptibly();
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownLoops();
    }

    private void shutdownLoops() {
        if (!ownLoops) return;
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        boss.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
