package dev.ballot.raft;

/** STUB */
public final class Progress {
    public enum State { PROBE, REPLICATE }
}
