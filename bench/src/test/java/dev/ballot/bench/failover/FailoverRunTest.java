package dev.ballot.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballot.server.NodeStatusView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverRunTest {

    private static NodeStatusView status(long id, String role, long term, long leader, long commit, long applied) {
        return new NodeStatusView(id, role, term, leader, commit, applied, 1, commit, List.of(1L, 2L, 3L), null);
    }

    @Test
    void agreementNeedsEveryNodeOneLeaderAndOneTerm() {
        Map<Long, NodeStatusView> agreed = Map.of(
                1L, status(1, "follower", 4, 2, 90, 88),
                2L, status(2, "leader", 4, 2, 100, 100),
                3L, status(3, "follower", 4, 2, 95, 95));
        assertThat(FailoverRun.agreement(agreed, 3)).contains(new FailoverRun.Leadership(2, 4, 100));

        // a node missing
        assertThat(FailoverRun.agreement(Map.of(1L, agreed.get(1L), 2L, agreed.get(2L)), 3)).isEmpty();
        // a follower that has not heard of the new leader yet
        assertThat(FailoverRun.agreement(Map.of(1L, status(1, "follower", 3, 5, 90, 90), 2L, agreed.get(2L),
                3L, agreed.get(3L)), 3)).isEmpty();
        // a follower in a later term (an election under way)
        assertThat(FailoverRun.agreement(Map.of(1L, status(1, "candidate", 5, 0, 90, 90), 2L, agreed.get(2L),
                3L, agreed.get(3L)), 3)).isEmpty();
        // no leader, or two
        assertThat(FailoverRun.agreement(Map.of(1L, status(1, "follower", 4, 0, 1, 1), 2L, status(2, "follower", 4, 0, 1, 1),
                3L, status(3, "pre_candidate", 4, 0, 1, 1)), 3)).isEmpty();
        assertThat(FailoverRun.agreement(Map.of(1L, status(1, "leader", 3, 1, 1, 1), 2L, agreed.get(2L),
                3L, agreed.get(3L)), 3)).isEmpty();
    }
}
