package dev.ballot.bench.peers;

import dev.ballot.bench.peers.ballot.BallotSystem;
import dev.ballot.bench.peers.jgroups.JgroupsRaftSystem;
import dev.ballot.bench.peers.jraft.JraftSystem;
import dev.ballot.bench.peers.microraft.MicroRaftSystem;
import dev.ballot.bench.peers.ratis.RatisSystem;

import java.time.Duration;
import java.util.List;

/** The systems this benchmark knows, in the order they run, and their default warm-ups. */
public final class Systems {

    public static final List<String> ALL = List.of("ballot", "ratis", "jraft", "microraft", "jgroups-raft");

    private Systems() {
    }

    public static RaftSystem create(String name) {
        return switch (name) {
            case "ballot" -> new BallotSystem();
            case "ratis" -> new RatisSystem();
            case "jraft" -> new JraftSystem();
            case "microraft" -> new MicroRaftSystem();
            case "jgroups-raft" -> new JgroupsRaftSystem();
            default -> throw new IllegalArgumentException("unknown system '" + name + "'; known: " + ALL);
        };
    }

    /** Ratis needs a long warm-up: its throughput tripled between 5 s and 60 s in earlier runs. */
    public static Duration defaultWarmup(String name) {
        return name.equals("ratis") ? Duration.ofSeconds(60) : Duration.ofSeconds(10);
    }
}
