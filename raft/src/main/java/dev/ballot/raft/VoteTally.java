package dev.ballot.raft;

import java.util.HashMap;
import java.util.Map;

/** Votes received in one (pre-)election; each voter counts once, its first answer wins. */
final class VoteTally {

    private final Quorum quorum;
    private final Map<Long, Boolean> votes = new HashMap<>();

    VoteTally(Quorum quorum) {
        this.quorum = quorum;
    }

    /** Records {@code from}'s answer (a duplicate is ignored) and returns the outcome so far. */
    Quorum.VoteResult record(long from, boolean granted) {
        votes.putIfAbsent(from, granted);
        return quorum.tally(votes);
    }
}
