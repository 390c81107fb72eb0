package dev.ballot.bench.peers.microraft;

import io.microraft.RaftEndpoint;

/** A MicroRaft endpoint named by a number (1, 2, 3). */
record MicroEndpoint(long id) implements RaftEndpoint {

    @Override
    public Object getId() {
        return id;
    }

    @Override
    public String toString() {
        return "n" + id;
    }
}
