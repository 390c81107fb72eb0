package dev.ballot.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** End-to-end sanity check of the engine over a lossless, instant in-test network. */
class EngineSmokeTest {

    private final Map<Long, RaftNode> nodes = new HashMap<>();
    private final Map<Long, MemoryLogStorage> stores = new HashMap<>();
    private final Map<Long, List<String>> applied = new HashMap<>();
    private final ArrayDeque<Message> network = new ArrayDeque<>();

    @Test
    void threeNodesElectOneLeaderAndReplicateInOrder() {
        Set<Long> voters = Set.of(1L, 2L, 3L);
        for (long id : voters) {
            MemoryLogStorage store = new MemoryLogStorage();
            stores.put(id, store);
            applied.put(id, new ArrayList<>());
            nodes.put(id, new RaftNode(Config.of(id, voters), store, HardState.INITIAL, new SplittableRandom(id)));
        }
        RaftNode leader = null;
        for (int t = 0; t < 100 && leader == null; t++) {
            nodes.values().forEach(RaftNode::tick);
            pump();
            leader = nodes.values().stream().filter(n -> n.role() == Role.LEADER).findFirst().orElse(null);
        }
        assertThat(leader).isNotNull();
        for (int i = 0; i < 10; i++) {
            assertThat(leader.propose(("cmd" + i).getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(ProposeResult.Accepted.class);
        }
        pump();
        for (int t = 0; t < 20; t++) {
            nodes.values().forEach(RaftNode::tick);
            pump();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) expected.add("cmd" + i);
        for (long id : voters) {
            assertThat(applied.get(id)).as("node %d", id).isEqualTo(expected);
            assertThat(nodes.get(id).commitIndex()).isEqualTo(11); // noop + 10 commands
        }
    }

    private void pump() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (RaftNode n : nodes.values()) {
                while (n.hasReady()) {
                    Ready r = n.ready();
                    stores.get(n.id()).append(r.entries());
                    network.addAll(r.messages());
                    for (Entry e : r.committedEntries()) {
                        if (e.type() == EntryType.COMMAND) {
                            applied.get(n.id()).add(new String(e.data(), StandardCharsets.UTF_8));
                        }
                    }
                    n.advance(r);
                    progress = true;
                }
            }
            while (!network.isEmpty()) {
                Message m = network.poll();
                nodes.get(m.to()).step(m);
                progress = true;
            }
        }
    }
}
