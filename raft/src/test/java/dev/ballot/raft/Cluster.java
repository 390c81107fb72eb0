package dev.ballot.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A tiny in-test network: delivers messages between a few {@link TestNode}s synchronously, one at a
 * time in the order they were sent, until nobody has anything left to say. Messages can be
 * dropped by predicate (to cut links or isolate nodes). Time passes only when a test ticks.
 */
final class Cluster {

    private final Map<Long, TestNode> nodes = new TreeMap<>();
    private final List<Predicate<Message>> drops = new ArrayList<>();
    /** Every message any node sent, dropped or not, in order. */
    final List<Message> sent = new ArrayList<>();

    Cluster(TestNode... members) {
        for (TestNode n : members) nodes.put(n.raft.id(), n);
    }

    /** Nodes 1..size with empty logs and default configuration. */
    static Cluster of(int size) {
        return of(size, c -> c);
    }

    /** Nodes 1..size with empty logs; {@code tweak} adjusts each node's default configuration. */
    static Cluster of(int size, UnaryOperator<Config> tweak) {
        TestNode[] members = new TestNode[size];
        for (int i = 0; i < size; i++) {
            members[i] = TestNode.create(tweak.apply(TestNode.config(i + 1, size)), HardState.INITIAL);
        }
        return new Cluster(members);
    }

    TestNode node(long id) {
        return nodes.get(id);
    }

    Collection<TestNode> nodes() {
        return nodes.values();
    }

    // ---------------------------------------------------------------- faults

    void drop(Predicate<Message> which) {
        drops.add(which);
    }

    /** Cuts every link to and from {@code id}. */
    void isolate(long id) {
        drop(m -> m.from() == id || m.to() == id);
    }

    /** Restores every link. */
    void heal() {
        drops.clear();
    }

    private boolean dropped(Message m) {
        return drops.stream().anyMatch(p -> p.test(m));
    }

    // ---------------------------------------------------------------- time and delivery

    /** Delivers {@code messages} (already drained from their senders) and everything that follows. */
    void deliver(List<Message> messages) {
        sent.addAll(messages);
        run(new ArrayDeque<>(messages));
    }

    /** Delivers messages until no node has anything left to send. */
    void stabilize() {
        run(new ArrayDeque<>());
    }

    private void run(Deque<Message> queue) {
        for (TestNode n : nodes.values()) queue.addAll(record(n.drain()));
        for (int steps = 0; !queue.isEmpty(); steps++) {
            if (steps > 100_000) fail("the cluster does not quiesce: %s", queue.peek());
            Message m = queue.poll();
            TestNode target = nodes.get(m.to());
            if (target == null || dropped(m)) continue;
            target.raft.step(m);
            queue.addAll(record(target.drain()));
        }
    }

    private List<Message> record(List<Message> ms) {
        sent.addAll(ms);
        return ms;
    }

    void tick(long id) {
        node(id).raft.tick();
        stabilize();
    }

    /** One tick on every node, then delivery until quiet; {@code times} times. */
    void tickAll(int times) {
        for (int i = 0; i < times; i++) {
            for (TestNode n : nodes.values()) n.raft.tick();
            stabilize();
        }
    }

    /** Ticks only node {@code id} (others stay quiet) until it leads. */
    TestNode electLeader(long id) {
        TestNode n = node(id);
        for (int i = 0; i < 20 * n.raft.config().electionTicks() && n.raft.role() != Role.LEADER; i++) tick(id);
        assertThat(n.raft.role()).as("node %d after campaigning: %s", id, n.raft.status()).isEqualTo(Role.LEADER);
        return n;
    }

    /** Ids of the nodes that currently think they lead. */
    List<Long> leaders() {
        return nodes.values().stream().filter(n -> n.raft.role() == Role.LEADER).map(n -> n.raft.id()).toList();
    }
}
