package dev.ballot.testkit.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionCutsTest {

    private static final List<Long> FIVE = List.of(1L, 2L, 3L, 4L, 5L);

    @Test
    void cutsExactlyTheLinksBetweenDifferentSides() {
        assertThat(PartitionCuts.of(FIVE, List.of(Set.of(1L, 2L), Set.of(3L, 4L, 5L))))
                .hasSize(12) // 2 * 3 pairs, both directions
                .contains(new DirectedLink(1, 3), new DirectedLink(5, 2))
                .doesNotContain(new DirectedLink(1, 2), new DirectedLink(3, 5));
    }

    @Test
    void aNodeInNoSideIsCutFromEveryone() {
        assertThat(PartitionCuts.of(List.of(1L, 2L, 3L), List.of(Set.of(1L, 2L))))
                .containsExactly(new DirectedLink(1, 3), new DirectedLink(2, 3), new DirectedLink(3, 1),
                        new DirectedLink(3, 2));
        assertThat(PartitionCuts.of(List.of(1L, 2L), List.of())).hasSize(2);
    }

    @Test
    void oneSideWithEveryoneCutsNothing() {
        assertThat(PartitionCuts.of(FIVE, List.of(Set.copyOf(FIVE)))).isEmpty();
    }

    @Test
    void rejectsANodeOnTwoSidesAndUnknownNodes() {
        assertThatThrownBy(() -> PartitionCuts.of(FIVE, List.of(Set.of(1L, 2L), Set.of(2L, 3L))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 2 is on two sides");
        assertThatThrownBy(() -> PartitionCuts.of(FIVE, List.of(Set.of(9L))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 9");
    }
}
