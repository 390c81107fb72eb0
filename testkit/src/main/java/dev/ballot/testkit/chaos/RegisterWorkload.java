package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.EventType;
import dev.ballot.testkit.lin.Model;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A few registers (GET / SET / CAS), the classic Jepsen workload: half reads, a quarter writes, a
 * quarter cas. Written values are unique and increasing, so every read names the write it saw. A
 * cas expects the last value any client saw on its key, so that a fair share of them succeed.
 */
public final class RegisterWorkload implements Workload {

    public static final int DEFAULT_KEYS = 3;

    private final List<String> keys;
    private final AtomicLong nextValue = new AtomicLong();
    private final Map<String, String> lastSeen = new ConcurrentHashMap<>();

    public RegisterWorkload(int keyCount) {
        this.keys = Workload.keyNames("register", "r", keyCount);
    }

    @Override
    public String name() {
        return "register";
    }

    @Override
    public List<String> keys() {
        return keys;
    }

    @Override
    public Op next(SplittableRandom random) {
        String key = keys.get(random.nextInt(keys.size()));
        int dice = random.nextInt(4);
        if (dice < 2) return Op.read("read", key);
        String value = Long.toString(nextValue.incrementAndGet());
        if (dice == 2) return new Op("write", key, value, null);
        String expected = lastSeen.getOrDefault(key, "0");
        return new Op("cas", key, value, expected);
    }

    @Override
    public String execute(Jedis jedis, Op op) {
        switch (op.f()) {
            case "read" -> {
                String value = jedis.get(op.key());
                if (value != null) lastSeen.put(op.key(), value);
                return value;
            }
            case "write" -> {
                lastSeen.put(op.key(), op.value());
                jedis.set(op.key(), op.value());
                return op.value();
            }
            case "cas" -> {
                Object reply = jedis.sendCommand(BallotCommand.CAS, op.key(), op.expected(), op.value());
                EventType outcome = OutcomeClassifier.ofCasReply(reply);
                if (outcome == EventType.FAIL) throw new CasRejected();
                if (outcome != EventType.OK) throw new IllegalStateException("CAS replied " + reply + ", expected 0 or 1");
                lastSeen.put(op.key(), op.value());
                return op.value();
            }
            default -> throw new IllegalArgumentException("not a register operation: " + op.f());
        }
    }

    @Override
    public Op finalRead(String key) {
        return Op.read("read", key);
    }

    @Override
    public Model model() {
        return Model.register();
    }
}
