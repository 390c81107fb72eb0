package dev.ballot.raft;

import java.util.List;

/**
 * What the engine asks the runtime to do now. Obtain one with {@link RaftNode#ready()}, carry it
 * out, then hand it back with {@link RaftNode#advance(Ready)}. Several Readies may be in flight at
 * once (see "Pipelining" below).
 *
 * <h2>Persistence contract</h2>
 * The runtime carries out a Ready in this order:
 * <ol>
 *   <li>If {@link #snapshot()} is not null (a follower accepted the leader's snapshot, which replaces
 *       its log), first <b>install it</b>: restore the state machine from the snapshot the runtime
 *       received, and reset the storage to an empty log that starts right after the snapshot's
 *       last included index ({@link LogStorage#restore}), durably. Committed
 *       entries of earlier Readies are applied before it, those of later ones after it (this one
 *       carries none).
 *       Then <b>persist {@link #entries()}</b> with {@link LogStorage#append(List)}: every stored entry
 *       at or after the first one's index is replaced (a follower may be truncating a conflicting
 *       suffix). Then <b>persist {@link #hardState()}</b> if it is not null. Both must be durable
 *       (fsynced) before step 2.</li>
 *   <li><b>Send {@link #messages()}</b>. A vote, or an acknowledgement of entries, is a promise
 *       about durable state; sending it before the state is durable can elect two leaders in one
 *       term or lose a committed entry after a crash. (One exception, for a leader's AppendEntries
 *       and heartbeats: see below.)</li>
 *   <li><b>Apply {@link #committedEntries()}</b> to the state machine, in order. They are always
 *       entries persisted by an earlier, already advanced Ready, so applying never runs ahead of the disk;
 *       each committed entry appears in exactly one Ready. For the same reason a runtime may
 *       start applying them as soon as it has the Ready, in parallel with steps 1 and 2 (the
 *       node runtime does, so a reply does not wait for an unrelated fsync).</li>
 *   <li>Call {@link RaftNode#advance(Ready)} with this Ready.</li>
 * </ol>
 * A crash anywhere in between is safe: whatever was not yet made durable is simply lost and the
 * messages of that Ready were never sent (except a leader's early ones, which are safe to have sent).
 *
 * <h2>The exception: a leader's AppendEntries and heartbeats may go before its own write</h2>
 * If {@link #role()} is {@link Role#LEADER}, the runtime may send the {@link Message.AppendEntries}
 * and {@link Message.Heartbeat} messages of this Ready at once, before or while step 1 runs, so the
 * leader's disk write and its followers' run in parallel (Raft thesis §10.2.1). Nothing else may
 * go early: every other message of any Ready, also of a leader-role one, waits for step 1; in
 * particular RequestVote (it carries the candidate's new term and self-vote), RequestVoteResponse
 * (a vote), AppendEntriesResponse (an acknowledgement of entries) and HeartbeatResponse. A message
 * sent early is not sent again after step 1. Why the exception is safe:
 * <ul>
 *   <li>The leader's own copy of an entry counts towards the majority only once {@code advance}
 *       reports it persisted, so the commit index it sends (in AppendEntries, or capped at the
 *       follower's matchIndex in a heartbeat) never rests on its unwritten entries.</li>
 *   <li>What these messages claim, leadership in their term, is already durable: in a cluster of
 *       more than one voter a leader-role Ready never carries a new term or vote. The self-vote was
 *       in an earlier Ready whose RequestVotes went out only once it was durable, and winning
 *       needed their answers. (A single voter becomes leader within one Ready, with no one to
 *       send to.)</li>
 *   <li>A leader that crashes before its write loses only entries it had not written. Whatever was
 *       committed without its copy is durable on a majority of followers, and the restarted node,
 *       whose log lacks it, cannot win their votes (§5.4.1). Nor can it lead that term again (its
 *       term and vote are durable; a new campaign starts a new term), so no other entry can ever
 *       take the same index and term.</li>
 * </ul>
 *
 * <h2>Pipelining</h2>
 * The runtime may call {@link RaftNode#ready()} again before earlier Readies are advanced, when
 * {@link RaftNode#hasReady()} says there is something new, so the engine can hand out new entries
 * and new commits while the disk is busy (pipelined storage writes). Then:
 * <ul>
 *   <li>Each entry, message, committed entry, read and hard state is handed out by exactly one
 *       Ready: a Ready carries only what earlier ones did not (a hard state only if it differs
 *       from the last one handed out).</li>
 *   <li>The runtime persists Readies in the order it got them (several may share one fsync) and
 *       sends the messages of a Ready only once that Ready's entries and hard state are durable,
 *       as in step 2 (with the same exception for a leader's AppendEntries and heartbeats). A
 *       later Ready's entries may start below an earlier Ready's last entry (a follower
 *       truncating a conflict): persisted in order, the later append replaces them.</li>
 *   <li>Every Ready is handed to {@link RaftNode#advance(Ready)} exactly once, in the order
 *       {@code ready()} returned them; an out-of-order or repeated {@code advance} throws
 *       {@link IllegalStateException} and changes nothing.</li>
 *   <li>{@link #committedEntries()} are only ever entries made stable by an already advanced
 *       Ready, never entries that are merely in flight; so step 3 may still start at once.</li>
 * </ul>
 * A crash loses the Readies not yet persisted; since they are persisted in order, the disk holds
 * the state of a prefix of them.
 *
 * <h2>Reads</h2>
 * {@link #readStates()} are reads asked for with {@link RaftNode#readIndex(long)} whose leadership
 * check is done, in the order they were asked for. Each may be answered once the state machine has
 * applied up to its {@link ReadState#index()}, which may be after steps 3 and 4 of this Ready or of
 * a later one. Release does not depend on the disk, so the runtime may hand them to its read queue
 * at any point of the turn. A read appears in exactly one Ready, or in none: reads still pending
 * when the node stops being leader or its term changes are dropped without a trace, and the
 * runtime must fail them (tell the client to retry) when it sees {@link #role()} other than leader
 * or a new term, for example in {@link #hardState()}.
 *
 * <p>Why the leader counts itself only after step 1: it is what makes the exception above safe
 * (thesis §10.2.1), and it keeps a single-node cluster from committing an entry it has not yet
 * written.
 *
 * @param snapshot         a snapshot to install before anything else, or {@code null} (see step 1)
 * @param hardState        term, vote and commit index to persist, or {@code null} if unchanged
 * @param entries          new log entries to persist, in index order (may truncate, see above)
 * @param messages         messages to send once this Ready's state is durable (a leader's AppendEntries
 *                         and heartbeats may go earlier, see above)
 * @param committedEntries committed entries to apply, in index order, each exactly once
 * @param role             the role of the node when this Ready was produced
 * @param leaderId         the leader known when this Ready was produced, or {@link RaftNode#NONE}
 * @param readStates       reads confirmed since the last Ready, in the order they were asked for (see above)
 */
public record Ready(SnapshotMetadata snapshot, HardState hardState, List<Entry> entries, List<Message> messages,
                    List<Entry> committedEntries, Role role, long leaderId, List<ReadState> readStates) {

    public Ready {
        entries = List.copyOf(entries);
        messages = List.copyOf(messages);
        committedEntries = List.copyOf(committedEntries);
        readStates = List.copyOf(readStates);
    }

    /** True if there is nothing to persist, send, apply or serve. */
    public boolean isEmpty() {
        return snapshot == null && hardState == null && entries.isEmpty() && messages.isEmpty() && committedEntries.isEmpty()
                && readStates.isEmpty();
    }
}
