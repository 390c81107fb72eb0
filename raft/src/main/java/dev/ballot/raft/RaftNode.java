package dev.ballot.raft;

import java.util.List;
import java.util.random.RandomGenerator;

/** STUB: the engine is being written; signatures are final. */
public final class RaftNode {
    public static final long NONE = 0;

    public RaftNode(Config config, LogStorage storage, HardState hardState, RandomGenerator random) {
        throw new UnsupportedOperationException("in progress");
    }

    public void tick() {}
    public void step(Message m) {}
    public ProposeResult propose(byte[] data) { return null; }
    public boolean hasReady() { return false; }
    public Ready ready() { return null; }
    public void advance(Ready ready) {}

    public long id() { return 0; }
    public Config config() { return null; }
    public Role role() { return null; }
    public long currentTerm() { return 0; }
    public long votedFor() { return 0; }
    public long leaderId() { return 0; }
    public long commitIndex() { return 0; }
    public long appliedIndex() { return 0; }
    public long firstIndex() { return 0; }
    public long lastIndex() { return 0; }
    public long lastTerm() { return 0; }
    public long term(long index) { return 0; }
    public List<Entry> entries(long from, long to) { return null; }
    public ProgressView progress(long peer) { return null; }
    public Status status() { return null; }
}
