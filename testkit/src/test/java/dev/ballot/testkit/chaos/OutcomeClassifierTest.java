package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.Event;
import dev.ballot.testkit.lin.EventType;
import dev.ballot.testkit.lin.LinearizabilityChecker;
import dev.ballot.testkit.lin.Model;
import dev.ballot.testkit.lin.Verdict;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeClassifierTest {

    private static final Op WRITE = new Op("write", "r0", "7", null);
    private static final Op CAS = new Op("cas", "r0", "8", "7");
    private static final Op APPEND = new Op("append", "k0", "9,", null);
    private static final Op READ = Op.read("read", "r0");

    @Test
    void errorsThatPromiseNoEffectFailAWrite() {
        // The texts of kv's RespReplies (docs/resp.md, "Error replies and what they promise").
        for (String reply : new String[] {"TRYAGAIN no leader", "TRYAGAIN not leader, leader is 3", "TRYAGAIN not leader, leader is unknown",
                "BUSY too many pending requests", "TIMEOUT request timed out without taking effect, safe to retry",
                "SHUTDOWN server is shutting down"}) {
            assertThat(OutcomeClassifier.ofErrorReply(WRITE, reply)).as(reply).isEqualTo(EventType.FAIL);
            // A refused CAS is not a CAS that found another value (what FAIL means to the checker).
            assertThat(OutcomeClassifier.ofException(CAS, new JedisDataException(reply))).as(reply).isEqualTo(EventType.INFO);
        }
        assertThat(OutcomeClassifier.ofException(APPEND, new JedisBusyException("BUSY too many pending requests"))).isEqualTo(EventType.FAIL);
    }

    @Test
    void anUnknownOutcomeOrAnyOtherErrorIsIndeterminate() {
        assertThat(OutcomeClassifier.ofErrorReply(WRITE, "UNKNOWN outcome of the write is unknown (it may or may not have been applied)"))
                .isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofErrorReply(APPEND, "ERR something unexpected")).isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofErrorReply(WRITE, "")).isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofErrorReply(WRITE, null)).isEqualTo(EventType.INFO);
        // A code must be the whole first word.
        assertThat(OutcomeClassifier.ofErrorReply(WRITE, "TRYAGAINX no")).isEqualTo(EventType.INFO);
    }

    @Test
    void timeoutsAndBrokenConnectionsAreIndeterminateForWrites() {
        assertThat(OutcomeClassifier.ofException(WRITE, new JedisConnectionException(new SocketTimeoutException("Read timed out"))))
                .isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofException(CAS, new JedisConnectionException("Unexpected end of stream."))).isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofException(APPEND, new IllegalStateException("CAS replied OK"))).isEqualTo(EventType.INFO);
    }

    @Test
    void aReadFollowsTheSameRulesATimedOutReadIsIndeterminate() {
        assertThat(OutcomeClassifier.ofException(READ, new JedisConnectionException("timeout"))).isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofErrorReply(Op.read("get", "k1"), "UNKNOWN whatever")).isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofErrorReply(READ, "TRYAGAIN no leader")).isEqualTo(EventType.FAIL);
    }

    @Test
    void aCasRefusedWhileTheRegisterHeldItsExpectedValueKeepsTheHistoryLinearizable() {
        // write 1; CAS 1 -> 2 refused with TRYAGAIN (no effect); read 1. Linearizable: the register
        // held 1 throughout. Recorded as FAIL, the CAS would claim it did not hold 1.
        EventType refused = OutcomeClassifier.ofErrorReply(CAS, "TRYAGAIN no leader");
        List<Event> history = List.of(
                new Event(0, EventType.INVOKE, "write", "r0", "1", null, 1),
                new Event(0, EventType.OK, "write", "r0", "1", null, 2),
                new Event(1, EventType.INVOKE, "cas", "r0", "2", "1", 3),
                new Event(1, refused, "cas", "r0", "2", "1", 4),
                new Event(2, EventType.INVOKE, "read", "r0", null, null, 5),
                new Event(2, EventType.OK, "read", "r0", "1", null, 6));
        assertThat(LinearizabilityChecker.check(history, Model.register(), Duration.ofSeconds(5)).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void casRepliesOneSwappedZeroRejectedAnythingElseUnknown() {
        assertThat(OutcomeClassifier.ofCasReply(1L)).isEqualTo(EventType.OK);
        assertThat(OutcomeClassifier.ofCasReply(0L)).isEqualTo(EventType.FAIL);
        assertThat(OutcomeClassifier.ofCasReply(2L)).isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofCasReply("OK".getBytes())).isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofCasReply(null)).isEqualTo(EventType.INFO);
    }
}
