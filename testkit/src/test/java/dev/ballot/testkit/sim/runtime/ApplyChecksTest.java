package dev.ballot.testkit.sim.runtime;

import dev.ballot.raft.EntryType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each rule of {@link ApplyChecks}, against a committed log of commands at 1, 2, 4 and a no-op at 3 (all term 1). */
class ApplyChecksTest {

    private final Map<Long, CommittedEntry> log = new HashMap<>();
    private final ApplyChecks checks = new ApplyChecks(log::get);

    ApplyChecksTest() {
        for (long i : new long[] {1, 2, 4}) log.put(i, new CommittedEntry(1, EntryType.COMMAND, command(i), 1));
        log.put(3L, new CommittedEntry(1, EntryType.NOOP, new byte[0], 1));
        checks.newIncarnation(7);
    }

    private static byte[] command(long i) {
        return ("SET k " + i).getBytes();
    }

    private static RecordingStateMachine.Applied applied(long index) {
        return new RecordingStateMachine.Applied(index, command(index), 1, false);
    }

    @Test
    void everyCommandInOrderOnceAcrossChecksPasses() {
        checks.check(7, List.of(applied(1), applied(2)), 2, 2);
        checks.check(7, List.of(applied(4)), 4, 4); // the no-op at 3 is not the state machine's
        checks.check(7, List.of(), 4, 4);
        checks.newIncarnation(7); // a restart re-applies from the start
        checks.check(7, List.of(applied(1)), 4, 1);
    }

    @Test
    void aCommandAppliedTwiceIsCaught() {
        checks.check(7, List.of(applied(1), applied(2)), 2, 2);
        assertThatThrownBy(() -> checks.check(7, List.of(applied(2)), 2, 2))
                .isInstanceOfSatisfying(RuntimeViolation.class, v -> assertThat(v.check()).isEqualTo("applied twice"));
    }

    @Test
    void aSkippedCommandIsCaughtWhetherTheNextOneOrTheAppliedIndexPassesIt() {
        assertThatThrownBy(() -> checks.check(7, List.of(applied(2)), 2, 2))
                .isInstanceOfSatisfying(RuntimeViolation.class, v -> assertThat(v.getMessage())
                        .contains("did not apply the command committed at index 1"));
        ApplyChecks other = new ApplyChecks(log::get);
        other.newIncarnation(7);
        assertThatThrownBy(() -> other.check(7, List.of(applied(1)), 4, 4))
                .isInstanceOfSatisfying(RuntimeViolation.class, v -> assertThat(v.getMessage())
                        .contains("committed at index 2"));
    }

    @Test
    void applyingPastTheCommitIndexIsCaught() {
        assertThatThrownBy(() -> checks.check(7, List.of(applied(1), applied(2)), 1, 2))
                .isInstanceOfSatisfying(RuntimeViolation.class, v -> assertThat(v.check()).isEqualTo("applied past commit"));
    }

    @Test
    void anotherCommandThanTheCommittedOneIsCaught() {
        RecordingStateMachine.Applied wrong = new RecordingStateMachine.Applied(1, command(9), 1, false);
        assertThatThrownBy(() -> checks.check(7, List.of(wrong), 1, 1))
                .isInstanceOfSatisfying(RuntimeViolation.class, v -> assertThat(v.check()).isEqualTo("state machine safety"));
    }

    @Test
    void applyingAnEntryTheDiskDoesNotHoldIsCaught() {
        RecordingStateMachine.Applied unsynced = new RecordingStateMachine.Applied(1, command(1), 0, false);
        assertThatThrownBy(() -> checks.check(7, List.of(unsynced), 1, 1))
                .isInstanceOfSatisfying(RuntimeViolation.class, v -> assertThat(v.getMessage())
                        .contains("apply before persist").contains("held no entry"));
    }

    @Test
    void aCommandCommittedAtASecondIndexIsCaught() {
        checks.newlyCommitted(1, log.get(1L));
        checks.newlyCommitted(3, log.get(3L));
        checks.newlyCommitted(5, log.get(3L)); // no-ops may repeat
        assertThatThrownBy(() -> checks.newlyCommitted(6, log.get(1L)))
                .isInstanceOfSatisfying(RuntimeViolation.class, v -> assertThat(v.getMessage())
                        .contains("committed at index 1 is committed again at index 6").contains("SET k 1"));
    }
}
