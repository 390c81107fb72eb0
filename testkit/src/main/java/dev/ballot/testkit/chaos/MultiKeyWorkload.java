package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.Model;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * More keys with GET / SET / APPEND (the kv model): 40% gets, 50% appends, 10% puts. Every put or
 * append carries a unique token ending in {@link #SEPARATOR}, so a value reads as the list of the
 * writes that built it and a lost append is visible.
 */
public final class MultiKeyWorkload implements Workload {

    public static final int DEFAULT_KEYS = 8;
    public static final String SEPARATOR = ",";

    private final List<String> keys;
    private final AtomicLong nextToken = new AtomicLong();

    public MultiKeyWorkload(int keyCount) {
        this.keys = Workload.keyNames("multi-key", "k", keyCount);
    }

    @Override
    public String name() {
        return "multi-key";
    }

    @Override
    public List<String> keys() {
        return keys;
    }

    @Override
    public Op next(SplittableRandom random) {
        String key = keys.get(random.nextInt(keys.size()));
        int dice = random.nextInt(10);
        if (dice < 4) return Op.read("get", key);
        String token = nextToken.incrementAndGet() + SEPARATOR;
        return new Op(dice < 9 ? "append" : "put", key, token, null);
    }

    @Override
    public String execute(Jedis jedis, Op op) {
        return switch (op.f()) {
            case "get" -> {
                String value = jedis.get(op.key());
                yield value == null ? "" : value;
            }
            case "put" -> {
                jedis.set(op.key(), op.value());
                yield op.value();
            }
            case "append" -> {
                jedis.append(op.key(), op.value());
                yield op.value();
            }
            default -> throw new IllegalArgumentException("not a multi-key operation: " + op.f());
        };
    }

    @Override
    public Op finalRead(String key) {
        return Op.read("get", key);
    }

    @Override
    public Model model() {
        return Model.keyValue();
    }
}
