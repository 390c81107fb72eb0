package dev.ballot.bench.failover;

import java.util.Map;

/**
 * One SIGKILL of the leader and what followed, times in milliseconds from the signal.
 *
 * @param kill           1-based number of the kill
 * @param victim         the leader that was killed
 * @param oldTerm        its term
 * @param newLeader      the first node seen leading in a later term (0: none seen)
 * @param newTerm        that node's term (0: none seen)
 * @param electionMillis when a status poll first saw {@code newLeader} leading (null: never); at most
 *                       {@code firstAckMillis}, since an acknowledged write proves a leader existed by then
 * @param firstAckMillis when the first probe write sent after the signal was acknowledged (null: none
 *                       within the failover timeout)
 * @param ackVia         the node that acknowledged that write (0: none)
 * @param probesUntilAck how the probes sent after the signal ended, up to and including the first
 *                       acknowledged one (by {@link ProbeResult#label()})
 */
public record FailoverSample(int kill, long victim, long oldTerm, long newLeader, long newTerm, Double electionMillis,
                             Double firstAckMillis, long ackVia, Map<String, Long> probesUntilAck) {

    public FailoverSample {
        probesUntilAck = Map.copyOf(probesUntilAck);
        if (electionMillis != null && firstAckMillis != null && electionMillis > firstAckMillis) {
            electionMillis = firstAckMillis;
        }
    }

    public boolean acked() {
        return firstAckMillis != null;
    }

    /** From the new leader being seen to the first acknowledged write (null unless both are known). */
    public Double writePartMillis() {
        return electionMillis == null || firstAckMillis == null ? null : firstAckMillis - electionMillis;
    }
}
