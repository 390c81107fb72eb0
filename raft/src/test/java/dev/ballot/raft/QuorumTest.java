package dev.ballot.raft;

import static dev.ballot.raft.TestNode.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ballot.raft.Message.AppendEntries;
import dev.ballot.raft.Message.HeartbeatResponse;
import dev.ballot.raft.Message.RequestVoteResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Quorums (paper §5.2, §5.3): a strict majority of the voters, the same for winning an election,
 * committing an entry, confirming a ReadIndex round and check-quorum. {@link Quorum} is the one
 * place that decides it; the last test shows the engine asks it for all four decisions.
 */
class QuorumTest {

    /** "1 2 3" as a set of ids; empty (or absent) is the empty set. */
    static Set<Long> ids(String s) {
        if (s == null || s.isBlank()) return Set.of();
        return Arrays.stream(s.trim().split("\\s+")).map(Long::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest(name = "{0} voters -> majority {1}")
    @CsvSource({"1, 1", "2, 2", "3, 2", "4, 3", "5, 3", "6, 4", "7, 4"})
    void aQuorumIsAStrictMajority(int voters, int majority) {
        Set<Long> all = new TreeSet<>(TestNode.ids(voters));
        assertThat(new Quorum(all).majority()).isEqualTo(majority);
        assertThat(Config.of(1, all).quorum()).as("Config agrees").isEqualTo(majority);
    }

    @ParameterizedTest(name = "voters [{0}], acks [{1}] -> {2}")
    @CsvSource(delimiter = ';', value = {
            "1;         1;         true",
            "1;         ;          false",
            "1 2;       1;         false",
            "1 2 3;     1 2;       true",
            "1 2 3;     3;         false",
            "1 2 3 4;   1 2;       false", // half is not a majority
            "1 2 3 4;   1 2 4;     true",
            "1 2 3 4 5; 2 4 5;     true",
            "1 2 3;     1 7 8 9;   false", // only voters count
    })
    void isQuorumCountsTheVotersAmongTheAcks(String voters, String acks, boolean quorum) {
        assertThat(new Quorum(ids(voters)).isQuorum(ids(acks))).isEqualTo(quorum);
    }

    @ParameterizedTest(name = "voters [{0}], granted [{1}], refused [{2}] -> {3}")
    @CsvSource(delimiter = ';', value = {
            "1;         1;     ;       WON",
            "1 2;       1;     ;       PENDING",
            "1 2;       1;     2;      LOST",
            "1 2 3;     1;     ;       PENDING",
            "1 2 3;     1 3;   2;      WON",
            "1 2 3;     1;     2;      PENDING",
            "1 2 3;     1;     2 3;    LOST",
            "1 2 3 4;   1 2;   3;      PENDING", // 4 can still make it 3 of 4
            "1 2 3 4;   1;     2 3;    LOST",    // at most 2 of 4 left
            "1 2 3 4 5; 1 8 9; ;       PENDING", // only voters count
    })
    void tallyWinsOnAQuorumAndLosesWhenNoneIsLeft(String voters, String granted, String refused,
                                                  Quorum.VoteResult result) {
        Map<Long, Boolean> votes = new HashMap<>();
        for (long v : ids(granted)) votes.put(v, true);
        for (long v : ids(refused)) votes.put(v, false);
        assertThat(new Quorum(ids(voters)).tally(votes)).isEqualTo(result);
    }

    @ParameterizedTest(name = "matchIndex {0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "7;          7",
            "5 3;        3",
            "5 3 4;      4",
            "5 3 4 1;    3",
            "0 0 9 9 9;  9",
            "9 9 0 0 1;  1",
            "2 2 2 2 2 2; 2",
    })
    void committedIndexIsTheHighestIndexAQuorumHasReached(String matches, long committed) {
        long[] m = Arrays.stream(matches.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
        Quorum q = new Quorum(new TreeSet<>(TestNode.ids(m.length)));
        assertThat(q.committedIndex(voter -> m[(int) voter - 1])).isEqualTo(committed);
    }

    /**
     * Every assignment of 0..3 to up to 5 voters, and every mix of granted, refused and missing
     * votes: committedIndex and tally say exactly what isQuorum says about the same voters.
     */
    @Test
    void committedIndexAndTallyAgreeWithIsQuorumEverywhere() {
        for (int n = 1; n <= 5; n++) {
            List<Long> voters = TestNode.ids(n);
            Quorum q = new Quorum(new TreeSet<>(voters));
            int cases = (int) Math.pow(4, n);
            for (int c = 0; c < cases; c++) {
                long[] value = new long[n];
                for (int i = 0, x = c; i < n; i++, x /= 4) value[i] = x % 4;

                long highest = 0;
                for (long index = 0; index <= 3; index++) {
                    Set<Long> reached = new HashSet<>();
                    for (int i = 0; i < n; i++) if (value[i] >= index) reached.add(voters.get(i));
                    if (q.isQuorum(reached)) highest = index;
                }
                assertThat(q.committedIndex(v -> value[(int) v - 1])).as("%d voters at %s", n, Arrays.toString(value))
                        .isEqualTo(highest);

                // 0 = no answer yet, 1 = granted, 2 = refused (3 counts as no answer too).
                Map<Long, Boolean> votes = new HashMap<>();
                Set<Long> granted = new HashSet<>();
                Set<Long> notRefused = new HashSet<>(voters);
                for (int i = 0; i < n; i++) {
                    if (value[i] == 1) {
                        votes.put(voters.get(i), true);
                        granted.add(voters.get(i));
                    } else if (value[i] == 2) {
                        votes.put(voters.get(i), false);
                        notRefused.remove(voters.get(i));
                    }
                }
                Quorum.VoteResult expected = q.isQuorum(granted) ? Quorum.VoteResult.WON
                        : !q.isQuorum(notRefused) ? Quorum.VoteResult.LOST : Quorum.VoteResult.PENDING;
                assertThat(q.tally(votes)).as("%d voters, votes %s", n, votes).isEqualTo(expected);
            }
        }
    }

    @Test
    void aQuorumOfNobodyIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Quorum(Set.of()));
    }

