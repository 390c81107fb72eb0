package dev.ballot.bench.peers.microraft;

/** The entry a MicroRaft leader commits at the start of its term ({@code StateMachine.getNewTermOperation}); not a write. */
enum NewTermOp {
    INSTANCE
}
