package dev.ballot.server;

import dev.ballot.kv.KvNodeConfig;

/** Starts a node from its configuration; a seam so the CLI can be tested without a real node. */
@FunctionalInterface
public interface NodeStarter {

    NodeHandle start(KvNodeConfig config);
}
