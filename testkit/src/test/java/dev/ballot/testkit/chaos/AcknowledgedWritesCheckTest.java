package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.Event;
import dev.ballot.testkit.lin.EventType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AcknowledgedWritesCheckTest {

    /** Builds a history with explicit times. */
    private static final class Recorder {
        final List<Event> events = new ArrayList<>();

        Recorder op(int process, String f, String key, String value, EventType outcome, long invoked, long completed) {
            events.add(new Event(process, EventType.INVOKE, f, key, value, null, invoked));
            if (outcome != null) events.add(new Event(process, outcome, f, key, value, null, completed));
            events.sort((a, b) -> Long.compare(a.time(), b.time()));
            return this;
        }
    }

    private static Map<String, String> finals(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) map.put(keyValues[i], keyValues[i + 1]);
        return map;
    }

    @Test
    void registerPassesWhenTheFinalValueWasWritten() {
        Recorder h = new Recorder().op(0, "write", "r0", "1", EventType.OK, 0, 1).op(1, "write", "r0", "2", EventType.INFO, 2, 3);
        assertThat(AcknowledgedWritesCheck.check("register", h.events, finals("r0", "1")).passed()).isTrue();
        // An indeterminate write may have happened.
        assertThat(AcknowledgedWritesCheck.check("register", h.events, finals("r0", "2")).passed()).isTrue();
    }

    @Test
    void registerFailsOnAValueNobodyWroteOrALostKey() {
        Recorder h = new Recorder().op(0, "write", "r0", "1", EventType.OK, 0, 1).op(1, "cas", "r0", "3", EventType.FAIL, 2, 3);
        CheckOutcome invented = AcknowledgedWritesCheck.check("register", h.events, finals("r0", "3"));
        assertThat(invented.status()).isEqualTo(CheckOutcome.Status.FAIL);
        assertThat(invented.detail()).contains("r0 holds 3, which no write or cas on it wrote");
        CheckOutcome lost = AcknowledgedWritesCheck.check("register", h.events, finals("r0", null));
        assertThat(lost.detail()).contains("r0 reads absent after the acknowledged write of 1");
    }

    @Test
    void registerMayReadAbsentWhenNothingWasAcknowledged() {
        Recorder h = new Recorder().op(0, "write", "r0", "1", EventType.INFO, 0, 1).op(1, "write", "r0", "2", null, 2, 0);
        assertThat(AcknowledgedWritesCheck.check("register", h.events, finals("r0", null)).passed()).isTrue();
    }

    @Test
    void multiKeyFailsWhenAnAcknowledgedAppendIsMissing() {
        Recorder h = new Recorder().op(0, "append", "k0", "1,", EventType.OK, 0, 1).op(1, "append", "k0", "2,", EventType.OK, 2, 3)
                .op(2, "append", "k0", "3,", EventType.FAIL, 4, 5);
        assertThat(AcknowledgedWritesCheck.check("multi-key", h.events, finals("k0", "1,2,")).passed()).isTrue();
        CheckOutcome lost = AcknowledgedWritesCheck.check("multi-key", h.events, finals("k0", "2,"));
        assertThat(lost.status()).isEqualTo(CheckOutcome.Status.FAIL);
        assertThat(lost.detail()).contains("k0 lost the acknowledged append 1,");
        CheckOutcome invented = AcknowledgedWritesCheck.check("multi-key", h.events, finals("k0", "1,2,3,"));
        assertThat(invented.detail()).contains("k0 holds token 3, which no put or append on it wrote");
    }

    @Test
    void multiKeyLetsALaterPutOverwriteAnAppend() {
        // The put completes after the append was invoked, so it may be ordered after it.
        Recorder h = new Recorder().op(0, "append", "k0", "1,", EventType.OK, 0, 10).op(1, "put", "k0", "2,", EventType.INFO, 5, 6)
                .op(0, "append", "k0", "3,", EventType.OK, 20, 21);
        assertThat(AcknowledgedWritesCheck.check("multi-key", h.events, finals("k0", "2,3,")).passed()).isTrue();
        // A put that completed before the append was invoked cannot explain the append's absence.
        Recorder early = new Recorder().op(1, "put", "k0", "2,", EventType.OK, 0, 1).op(0, "append", "k0", "3,", EventType.OK, 5, 6);
        assertThat(AcknowledgedWritesCheck.check("multi-key", early.events, finals("k0", "2,")).passed()).isFalse();
        // A put whose outcome is unknown can: it may take effect long after its client gave up, after the append.
        Recorder late = new Recorder().op(1, "put", "k0", "2,", EventType.INFO, 0, 1).op(0, "append", "k0", "3,", EventType.OK, 5, 6);
        assertThat(AcknowledgedWritesCheck.check("multi-key", late.events, finals("k0", "2,")).passed()).isTrue();
        // Nor can a put that certainly failed.
        Recorder failed = new Recorder().op(0, "append", "k0", "1,", EventType.OK, 0, 1).op(1, "put", "k0", "2,", EventType.FAIL, 2, 3);
        assertThat(AcknowledgedWritesCheck.check("multi-key", failed.events, finals("k0", "")).passed()).isFalse();
    }
}
