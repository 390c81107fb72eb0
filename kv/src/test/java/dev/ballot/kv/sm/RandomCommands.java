package dev.ballot.kv.sm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A seeded generator of commands over a small key space, so commands collide and hit every branch. */
final class RandomCommands {

    private final Random random;

    RandomCommands(long seed) {
        this.random = new Random(seed);
    }

    byte[] key() {
        int n = random.nextInt(12);
        return n < 10 ? new byte[] {(byte) ('a' + n)} : new byte[] {(byte) 0xFF, (byte) (n - 10)};
    }

    byte[] value() {
        return switch (random.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> Long.toString(random.nextInt(200) - 100).getBytes();
            case 2 -> Long.toString(random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(3) : Long.MIN_VALUE + random.nextInt(3)).getBytes();
            case 3 -> new byte[] {0, (byte) 0xFF, (byte) random.nextInt(256)};
            case 4 -> new byte[random.nextInt(20)]; // zeros, sometimes too large for small limits
            default -> ("v" + random.nextInt(5)).getBytes();
        };
    }

    private List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            keys.add(key());
        }
        return keys;
    }

    KvCommand next() {
        return switch (random.nextInt(12)) {
            case 0 -> new KvCommand.Get(key());
            case 1, 2 -> new KvCommand.Set(key(), value(), KvCommand.Condition.values()[random.nextInt(3)]);
            case 3 -> new KvCommand.Del(keys());
            case 4 -> new KvCommand.Exists(keys());
            case 5 -> new KvCommand.IncrBy(key(), switch (random.nextInt(4)) {
                case 0 -> 1;
                case 1 -> -1;
                case 2 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
                default -> random.nextLong(-1000, 1000);
            });
            case 6 -> new KvCommand.MGet(keys());
            case 7 -> {
                List<KvCommand.Pair> pairs = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    pairs.add(new KvCommand.Pair(key(), value()));
                }
                yield new KvCommand.MSet(pairs);
            }
            case 8, 9 -> new KvCommand.Append(key(), value());
            default -> new KvCommand.Cas(key(), value(), value());
        };
    }
}