    // ---------------------------------------------------------------- one majority for every decision

    /**
     * Node 1 of {1..size} with {@code agreeing} peers on its side (the rest silent): it wins the
     * election, commits its NOOP, confirms a read and survives check-quorum exactly when
     * {@code agreeing + 1} is a majority. Even sizes are where an off-by-one would show.
     */
    @ParameterizedTest(name = "{0} nodes, {1} peers agree -> enough {2}")
    @CsvSource({
            "2, 0, false", "2, 1, true",
            "3, 0, false", "3, 1, true",
            "4, 1, false", "4, 2, true",
            "5, 1, false", "5, 2, true",
            "6, 2, false", "6, 3, true",
    })
    void theSameMajorityWinsElectionsCommitsConfirmsReadsAndKeepsTheLeader(int size, int agreeing, boolean enough) {
        // Election.
        TestNode candidate = TestNode.create(config(1, size).withPreVote(false), HardState.INITIAL);
        candidate.tickUntil(r -> r.role() == Role.CANDIDATE);
        long term = candidate.raft.currentTerm();
        for (long peer = 2; peer < 2 + agreeing; peer++) candidate.step(new RequestVoteResponse(peer, 1, term, true, false));
        assertThat(candidate.raft.role()).as("elected").isEqualTo(enough ? Role.LEADER : Role.CANDIDATE);

        // Commitment: the NOOP 3@2 of a new leader.
        List<Message> sent = new ArrayList<>();
        TestNode leader = ReadIndexTest.newLeader(size, sent);
        for (long peer = 2; peer < 2 + agreeing; peer++) leader.step(Msgs.ack(Msgs.single(sent, AppendEntries.class, peer)));
        assertThat(leader.raft.commitIndex()).as("NOOP committed").isEqualTo(enough ? 3 : 2);

        // ReadIndex: one heartbeat round.
        TestNode reader = ReadIndexTest.leaderWithCommittedNoop(size);
        reader.raft.readIndex(7);
        long round = ReadIndexTest.heartbeatRound(reader.drain(), size - 1);
        for (long peer = 2; peer < 2 + agreeing; peer++) reader.step(ReadIndexTest.answer(reader, peer, round));
        assertThat(reader.readStates).as("read confirmed").isEqualTo(enough ? List.of(new ReadState(7, 3)) : List.of());

        // Check-quorum: who answered within the first election timeout.
        List<Message> ignored = new ArrayList<>();
        TestNode lonely = ReadIndexTest.newLeader(size, ignored);
        lonely.tick(Config.DEFAULT_ELECTION_TICKS - 1);
        for (long peer = 2; peer < 2 + agreeing; peer++) lonely.step(new HeartbeatResponse(peer, 1, 2, 0));
        lonely.tick(1);
        assertThat(lonely.raft.role()).as("still leading after check-quorum").isEqualTo(enough ? Role.LEADER : Role.FOLLOWER);
    }
}
