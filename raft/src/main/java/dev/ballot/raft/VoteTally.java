package dev.ballot.raft;

import java.util.HashMap;
import java.util.Map;

/** Votes received in one (pre-)election; each voter counts once, its first answer wins. */
final class VoteTally {

    enum Result { PENDING, WON, LOST }

    private final int voters;
    private final int quorum;
    private final Map<Long, Boolean> votes = new HashMap<>();

    VoteTally(int voters, int quorum) {
        this.voters = voters;
        this.quorum = quorum;
    }

    /** Records {@code from}'s answer (a duplicate is ignored) and returns the outcome so far. */
    Result record(long from, boolean granted) {
        votes.putIfAbsent(from, granted);
        return result();
    }

    Result result() {
        long granted = votes.values().stream().filter(g -> g).count();
        long rejected = votes.size() - granted;
        if (granted >= quorum) return Result.WON;
        if (rejected > voters - quorum) return Result.LOST;
        return Result.PENDING;
    }
}
