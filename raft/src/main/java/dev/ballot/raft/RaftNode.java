package dev.ballot.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One Raft server as a pure state machine: no threads, no I/O, no clock. Time arrives through
 * {@link #tick()}, peers' messages through {@link #step(Message)}, client commands and reads
 * through {@link #propose(byte[])} and {@link #readIndex(long)}; everything the engine wants done
 * comes out of {@link #ready()} and is confirmed with {@link #advance(Ready)} (read the
 * persistence contract on {@link Ready}; several Readies may be in flight, advanced in order).
 *
 * <p>The code follows Figure 2 of the Raft paper (Ongaro and Ousterhout, 2014) with the additions
 * of Ongaro's thesis that a production system needs: pre-vote (§9.6), check-quorum (§6.2),
 * ReadIndex (§6.4), and flow control per follower. Each rule is a method named after it.
 *
 * <p>One server, three files by job: this class is the façade (inputs and outputs, the term rules
 * every message obeys, §5.1, and the follower's side of AppendEntries); {@code Election} holds the
 * way to leadership (pre-vote, RequestVote, counting votes); {@code LeaderReplication} holds the
 * leader's side of replication (per-follower progress, flow control, commitment, check-quorum).
 *
 * <p>Not thread-safe: exactly one thread may use an instance. Deterministic: the same
 * configuration, random seed and sequence of calls produce the same outputs.
 */
public final class RaftNode {

    /** "No node": no vote cast, no leader known. Node ids are &gt; 0. */
    public static final long NONE = 0;

    // Package-private where Election and LeaderReplication, the other two parts of this server,
    // read or change them.
    final Config config;
    final long id;
    private final RandomGenerator random;
    final RaftLog log;
    /** Who must agree, for votes, commitment, reads and check-quorum alike. */
    final Quorum quorum;

    // Persistent state on all servers (Figure 2), persisted through Ready.hardState.
    long currentTerm;
    long votedFor;

    Role role = Role.FOLLOWER;
    long leaderId = NONE;

    /** Ticks since the last reset of the election timer (on a leader: of the check-quorum window). */
    private int electionElapsed;
    private int heartbeatElapsed;
    /** Drawn from [T, 2T) at every reset of the election timer (paper §5.2). */
    private int randomizedElectionTimeout;

    /** Pre-vote, RequestVote and the way to leadership. */
    private final Election election;
    /** Leader state: per-follower progress, AppendEntries and heartbeats, commitment. */
    private final LeaderReplication replication;

    /** Messages not yet handed out; drained by ready(). */
    private final List<Message> outbox = new ArrayList<>();
    /** Leader state: reads not yet confirmed (dropped whenever leadership is lost or gained). */
    private final ReadIndexQueue reads;
    /** Confirmed reads waiting for the next ready(); kept across a step-down, they were confirmed. */
    private final List<ReadState> readStates = new ArrayList<>();
    /** The hard state last handed out in a Ready (or read at boot): a Ready carries one only if it differs. */
    private HardState lastHardState;
    /** Readies handed out and not yet advanced, oldest first; they must be advanced in this order. */
    private final ArrayDeque<Ready> inFlight = new ArrayDeque<>();
    private long droppedMessages;

    /**
     * @param config    this node's settings
     * @param storage   the durable log as last persisted (empty on first boot)
     * @param hardState the hard state as last persisted ({@link HardState#INITIAL} on first boot)
     * @param random    the only source of randomness (election timeouts); seed it for reproducible runs
     */
    public RaftNode(Config config, LogStorage storage, HardState hardState, RandomGenerator random) {
        this(config, storage, hardState, 0, random);
    }

    /**
     * A node whose state machine was restored from a snapshot at boot.
     *
     * @param applied the index the restored state machine holds (the snapshot's last included
     *                index); entries up to it are never handed out for applying
     */
    public RaftNode(Config config, LogStorage storage, HardState hardState, long applied, RandomGenerator random) {
        this.config = config;
        this.id = config.id();
        this.random = random;
        this.quorum = new Quorum(config.voters());
        this.reads = new ReadIndexQueue(id, quorum);
        this.log = new RaftLog(storage, hardState.commitIndex(), applied);
        this.replication = new LeaderReplication(this, reads, readStates);
        this.election = new Election(this, replication);
        if (hardState.votedFor() != NONE && !config.voters().contains(hardState.votedFor())) {
            throw new IllegalArgumentException("persisted votedFor " + hardState.votedFor() + " is not a voter");
        }
        this.currentTerm = hardState.currentTerm();
        this.votedFor = hardState.votedFor();
        this.lastHardState = hardState;
        becomeFollower(currentTerm, NONE);
    }

    // ---------------------------------------------------------------------------------------------
    // Inputs: time, messages, proposals
    // ---------------------------------------------------------------------------------------------

    /** Advances logical time by one tick. */
    public void tick() {
        if (role == Role.LEADER) {
            tickHeartbeat();
        } else {
            tickElection();
        }
    }

    /** Rule: a follower or candidate that hears nothing for an election timeout starts an election. */
    private void tickElection() {
        electionElapsed++;
        if (electionElapsed >= randomizedElectionTimeout) {
            election.campaign(config.preVote());
        }
    }

    /** Rule: a leader sends heartbeats every H ticks, and checks its quorum every T ticks. */
    private void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (config.checkQuorum() && !replication.checkQuorum()) {
                becomeFollower(currentTerm, NONE);
                return;
            }
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            replication.broadcastHeartbeat();
        }
    }

    /**
     * Handles a message from a peer. Messages from unknown ids, addressed to another node, or
     * malformed are dropped (counted in {@link #droppedMessages()}); nothing else is ever refused.
     */
    public void step(Message m) {
        if (m.to() != id || m.from() == id || !config.voters().contains(m.from())
                || MessageValidator.problem(m) != null) {
            dropMessage();
            return;
        }
        if (m.term() > currentTerm) {
            if (!stepHigherTerm(m)) return;
        } else if (m.term() < currentTerm) {
            stepLowerTerm(m);
            return;
        }
        switch (m) {
            case Message.RequestVote rv -> election.handleRequestVote(rv);
            case Message.RequestVoteResponse r -> election.handleRequestVoteResponse(r);
            case Message.AppendEntries ae -> handleAppendEntries(ae);
            case Message.AppendEntriesResponse r -> {
                if (role == Role.LEADER) replication.handleAppendEntriesResponse(r);
            }
            case Message.Heartbeat hb -> handleHeartbeat(hb);
            case Message.HeartbeatResponse r -> {
                if (role == Role.LEADER) replication.handleHeartbeatResponse(r);
            }
            case Message.InstallSnapshot is -> handleInstallSnapshot(is);
        }
    }

    /**
     * Rule (§5.1): a message with a higher term makes us adopt it and become follower. Exceptions:
     * pre-votes and granted pre-vote answers do not carry a real term (thesis §9.6); and a node
     * that heard from a live leader within the election timeout ignores vote requests altogether
     * (check-quorum lease, thesis §4.2.3), so a disruptive server cannot depose a working leader.
     * Returns false if the message is to be ignored.
     */
    private boolean stepHigherTerm(Message m) {
        if (m instanceof Message.RequestVote && inLeaderLease()) {
            return false;
        }
        boolean preVoteTraffic = m instanceof Message.RequestVote rv && rv.preVote()
                || m instanceof Message.RequestVoteResponse r && r.preVote() && r.voteGranted();
        if (!preVoteTraffic) {
            boolean fromLeader = m instanceof Message.AppendEntries || m instanceof Message.Heartbeat
                    || m instanceof Message.InstallSnapshot;
            becomeFollower(m.term(), fromLeader ? m.from() : NONE);
        }
        return true;
    }

    private boolean inLeaderLease() {
        return config.checkQuorum() && leaderId != NONE && electionElapsed < config.electionTicks();
    }

    /**
     * Rule (§5.1): a message with a lower term never changes state. Requests are answered with our
     * term so the sender learns it is stale (Figure 2: "reply false if term &lt; currentTerm"); this
     * also makes a deposed leader step down. Stale answers are dropped.
     */
    private void stepLowerTerm(Message m) {
        switch (m) {
            case Message.RequestVote rv -> send(new Message.RequestVoteResponse(id, rv.from(), currentTerm, false, rv.preVote()));
            case Message.AppendEntries ae -> send(Message.AppendEntriesResponse.rejected(id, ae.from(), currentTerm,
                    ae.prevLogIndex(), 0, 0));
            case Message.Heartbeat hb -> send(new Message.HeartbeatResponse(id, hb.from(), currentTerm, hb.context()));
            case Message.InstallSnapshot is -> send(Message.AppendEntriesResponse.rejected(id, is.from(), currentTerm,
                    is.lastIncludedIndex(), 0, 0));
            case Message.RequestVoteResponse r -> { }
            case Message.AppendEntriesResponse r -> { }
            case Message.HeartbeatResponse r -> { }
        }
    }

    /**
     * Appends a client command to the leader's log. Every proposal accepted before the next
     * {@link #ready()} goes to the followers in one AppendEntries each.
     */
    public ProposeResult propose(byte[] data) {
        if (role != Role.LEADER) {
            return new ProposeResult.NotLeader(leaderId);
        }
        long index = log.lastIndex() + 1;
        log.append(Entry.command(index, currentTerm, data));
        replication.scheduleBroadcast();
        return new ProposeResult.Accepted(index, currentTerm);
    }

    /**
     * Asks for a linearizable read without writing to the log (ReadIndex, thesis §6.4). On the
     * leader the read is accepted ({@code Accepted(0, currentTerm)}; its index comes later) and
     * shows up as a {@link ReadState} with this {@code context} in a later {@link Ready} once
     * leadership is confirmed: the read may then be served when the state machine has applied up
     * to its index. Reads asked for before the next {@link #ready()} share one heartbeat round.
     *
     * <p>Accepted reads are dropped, without any ReadState, when this node stops being leader or
     * its term changes before they are confirmed; the runtime must fail them when a Ready shows
     * another role or a new term. A follower or candidate answers {@code NotLeader(leaderId)}:
     * forwarding the read to the leader is up to the runtime.
     *
     * @param context an id chosen by the runtime, unique among this node's pending reads
     * @throws IllegalArgumentException if a read with this context is still pending (nothing changes)
     */
    public ProposeResult readIndex(long context) {
        if (role != Role.LEADER) {
            return new ProposeResult.NotLeader(leaderId);
        }
        if (reads.isPending(context) || readStates.stream().anyMatch(r -> r.context() == context)) {
            throw new IllegalArgumentException("a read with context " + context + " is already pending");
        }
        if (committedInCurrentTerm()) {
            // Steps 2 and 3: read index = commit index now, then one heartbeat round.
            reads.add(context, log.commitIndex());
            reads.release(readStates);
        } else {
            // Step 1: until an entry of its term is committed, the leader may not know the latest commit index.
            reads.awaitCommit(context);
        }
        return new ProposeResult.Accepted(0, currentTerm);
    }

    /**
     * The runtime's transfer of a snapshot to {@code peer}, asked for by an
     * {@link Message.InstallSnapshot} in a Ready, ended: {@code delivered} if the peer received it
     * whole, false if the transfer was abandoned (timeout, lost connection, leadership change). Every
     * request must be reported once; a report for a peer no longer waiting for one is ignored.
     */
    public void reportSnapshot(long peer, boolean delivered) {
        if (role == Role.LEADER) replication.snapshotReported(peer, delivered);
    }

    boolean committedInCurrentTerm() {
        return log.term(log.commitIndex()) == currentTerm;
    }

    // ---------------------------------------------------------------------------------------------
    // Outputs: Ready and advance
    // ---------------------------------------------------------------------------------------------

    /**
     * True if {@link #ready()} has something new to persist, send, apply or serve: something no
     * earlier Ready handed out, whether or not those were advanced.
     */
    public boolean hasReady() {
        return (role == Role.LEADER && replication.hasPending())
                || !outbox.isEmpty()
                || !readStates.isEmpty()
                || hardStateChanged()
                || log.hasSnapshotToInstall()
                || log.hasEntriesToPersist()
                || log.hasNextCommittedEntries();
    }

    /**
     * What to persist, send and apply now: everything not handed out by an earlier Ready. Every
     * Ready must be handed back to {@link #advance(Ready)} exactly once, in the order they were
     * returned; the next {@code ready()} may come before that (pipelined storage writes, see
     * {@link Ready}). {@link #step}, {@link #tick} and {@link #propose} may be called at any point.
     */
    public Ready ready() {
        if (role == Role.LEADER) replication.sendPending();
        HardState hardState = null;
        if (hardStateChanged()) {
            hardState = currentHardState();
            lastHardState = hardState;
        }
        SnapshotMetadata snapshot = log.snapshotToInstall();
        List<Entry> committed = log.nextCommittedEntries(config.maxBytesPerReady());
        Ready ready = new Ready(snapshot, hardState, log.entriesToPersist(), outbox, committed, role, leaderId,
                readStates);
        // Each thing is handed out exactly once: the Ready holds copies, the sources move on.
        outbox.clear();
        readStates.clear();
        log.acceptInProgress();
        if (!committed.isEmpty()) log.acceptApplying(committed.getLast().index());
        inFlight.addLast(ready);
        return ready;
    }

    /**
     * Confirms that {@code ready} was carried out: persisted, sent and applied. Readies are
     * advanced in the order {@link #ready()} returned them.
     *
     * @throws IllegalStateException if {@code ready} is not the oldest Ready not yet advanced (nothing changes)
     */
    public void advance(Ready ready) {
        if (ready == null || inFlight.peekFirst() != ready) {
            throw new IllegalStateException(inFlight.isEmpty()
                    ? "advance() without a Ready to advance: every Ready is advanced exactly once"
                    : "advance() must be given the oldest Ready not yet advanced (" + inFlight.size()
                            + " in flight): Readies are advanced in the order ready() returned them");
        }
        inFlight.removeFirst();
        if (ready.snapshot() != null) log.snapshotInstalled(ready.snapshot());
        if (!ready.entries().isEmpty()) {
            Entry last = ready.entries().getLast();
            log.stableTo(last.index(), last.term());
        }
        if (!ready.committedEntries().isEmpty()) {
            log.appliedTo(ready.committedEntries().getLast().index());
        }
        if (role == Role.LEADER) {
            // The leader's own copy counts towards the majority only once it is durable (thesis §10.2.1).
            replication.ownCopyPersisted(log.stableIndex());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Roles
    // ---------------------------------------------------------------------------------------------

    /** Rule (§5.1): a new term starts without a vote; whoever is not leading or campaigning follows. */
    void becomeFollower(long term, long leader) {
        if (term != currentTerm) {
            currentTerm = term;
            votedFor = NONE;
        }
        role = Role.FOLLOWER;
        leaderId = leader;
        election.reset();
        replication.reset();
        heartbeatElapsed = 0;
        resetElectionTimer();
    }

    void resetElectionTimer() {
        electionElapsed = 0;
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
    }

    /** A new leader's heartbeat period and check-quorum window start now. */
    void startLeaderTimers() {
        heartbeatElapsed = 0;
        electionElapsed = 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Log replication, follower side (§5.3)
    // ---------------------------------------------------------------------------------------------

    /** A current leader exists: (pre-)candidates step down; everyone restarts the election timer. */
    private void acknowledgeLeader(long leader) {
        if (role != Role.FOLLOWER) becomeFollower(currentTerm, leader);
        leaderId = leader;
        resetElectionTimer();
    }

    /**
     * Rule (Figure 2, AppendEntries receiver): accept only if our entry at prevLogIndex has
     * prevLogTerm; then delete a conflicting suffix, append what is new, and set
     * commitIndex = min(leaderCommit, index of last new entry). A rejection carries the hint for
     * fast backtracking (§5.3).
     */
    private void handleAppendEntries(Message.AppendEntries ae) {
        if (role == Role.LEADER) {
            dropMessage(); // two leaders in one term cannot happen; never let it touch the log
            return;
        }
        acknowledgeLeader(ae.from());
        if (ae.prevLogIndex() < log.commitIndex()) {
            // Everything up to our commit index is committed, so it matches the leader's log; this
            // also covers a prevLogIndex below our first index (compacted, hence committed).
            send(Message.AppendEntriesResponse.accepted(id, ae.from(), currentTerm, log.commitIndex()));
            return;
        }
        long lastNewIndex = log.maybeAppend(ae.prevLogIndex(), ae.prevLogTerm(), ae.leaderCommit(), ae.entries());
        if (lastNewIndex != RaftLog.MISMATCH) {
            send(Message.AppendEntriesResponse.accepted(id, ae.from(), currentTerm, lastNewIndex));
        } else {
            sendRejection(ae);
        }
    }

    /**
     * Rule (fast backtracking): tell the leader our term at prevLogIndex and the first index we
     * hold with that term, or our last index + 1 if we have no entry there, so it can skip a whole
     * term per round trip instead of one entry.
     */
    private void sendRejection(Message.AppendEntries ae) {
        long prev = ae.prevLogIndex();
        long conflictTerm = 0;
        long conflictIndex;
        if (prev > log.lastIndex()) {
            conflictIndex = log.lastIndex() + 1;
        } else {
            conflictTerm = log.term(prev);
            conflictIndex = prev;
            long floor = Math.max(log.firstIndex(), log.commitIndex() + 1);
            while (conflictIndex - 1 >= floor && log.term(conflictIndex - 1) == conflictTerm) {
                conflictIndex--;
            }
        }
        send(Message.AppendEntriesResponse.rejected(id, ae.from(), currentTerm, prev, conflictTerm, conflictIndex));
    }

    /** A heartbeat proves a live leader and may carry a commit index we can now trust. */
    private void handleHeartbeat(Message.Heartbeat hb) {
        if (role == Role.LEADER) {
            dropMessage();
            return;
        }
        acknowledgeLeader(hb.from());
        // The leader caps commit at our matchIndex, so these entries match its log.
        log.commitTo(Math.min(hb.commit(), log.lastIndex()));
        send(new Message.HeartbeatResponse(id, hb.from(), currentTerm, hb.context()));
    }

    /**
     * Rule (paper §7, InstallSnapshot receiver), once the runtime received the leader's snapshot
     * whole: one that covers no more than we know committed is stale (answer with our commit
     * index); one whose last entry our log holds adds only a commit index (keep the log, as the
     * paper says, and what follows it); any other replaces the log and the state machine, and the
     * next Ready carries it to install. The answer acknowledges the snapshot's last index, sent once
     * that Ready made it durable.
     */
    private void handleInstallSnapshot(Message.InstallSnapshot is) {
        if (role == Role.LEADER) {
            dropMessage(); // two leaders in one term cannot happen
            return;
        }
        acknowledgeLeader(is.from());
        long index = is.lastIncludedIndex();
        if (index <= log.commitIndex()) {
            send(Message.AppendEntriesResponse.accepted(id, is.from(), currentTerm, log.commitIndex()));
            return;
        }
        if (log.matchTerm(index, is.lastIncludedTerm())) {
            log.commitTo(index);
        } else {
            log.restore(new SnapshotMetadata(index, is.lastIncludedTerm()));
        }
        send(Message.AppendEntriesResponse.accepted(id, is.from(), currentTerm, index));
    }

    void send(Message m) {
        outbox.add(m);
    }

    /** Counts a message dropped as malformed or impossible from a correct peer. */
    void dropMessage() {
        droppedMessages++;
    }

    private boolean hardStateChanged() {
        HardState p = lastHardState;
        return currentTerm != p.currentTerm() || votedFor != p.votedFor() || log.commitIndex() != p.commitIndex();
    }

    private HardState currentHardState() {
        return new HardState(currentTerm, votedFor, log.commitIndex());
    }

    // ---------------------------------------------------------------------------------------------
    // Accessors
    // ---------------------------------------------------------------------------------------------

    public long id() {
        return id;
    }

    public Config config() {
        return config;
    }

    public Role role() {
        return role;
    }

    public long currentTerm() {
        return currentTerm;
    }

    public long votedFor() {
        return votedFor;
    }

    /** The leader of the current term as far as this node knows, or {@link #NONE}. */
    public long leaderId() {
        return leaderId;
    }

    public long commitIndex() {
        return log.commitIndex();
    }

    /** Index of the last entry handed out for applying and advanced. */
    public long appliedIndex() {
        return log.lastApplied();
    }

    public long firstIndex() {
        return log.firstIndex();
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    public long lastTerm() {
        return log.lastTerm();
    }

    /** Term of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()}. */
    public long term(long index) {
        if (!log.hasTerm(index)) {
            throw new IndexOutOfBoundsException("no entry at " + index + "; log holds [" + log.firstIndex() + ", "
                    + log.lastIndex() + "]");
        }
        return log.term(index);
    }

    /** This node's log in {@code [from, to)}, including entries not yet persisted. */
    public List<Entry> entries(long from, long to) {
        return log.entries(from, to, Long.MAX_VALUE);
    }

    /** The leader's view of {@code peer}'s replication, or null if this node is not leader or the peer unknown. */
    public ProgressView progress(long peer) {
        return replication.view(peer);
    }

    /** Readies returned by {@link #ready()} and not yet advanced. */
    public int readiesInFlight() {
        return inFlight.size();
    }

    /** Reads accepted by {@link #readIndex(long)} and not yet confirmed (0 unless leader). */
    public int pendingReads() {
        return reads.size();
    }

    /** Messages dropped as malformed, misaddressed or from unknown nodes, since start. */
    public long droppedMessages() {
        return droppedMessages;
    }

    public Status status() {
        return new Status(id, role, currentTerm, votedFor, leaderId, log.commitIndex(), log.lastApplied(),
                log.firstIndex(), log.lastIndex(), replication.views());
    }
}
