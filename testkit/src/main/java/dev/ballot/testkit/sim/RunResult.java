package dev.ballot.testkit.sim;

/**
 * What one randomized run did.
 *
 * @param seed        the run's seed
 * @param nodes       cluster size
 * @param events      events processed (all phases)
 * @param millis      virtual time simulated
 * @param elections   terms that had a leader
 * @param committed   highest index committed
 * @param accepted    proposals accepted by a leader
 * @param acked       proposals acknowledged to the client
 * @param faults      faults injected by the nemesis
 * @param crashes     node crashes (nemesis and crash-during-persist)
 * @param persistCrashes crashes in the middle of persisting a Ready
 * @param pipelinedReadies Readies taken while an earlier one was still being persisted
 * @param messages    messages sent by engines
 * @param reads       linearizable reads released (ReadIndex) and checked
 * @param compactions snapshots taken by nodes (each compacting the log)
 * @param snapshotsInstalled snapshots a follower received from a leader and installed
 * @param digest      digest of the whole trace (equal for two runs of one seed)
 */
public record RunResult(long seed, int nodes, long events, long millis, long elections, long committed, long accepted,
                        long acked, long faults, long crashes, long persistCrashes, long pipelinedReadies, long messages,
                        long reads, long compactions, long snapshotsInstalled, long digest) {}
