package dev.ballot.testkit.sim.runtime;

/**
 * Simulated disks that break their promises <b>on purpose</b>, to show the checks see lost or
 * unsynced state (the production code is unchanged; only the simulated world lies to it).
 */
public enum BrokenDisk {
    /** A crashed node restarts with an empty disk: everything it promised is gone. */
    AMNESIA,
    /** The disk acknowledges a write before syncing it, so the node acts on state a power loss can take. */
    EARLY_ACK;

    /** The name on the command line ({@code --sabotage early-ack}). */
    String flag() {
        return name().toLowerCase().replace('_', '-');
    }
}
