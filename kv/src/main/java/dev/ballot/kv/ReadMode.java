package dev.ballot.kv;

/** How a node serves read-only commands (GET, EXISTS, MGET). */
public enum ReadMode {
    /** ReadIndex: the leader confirms it still leads, then the read waits until applied that far. */
    LINEARIZABLE,
    /**
     * <strong>Deliberately broken, for tests only</strong>: reads return this node's state as it is,
     * without asking the leader, so a deposed leader or a lagging follower serves stale values. It
     * exists so the chaos tests can prove that their linearizability checker catches such a build.
     */
    UNSAFE_LOCAL
}
