package dev.ballot.testkit.sim;

import dev.ballot.raft.Entry;
import dev.ballot.raft.EntryType;
import dev.ballot.raft.ProposeResult;
import dev.ballot.raft.RaftNode;
import dev.ballot.raft.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * Liveness helpers in the style of the MIT 6.824 Raft tests, over a {@link Simulation}. Safety is
 * the checker's job (it runs after every event); these wait for progress and fail with a
 * {@link SimulationFailure} (seed, trace and all) when it does not come in time.
 */
public final class Harness {

    /** How long {@link #one} keeps trying, in virtual ms (6.824 uses 10 s). */
    public static final long AGREEMENT_TIMEOUT_MILLIS = 10_000;

    private final Simulation sim;

    public Harness(Simulation sim) {
        this.sim = sim;
    }

    public Simulation sim() {
        return sim;
    }

    /** Every node id. */
    public List<Long> all() {
        return sim.ids();
    }

    /** Every node id except {@code excluded}. */
    public List<Long> allBut(Long... excluded) {
        List<Long> out = new ArrayList<>(sim.ids());
        out.removeAll(Arrays.asList(excluded));
        return out;
    }

    /**
     * Waits up to {@code maxMillis} for a <em>stable</em> leader among the up nodes of {@code group}:
     * a leader that every other up node of the group follows in its term. Returns its id.
     */
    public long awaitLeader(Collection<Long> group, long maxMillis) {
        long[] found = new long[1];
        boolean ok = sim.runUntil(() -> {
            found[0] = stableLeader(group);
            return found[0] != RaftNode.NONE;
        }, maxMillis);
        if (!ok) {
            throw sim.failure("Liveness", "no stable leader among " + group + " within " + maxMillis + " ms");
        }
        return found[0];
    }

    /** {@link #awaitLeader(Collection, long)} over all nodes, waiting up to 5 s. */
    public long awaitLeader() {
        return awaitLeader(sim.ids(), 5_000);
    }

    /** The leader every up node of {@code group} follows, or {@link RaftNode#NONE}. */
    public long stableLeader(Collection<Long> group) {
        OptionalLong leader = sim.leaderAmong(group);
        if (leader.isEmpty()) return RaftNode.NONE;
        long l = leader.getAsLong();
        long term = sim.node(l).engine().currentTerm();
        for (long id : group) {
            SimNode n = sim.node(id);
            if (!n.isUp() || id == l) continue;
            RaftNode e = n.engine();
            if (e.currentTerm() != term || e.role() != Role.FOLLOWER || e.leaderId() != l) return RaftNode.NONE;
        }
        return l;
    }

    /** Runs {@code millis} and then fails unless no up node of {@code group} is leader. */
    public void checkNoLeader(Collection<Long> group, long millis) {
        sim.runFor(millis);
        for (long id : group) {
            SimNode n = sim.node(id);
            if (n.isUp() && n.engine().role() == Role.LEADER) {
                throw sim.failure("No leader without a majority", "node " + id + " is leader of term "
                        + n.engine().currentTerm() + " although only " + group + " can talk to each other");
            }
        }
    }

    /**
     * 6.824's {@code one()}: proposes {@code command} (to the leader, else to each node in turn) and
     * waits until at least {@code expectedNodes} state machines applied it at the index it was
     * accepted at. With {@code retry} it proposes again if that index gets another entry or takes
     * too long (which may apply the command twice; the checker allows as many applies as proposals).
     * Returns the index.
     */
    public long one(String command, int expectedNodes, boolean retry) {
        byte[] data = command.getBytes(StandardCharsets.US_ASCII);
        long deadline = sim.now() + AGREEMENT_TIMEOUT_MILLIS;
        int next = 0;
        while (sim.now() < deadline) {
            long index = -1;
            List<Long> order = new ArrayList<>();
            sim.leader().ifPresent(order::add);
            for (int i = 0; i < sim.ids().size(); i++) order.add(sim.ids().get((next + i) % sim.ids().size()));
            next++;
            for (long id : order) {
                if (sim.propose(id, data) instanceof ProposeResult.Accepted a) {
                    index = a.index();
                    break;
                }
            }
            if (index < 0) {
                sim.runFor(50);
                continue;
            }
            long at = index;
            boolean done = sim.runUntil(() -> nCommitted(at, data) >= expectedNodes, 2_000);
            if (done) return index;
            if (!retry) break;
        }
        throw sim.failure("Liveness", "command '" + command + "' was not applied by " + expectedNodes
                + " nodes in time (applied by " + countApplied(data) + ")");
    }

