package dev.ballot.raft;

/**
 * Leader election (paper §5.2, §5.4.1) with pre-vote (thesis §9.6): campaigning, both sides of
 * RequestVote, counting the votes, and becoming (pre-)candidate and leader.
 *
 * <p>Part of one {@link RaftNode}: it changes that node's currentTerm, votedFor and role. The rules
 * every message obeys first (a higher or a lower term, §5.1) stay in {@link RaftNode#step}, so a
 * vote request arrives here only in the current term (or, for a pre-vote, about the next one).
 */
final class Election {

    private final RaftNode node;
    private final LeaderReplication replication;
    /** Answers in the current (pre-)election; null while not campaigning. */
    private VoteTally votes;

    Election(RaftNode node, LeaderReplication replication) {
        this.node = node;
        this.replication = replication;
    }

    /** Forgets the votes of an election this node no longer runs (it became follower). */
    void reset() {
        votes = null;
    }

    /**
     * Rule (§5.2, thesis §9.6): start an election. A pre-vote asks whether a majority would vote
     * for us in the next term without bumping ours, so a node that cannot win (say, cut off from
     * the others) does not disrupt the cluster with ever higher terms.
     */
    void campaign(boolean preVote) {
        long voteTerm;
        if (preVote) {
            becomePreCandidate();
            voteTerm = node.currentTerm + 1;
        } else {
            becomeCandidate();
            voteTerm = node.currentTerm;
        }
        // Vote for self; a single-node cluster wins at once.
        if (votes.record(node.id, true) == Quorum.VoteResult.WON) {
            wonElection(preVote);
            return;
        }
        RaftLog log = node.log;
        for (long peer : node.config.voters()) {
            if (peer != node.id) {
                node.send(new Message.RequestVote(node.id, peer, voteTerm, log.lastIndex(), log.lastTerm(), preVote));
            }
        }
    }

    private void becomePreCandidate() {
        // Pre-vote changes neither currentTerm nor votedFor (thesis §9.6).
        node.role = Role.PRE_CANDIDATE;
        node.leaderId = RaftNode.NONE;
        votes = new VoteTally(node.quorum);
        node.resetElectionTimer();
    }

    /** Rule (§5.2): a candidate increments currentTerm and votes for itself. */
    private void becomeCandidate() {
        node.currentTerm++;
        node.votedFor = node.id;
        node.role = Role.CANDIDATE;
        node.leaderId = RaftNode.NONE;
        votes = new VoteTally(node.quorum);
        node.resetElectionTimer();
    }

    private void wonElection(boolean preVote) {
        if (preVote) {
            campaign(false);
        } else {
            becomeLeader();
        }
    }

    /** Rule (§5.4.2, §8): a new leader appends an empty entry of its own term at once. */
    private void becomeLeader() {
        node.role = Role.LEADER;
        node.leaderId = node.id;
        votes = null;
        node.startLeaderTimers();
        replication.becomeLeader();
        // Entries of earlier terms commit only along with one of ours (Figure 8): this NOOP.
        node.log.append(Entry.noop(node.log.lastIndex() + 1, node.currentTerm));
        replication.scheduleBroadcast();
    }

    /**
     * Rule (§5.2, §5.4.1): grant at most one vote per term, and only to a candidate whose log is
     * at least as up-to-date as ours. A pre-vote for a later term is granted on the log check alone
     * (no vote is recorded), unless we still follow a live leader (see {@code RaftNode.stepHigherTerm}).
     */
    void handleRequestVote(Message.RequestVote rv) {
        boolean canVote = node.votedFor == rv.from()
                || (node.votedFor == RaftNode.NONE && node.leaderId == RaftNode.NONE)
                || (rv.preVote() && rv.term() > node.currentTerm);
        if (canVote && node.log.isUpToDate(rv.lastLogIndex(), rv.lastLogTerm())) {
            // A granted pre-vote answers in the term asked about, so the pre-candidate can count it.
            node.send(new Message.RequestVoteResponse(node.id, rv.from(), rv.term(), true, rv.preVote()));
            if (!rv.preVote()) {
                node.votedFor = rv.from();
                node.resetElectionTimer();
            }
        } else {
            node.send(new Message.RequestVoteResponse(node.id, rv.from(), node.currentTerm, false, rv.preVote()));
        }
    }

    /** Rule: a (pre-)candidate wins on a majority of the voters, itself included, and gives up on a majority against. */
    void handleRequestVoteResponse(Message.RequestVoteResponse r) {
        Role role = node.role;
        boolean expected = (role == Role.PRE_CANDIDATE && r.preVote()) || (role == Role.CANDIDATE && !r.preVote());
        if (!expected) return;
        switch (votes.record(r.from(), r.voteGranted())) {
            case WON -> wonElection(r.preVote());
            case LOST -> node.becomeFollower(node.currentTerm, RaftNode.NONE);
            case PENDING -> { }
        }
    }
}
