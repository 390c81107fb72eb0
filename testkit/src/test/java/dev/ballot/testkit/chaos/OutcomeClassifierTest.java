package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.EventType;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.net.SocketTimeoutException;

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
            assertThat(OutcomeClassifier.ofException(CAS, new JedisDataException(reply))).as(reply).isEqualTo(EventType.FAIL);
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
    void casRepliesOneSwappedZeroRejectedAnythingElseUnknown() {
        assertThat(OutcomeClassifier.ofCasReply(1L)).isEqualTo(EventType.OK);
        assertThat(OutcomeClassifier.ofCasReply(0L)).isEqualTo(EventType.FAIL);
        assertThat(OutcomeClassifier.ofCasReply(2L)).isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofCasReply("OK".getBytes())).isEqualTo(EventType.INFO);
        assertThat(OutcomeClassifier.ofCasReply(null)).isEqualTo(EventType.INFO);
    }
}
