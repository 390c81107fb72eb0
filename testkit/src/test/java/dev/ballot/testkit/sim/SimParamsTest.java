package dev.ballot.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The persistence modes a simulation can be given, and the ones it refuses. */
class SimParamsTest {

    @Test
    void pipelinedPersistenceIsAsynchronousWithSeveralReadiesInFlight() {
        SimParams p = SimParams.of(1, 3).withPipelinedPersistence(3, 4, 0.01);
        assertThat(p.asyncReady()).isTrue();
        assertThat(p.maxReadiesInFlight()).isEqualTo(4);
        assertThat(p.maxPersistDelayMillis()).isEqualTo(3);
        assertThat(p.withPersistence(2, true, 0).maxReadiesInFlight()).as("one at a time again").isEqualTo(1);
    }

    @Test
    void badReadyCountsAreRefusedWithTheirName() {
        assertThatIllegalArgumentException().isThrownBy(() -> SimParams.of(1, 3).withPipelinedPersistence(1, 0, 0))
                .withMessageContaining("maxReadiesInFlight");
        SimParams sync = SimParams.of(1, 3);
        assertThatIllegalArgumentException().isThrownBy(() -> new SimParams(1, 3, 10, sync.engine(), 1, false, 2,
                sync.network(), 0, 50, Sabotage.NONE, 0, null)).withMessageContaining("needs asyncReady");
    }
}