    /** Number of up nodes whose state machine applied {@code data} at {@code index}. */
    public int nCommitted(long index, byte[] data) {
        int n = 0;
        for (long id : sim.ids()) {
            SimNode node = sim.node(id);
            if (!node.isUp() || node.applied().size() < index) continue;
            Entry e = node.applied().get((int) index - 1);
            if (Arrays.equals(e.data(), data) && e.type() == EntryType.COMMAND) n++;
        }
        return n;
    }

    /** Number of up nodes whose state machine applied {@code index} (whatever the entry). */
    public int nCommitted(long index) {
        int n = 0;
        for (long id : sim.ids()) {
            SimNode node = sim.node(id);
            if (node.isUp() && node.applied().size() >= index) n++;
        }
        return n;
    }

    /** Commands (not no-ops) node {@code id}'s state machine applied since it booted, in order. */
    public List<String> appliedCommands(long id) {
        List<String> out = new ArrayList<>();
        for (Entry e : sim.node(id).applied()) {
            if (e.type() == EntryType.COMMAND) out.add(Proposals.text(e.data()));
        }
        return out;
    }

    /** Commands in node {@code id}'s engine log up to its commit index, in order. */
    public List<String> committedCommands(long id) {
        SimNode n = sim.node(id);
        List<String> out = new ArrayList<>();
        for (long i = 1; i <= n.engine().commitIndex(); i++) {
            Entry entry = n.entry(i); // compacted entries come from the snapshot
            if (entry.type() == EntryType.COMMAND) out.add(Proposals.text(entry.data()));
        }
        return out;
    }

    private int countApplied(byte[] data) {
        int n = 0;
        for (long id : sim.ids()) {
            SimNode node = sim.node(id);
            if (!node.isUp()) continue;
            for (Entry e : node.applied()) {
                if (Arrays.equals(e.data(), data)) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /**
     * Heals the network, makes it reliable, stops crash faults, restarts every down node, waits for
     * a stable leader and for one final command to be applied by every node; then checks that every
     * acknowledged proposal is in the committed log of every node. Returns the final command's index.
     */
    public long settleAndVerify(String finalCommand, long maxLeaderMillis) {
        sim.setCrashDuringPersistRate(0);
        sim.setAutoRestart(0, 0);
        sim.heal();
        sim.network().setConditions(NetworkConditions.reliable());
        for (long id : sim.ids()) {
            if (!sim.node(id).isUp()) sim.restart(id);
        }
        awaitLeader(sim.ids(), maxLeaderMillis);
        long index = one(finalCommand, sim.ids().size(), true);
        verifyAcknowledgedCommitted();
        return index;
    }

    /**
     * Asks the stable leader for a linearizable read and waits until it is released, retrying on a
     * new leader if the read is dropped. Returns the read's context.
     */
    public long awaitRead(long maxMillis) {
        long deadline = sim.now() + maxMillis;
        while (sim.now() < deadline) {
            long leader = awaitLeader(sim.ids(), Math.max(1, deadline - sim.now()));
            long term = sim.node(leader).engine().currentTerm();
            long context = sim.readIndex(leader);
            if (context == 0) continue;
            sim.runUntil(() -> sim.checker().readReleased(context) || !sim.node(leader).isUp()
                    || sim.node(leader).engine().currentTerm() != term
                    || sim.node(leader).engine().role() != Role.LEADER, 2_000);
            if (sim.checker().readReleased(context)) return context;
        }
        throw sim.failure("Liveness", "no read was released within " + maxMillis + " ms");
    }

    /** Every acknowledged proposal is committed, with its index, term and data, on every up node. */
    public void verifyAcknowledgedCommitted() {
        for (Proposals.Proposal p : sim.proposals().acknowledged()) {
            for (long id : sim.ids()) {
                SimNode n = sim.node(id);
                if (!n.isUp()) continue;
                boolean present = n.engine().commitIndex() >= p.index() && n.term(p.index()) == p.term()
                        && Proposals.text(n.entry(p.index()).data()).equals(p.command());
                if (!present) {
                    throw sim.failure("Durability of acknowledged commands", "acknowledged " + p
                            + " is not committed on node " + id + " (" + n.describe() + ")");
                }
            }
        }
    }
}
