package dev.ballot.node.wire;

import dev.ballot.raft.Entry;
import dev.ballot.raft.EntryType;
import dev.ballot.raft.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A seeded generator of arbitrary (not necessarily sensible) but valid messages. */
final class RandomMessages {

    private final Random random;

    RandomMessages(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    Message next() {
        return switch (random.nextInt(6)) {
            case 0 -> new Message.RequestVote(anyLong(), anyLong(), anyLong(), anyLong(), anyLong(), random.nextBoolean());
            case 1 -> new Message.RequestVoteResponse(anyLong(), anyLong(), anyLong(), random.nextBoolean(),
                    random.nextBoolean());
            case 2 -> new Message.AppendEntries(anyLong(), anyLong(), anyLong(), anyLong(), anyLong(), entries(),
                    anyLong());
            case 3 -> new Message.AppendEntriesResponse(anyLong(), anyLong(), anyLong(), random.nextBoolean(),
                    anyLong(), anyLong(), anyLong(), anyLong());
            case 4 -> new Message.Heartbeat(anyLong(), anyLong(), anyLong(), anyLong(), anyLong());
            default -> new Message.HeartbeatResponse(anyLong(), anyLong(), anyLong(), anyLong());
        };
    }

    /** Small values most of the time, the extremes and arbitrary 64-bit values sometimes. */
    long anyLong() {
        return switch (random.nextInt(8)) {
            case 0 -> 0;
            case 1 -> Long.MAX_VALUE;
            case 2 -> Long.MIN_VALUE;
            case 3 -> -1;
            case 4 -> random.nextLong();
            default -> random.nextInt(1000);
        };
    }

    long positiveLong() {
        return switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> Long.MAX_VALUE;
            default -> 1 + random.nextInt(1_000_000);
        };
    }

    List<Entry> entries() {
        int count = switch (random.nextInt(10)) {
            case 0, 1, 2 -> 0;
            case 3 -> 200 + random.nextInt(300);
            default -> 1 + random.nextInt(8);
        };
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(entry());
        }
        return entries;
    }

    Entry entry() {
        if (random.nextInt(5) == 0) {
            return Entry.noop(positiveLong(), positiveLong());
        }
        int length = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 4096 + random.nextInt(60_000);
            default -> random.nextInt(64);
        };
        byte[] data = new byte[length];
        random.nextBytes(data);
        return new Entry(positiveLong(), positiveLong(), EntryType.COMMAND, data);
    }
}
