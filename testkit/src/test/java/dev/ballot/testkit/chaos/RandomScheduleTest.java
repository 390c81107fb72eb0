package dev.ballot.testkit.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomScheduleTest {

    private static final Duration LIMIT = Duration.ofSeconds(300);
    private static final Duration INTERVAL = Duration.ofSeconds(4);

    @Test
    void theSameSeedDrawsTheSamePlan() {
        List<FaultFamily> all = List.of(FaultFamily.values());
        assertThat(RandomSchedule.generate(5, all, LIMIT, INTERVAL)).isEqualTo(RandomSchedule.generate(5, all, LIMIT, INTERVAL));
        assertThat(RandomSchedule.generate(5, all, LIMIT, INTERVAL)).isNotEqualTo(RandomSchedule.generate(6, all, LIMIT, INTERVAL));
    }

    @Test
    void faultsComeOneAtATimeWithinTheTimeLimitAndEachEndsWithItsOwnRemedy() {
        List<Step> steps = RandomSchedule.generate(11, List.of(FaultFamily.values()), LIMIT, INTERVAL);
        assertThat(steps.size()).isEven().isGreaterThan(20);
        for (int i = 0; i < steps.size(); i += 2) {
            Step start = steps.get(i);
            Step end = steps.get(i + 1);
            assertThat(start.action().starts()).isTrue();
            assertThat(end.action()).isEqualTo(FaultAction.endOf(start.action().family()));
            assertThat(end.atMillis()).isGreaterThan(start.atMillis()).isLessThanOrEqualTo(LIMIT.toMillis());
            assertThat(end.atMillis() - start.atMillis()).isGreaterThanOrEqualTo(Math.min(1000, LIMIT.toMillis() - start.atMillis()));
            if (i + 2 < steps.size()) assertThat(steps.get(i + 2).atMillis()).isGreaterThan(end.atMillis());
        }
        assertThat(steps.getFirst().atMillis()).isEqualTo(INTERVAL.toMillis());
        // Over 300 s every family and every partition shape comes up.
        assertThat(steps).extracting(Step::action).contains(FaultAction.KILL, FaultAction.KILL_LEADER, FaultAction.PAUSE,
                FaultAction.PAUSE_LEADER, FaultAction.PARTITION_LEADER, FaultAction.PARTITION_RANDOM, FaultAction.PARTITION_BRIDGE,
                FaultAction.PARTITION_RING, FaultAction.LOSS, FaultAction.DELAY);
    }

    @Test
    void onlyTheChosenFamiliesAreDrawnAndLossAndDelayStayInRange() {
        List<Step> steps = RandomSchedule.generate(3, List.of(FaultFamily.LOSS, FaultFamily.DELAY), LIMIT, INTERVAL);
        assertThat(steps).extracting(Step::action).containsOnly(FaultAction.LOSS, FaultAction.DELAY, FaultAction.CLEAR);
        for (Step step : steps) {
            if (step.action() == FaultAction.LOSS) assertThat(step.lossProbability()).isBetween(0.10, 0.30);
            if (step.action() == FaultAction.DELAY) {
                assertThat(step.delayRangeMillis()[0]).isBetween(5L, 15L);
                assertThat(step.delayRangeMillis()[1]).isBetween(30L, 50L);
            }
        }
        assertThat(RandomSchedule.generate(3, List.of(), LIMIT, INTERVAL)).isEmpty();
    }

    @Test
    void aDrawnPlanPrintsAsTextThatParsesBackToItself() {
        List<Step> steps = RandomSchedule.generate(99, List.of(FaultFamily.values()), LIMIT, INTERVAL);
        assertThat(Plan.parse(Plan.format(steps))).isEqualTo(steps);
    }

    @Test
    void rejectsANonPositiveInterval() {
        assertThatThrownBy(() -> RandomSchedule.generate(1, List.of(FaultFamily.KILL), LIMIT, Duration.ZERO))
                .hasMessageContaining("interval must be positive");
    }
}
