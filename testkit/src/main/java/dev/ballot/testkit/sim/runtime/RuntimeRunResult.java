package dev.ballot.testkit.sim.runtime;

/**
 * The outcome of one full-runtime run.
 *
 * @param failedCheck null if every check passed, else the check that broke
 * @param detail      what broke, with the checker's explanation, the nodes' last events and the
 *                    command that replays the run; a one-line summary when the run passed
 * @param linearizabilityUnknown the checker's budget ran out (not a failure; counted)
 * @param snapshotRestores state machines restored from a snapshot (at a restart, or installed from a leader)
 * @param fingerprint SHA-256 of the client history and the final replica digest: equal for two runs of one seed
 */
public record RuntimeRunResult(long seed, String failedCheck, String detail, long operations, long acknowledged,
                               long unknown, int faults, long elections, long highestCommitted, long events,
                               boolean linearizabilityUnknown, String fingerprint, long snapshotRestores) {

    public boolean passed() {
        return failedCheck == null;
    }
}
