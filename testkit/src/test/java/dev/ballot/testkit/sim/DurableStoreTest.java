package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballot.raft.Entry;
import dev.ballot.raft.HardState;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurableStoreTest {

    private final DurableStore store = new DurableStore(1);

    @Test
    void hardStateOnlyMovesForward() {
        store.append(List.of(e(1, 1), e(2, 1)));
        store.saveHardState(new HardState(2, 3, 1));
        assertThatThrownBy(() -> store.saveHardState(new HardState(1, 0, 1))).hasMessageContaining("term decreased");
        assertThatThrownBy(() -> store.saveHardState(new HardState(2, 2, 1))).hasMessageContaining("Vote changed");
        assertThatThrownBy(() -> store.saveHardState(new HardState(2, 3, 0))).hasMessageContaining("commit index decreased");
        assertThatThrownBy(() -> store.saveHardState(new HardState(2, 3, 5))).hasMessageContaining("beyond durable log");
        store.saveHardState(new HardState(3, 0, 2)); // new term, no vote yet: fine
        assertThat(store.hardState()).isEqualTo(new HardState(3, 0, 2));
    }

    @Test
    void committedEntriesAreNeverOverwrittenOrCutOff() {
        store.append(List.of(e(1, 1), e(2, 1), e(3, 1)));
        store.saveHardState(new HardState(1, 0, 2));
        store.append(List.of(e(3, 2))); // beyond the commit index: may be replaced
        store.append(List.of(e(2, 1), e(3, 2), e(4, 2))); // re-writing a committed entry identically: fine
        assertThatThrownBy(() -> store.append(List.of(e(2, 2)))).hasMessageContaining("overwritten");
        assertThatThrownBy(() -> store.append(List.of(e(1, 1)))).hasMessageContaining("lost");
        assertThat(store.lastIndex()).isEqualTo(4);
    }

    @Test
    void prefixHashesFollowTruncation() {
        store.append(List.of(e(1, 1), e(2, 1), e(3, 1)));
        long h2 = store.prefixHash(2);
        long h3 = store.prefixHash(3);
        store.append(List.of(e(3, 2)));
        assertThat(store.prefixHash(2)).isEqualTo(h2);
        assertThat(store.prefixHash(3)).isNotEqualTo(h3);
        DurableStore other = new DurableStore(2);
        other.append(List.of(e(1, 1), e(2, 1), e(3, 2)));
        assertThat(other.prefixHash(3)).isEqualTo(store.prefixHash(3));
    }

    private static Entry e(long index, long term) {
        return Entry.command(index, term, ("v" + index + "@" + term).getBytes());
    }
}
