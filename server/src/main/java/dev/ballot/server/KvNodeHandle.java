package dev.ballot.server;

import dev.ballot.kv.KvNode;
import dev.ballot.kv.KvNodeConfig;

import java.net.InetSocketAddress;

/** The real node behind {@code ballot server}. */
final class KvNodeHandle implements NodeHandle {

    private final KvNode node;

    private KvNodeHandle(KvNode node) {
        this.node = node;
    }

    static NodeHandle start(KvNodeConfig config) {
        return new KvNodeHandle(KvNode.start(config));
    }

    @Override
    public InetSocketAddress redisAddress() {
        return node.redisAddress();
    }

    @Override
    public InetSocketAddress httpAddress() {
        return node.httpAddress();
    }

    @Override
    public Throwable awaitClosed() throws InterruptedException {
        return node.awaitClosed();
    }

    @Override
    public void close() {
        node.close();
    }
}
