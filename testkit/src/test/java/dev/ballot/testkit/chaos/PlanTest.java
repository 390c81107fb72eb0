package dev.ballot.testkit.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanTest {

    @Test
    void parsesStepsWithArgumentsAndUnitsInTimeOrder() {
        List<Step> steps = Plan.parse("heal@6s, kill-leader@2s,loss:0.3@1500ms,delay:10-30@1.5s,pause:2@1m,partition-ring@8s");
        assertThat(steps).containsExactly(
                new Step(1500, FaultAction.LOSS, "0.3"),
                new Step(1500, FaultAction.DELAY, "10-30"),
                new Step(2000, FaultAction.KILL_LEADER, null),
                new Step(6000, FaultAction.HEAL, null),
                new Step(8000, FaultAction.PARTITION_RING, null),
                new Step(60_000, FaultAction.PAUSE, "2"));
        assertThat(steps.get(1).delayRangeMillis()).containsExactly(10, 30);
        assertThat(steps.getLast().node()).isEqualTo(2L);
    }

    @Test
    void formatsBackToTheSameSteps() {
        String text = "kill@2s,restart@6s,partition-bridge@8s,heal@8500ms,loss:0.25@9s,clear@10s";
        assertThat(Plan.format(Plan.parse(text))).isEqualTo(text);
    }

    @Test
    void defaultsForLossAndDelay() {
        assertThat(Plan.parse("loss@1s").getFirst().lossProbability()).isEqualTo(0.2);
        assertThat(Plan.parse("delay@1s").getFirst().delayRangeMillis()).containsExactly(5, 50);
    }

    @Test
    void rejectsBadStepsWithAMessageNamingThem() {
        assertThatThrownBy(() -> Plan.parse("explode@2s")).hasMessageContaining("unknown nemesis action 'explode'").hasMessageContaining("kill-leader");
        assertThatThrownBy(() -> Plan.parse("kill")).hasMessageContaining("bad plan step 'kill'");
        assertThatThrownBy(() -> Plan.parse("kill@2h")).hasMessageContaining("bad plan step");
        assertThatThrownBy(() -> Plan.parse("loss:1.5@2s")).hasMessageContaining("loss must be in (0, 1]");
        assertThatThrownBy(() -> Plan.parse("delay:30-10@2s")).hasMessageContaining("MIN <= MAX");
        assertThatThrownBy(() -> Plan.parse("delay:30@2s")).hasMessageContaining("MIN-MAX");
        assertThatThrownBy(() -> Plan.parse("kill:x@2s")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Plan.parse("heal:3@2s")).hasMessageContaining("heal takes no argument");
        assertThatThrownBy(() -> Plan.parse(" , ")).hasMessageContaining("no steps");
    }
}
