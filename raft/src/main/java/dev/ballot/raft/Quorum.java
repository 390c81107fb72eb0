package dev.ballot.raft;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * Whose agreement is enough: a strict majority of the voters (paper §5.2, §5.3), so that any two
 * quorums share a member. This is the one place that decides it, for winning an election
 * ({@link #tally}), committing entries ({@link #committedIndex} over matchIndex), confirming
 * ReadIndex rounds ({@link #committedIndex} over the rounds each voter answered) and check-quorum
 * ({@link #isQuorum}). Joint consensus (paper §6) needs a majority of two configurations at once;
 * it replaces this class, not the code that asks it.
 *
 * <p>Only voters count: an id that is not one of them never adds to a quorum.
 */
final class Quorum {

    enum VoteResult { PENDING, WON, LOST }

    /** Sorted, so that iterating them is the same in every run. */
    private final long[] voters;
    private final int majority;
    /** Scratch space for {@link #committedIndex}, which runs on every acknowledgement. */
    private final long[] scratch;

    Quorum(Set<Long> voters) {
        if (voters.isEmpty()) throw new IllegalArgumentException("a quorum needs at least one voter");
        this.voters = voters.stream().mapToLong(Long::longValue).sorted().toArray();
        this.majority = majority(this.voters.length);
        this.scratch = new long[this.voters.length];
    }

    /** The size of a strict majority of {@code voters} voters. */
    static int majority(int voters) {
        return voters / 2 + 1;
    }

    /** How many voters make a quorum. */
    int majority() {
        return majority;
    }

    private boolean reached(int agreeing) {
        return agreeing >= majority;
    }

    /** True if the voters among {@code acks} form a quorum. */
    boolean isQuorum(Set<Long> acks) {
        int agreeing = 0;
        for (long v : voters) {
            if (acks.contains(v)) agreeing++;
        }
        return reached(agreeing);
    }

    /**
     * The outcome of an election given the answers so far ({@code true} = granted): WON once a
     * quorum granted, LOST once the voters that did not refuse can no longer form one.
     */
    VoteResult tally(Map<Long, Boolean> votes) {
        int granted = 0;
        int refused = 0;
        for (long v : voters) {
            Boolean vote = votes.get(v);
            if (vote == null) continue;
            if (vote) {
                granted++;
            } else {
                refused++;
            }
        }
        if (reached(granted)) return VoteResult.WON;
        if (!reached(voters.length - refused)) return VoteResult.LOST;
        return VoteResult.PENDING;
    }

    /**
     * The highest index a quorum has reached: the largest {@code i} such that the voters with
     * {@code matchOf(voter) >= i} form a quorum. Over matchIndex that is the last index stored on a
     * majority (§5.3); over the read rounds each voter confirmed, the last round a majority confirmed.
     */
    long committedIndex(LongUnaryOperator matchOf) {
        int n = voters.length;
        for (int i = 0; i < n; i++) scratch[i] = matchOf.applyAsLong(voters[i]);
        Arrays.sort(scratch, 0, n);
        // Ascending order: the value at n - majority and the majority - 1 above it are all >= it.
        return scratch[n - majority];
    }
}
