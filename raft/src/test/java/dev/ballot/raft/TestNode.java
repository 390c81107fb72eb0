package dev.ballot.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.LongStream;

/**
 * One engine plus the little runtime a rule test needs around it: a {@link MemoryLogStorage}, the
 * persisted {@link HardState} and the list of applied entries.
 *
 * <p>{@link #drain()} carries out every pending {@link Ready} exactly as the contract in
 * {@link Ready} says (persist entries and hard state, "send" messages, apply committed entries,
 * advance; confirmed reads are collected in {@link #readStates}) and checks the promises the engine makes about each Ready on the way, so every test
 * also checks the persistence contract.
 */
final class TestNode {

    final RaftNode raft;
    final MemoryLogStorage storage;
    /** The hard state as last persisted. */
    HardState hardState;
    /** Committed entries handed to the "state machine", in the order they were handed out. */
    final List<Entry> applied = new ArrayList<>();
    /** Confirmed reads handed out by Readys, in order. */
    final List<ReadState> readStates = new ArrayList<>();
    /** Snapshots installed by Readys, in order. */
    final List<SnapshotMetadata> installed = new ArrayList<>();
    private long lastApplied;

    TestNode(Config config, MemoryLogStorage storage, HardState hardState, long seed) {
        this(config, storage, hardState, 0, seed);
    }

    /** A node whose state machine was restored from a snapshot of index {@code applied} at boot. */
    TestNode(Config config, MemoryLogStorage storage, HardState hardState, long applied, long seed) {
        this.storage = storage;
        this.hardState = hardState;
        this.raft = new RaftNode(config, storage, hardState, applied, new SplittableRandom(seed));
        this.lastApplied = raft.appliedIndex();
    }

    // ---------------------------------------------------------------- construction

    /** Ids 1..size. */
    static List<Long> ids(int size) {
        return LongStream.rangeClosed(1, size).boxed().toList();
    }

    /** Default configuration of node {@code id} in a cluster of nodes 1..size. */
    static Config config(long id, int size) {
        return Config.of(id, java.util.Set.copyOf(ids(size)));
    }

    /** A node whose log holds entries 1..n with the given terms (seeded with its id). */
    static TestNode create(Config config, HardState hardState, long... logTerms) {
        return new TestNode(config, storage(logTerms), hardState, config.id());
    }

    /** A node with an empty log and a fresh hard state, seeded with {@code seed}. */
    static TestNode withSeed(Config config, long seed) {
        return new TestNode(config, new MemoryLogStorage(), HardState.INITIAL, seed);
    }

    /** A storage holding entries 1..n with the given terms. */
    static MemoryLogStorage storage(long... logTerms) {
        MemoryLogStorage s = new MemoryLogStorage();
        s.append(entries(1, logTerms));
        return s;
    }

    /** Command entries at firstIndex, firstIndex+1, ... with the given terms. */
    static List<Entry> entries(long firstIndex, long... terms) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) out.add(entry(firstIndex + i, terms[i]));
        return out;
    }

    static Entry entry(long index, long term) {
        return Entry.command(index, term, ("e" + index + "@" + term).getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- driving

    /** Steps one message and carries out the resulting Ready; returns the messages sent. */
    List<Message> step(Message m) {
        raft.step(m);
        return drain();
    }

    /** Proposes a command on this node, which must accept it (it must be the leader); does not drain. */
    ProposeResult.Accepted propose(String data) {
        ProposeResult r = raft.propose(data.getBytes(StandardCharsets.UTF_8));
        assertThat(r).as("propose on node %d (%s)", raft.id(), raft.role()).isInstanceOf(ProposeResult.Accepted.class);
        return (ProposeResult.Accepted) r;
    }

    /** Ticks {@code n} times, draining after each tick; returns every message sent. */
    List<Message> tick(int n) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            raft.tick();
            out.addAll(drain());
        }
        return out;
    }

    /** Ticks (draining after each tick) until {@code condition} holds; returns the messages sent. */
    List<Message> tickUntil(Predicate<RaftNode> condition) {
        List<Message> out = new ArrayList<>();
        int limit = 20 * raft.config().electionTicks();
        for (int i = 0; i < limit && !condition.test(raft); i++) {
            raft.tick();
            out.addAll(drain());
        }
        if (!condition.test(raft)) fail("node %d: condition not reached after %d ticks: %s", raft.id(), limit, raft.status());
        return out;
    }

    /** How many ticks (draining after each) it takes until {@code condition} holds. */
    int ticksUntil(Predicate<RaftNode> condition) {
        int limit = 20 * raft.config().electionTicks();
        for (int i = 1; i <= limit; i++) {
            raft.tick();
            drain();
            if (condition.test(raft)) return i;
        }
        return fail("node %d: condition not reached after %d ticks: %s", raft.id(), limit, raft.status());
    }

    /**
     * Makes this node the leader without a real cluster: ticks until it campaigns, then answers
     * each (pre-)vote request it sends with a grant from the addressed peer, until it leads.
     * Returns the messages it sent as the new leader (its first AppendEntries, with the NOOP).
     */
    List<Message> becomeLeader() {
        List<Message> out = tickUntil(r -> r.role() != Role.FOLLOWER);
        while (raft.role() != Role.LEADER) {
            Role phase = raft.role();
            List<Message.RequestVote> asks = Msgs.ofType(out, Message.RequestVote.class);
            assertThat(asks).as("vote requests sent by %s %d", phase, raft.id()).isNotEmpty();
            out = new ArrayList<>();
            for (Message.RequestVote rv : asks) {
                if (raft.role() != phase) break;
                out.addAll(step(new Message.RequestVoteResponse(rv.to(), rv.from(), rv.term(), true, rv.preVote())));
            }
            assertThat(raft.role()).as("role after all grants in %s", phase).isNotEqualTo(phase);
        }
        return out;
    }

    // ---------------------------------------------------------------- the Ready contract

    /** Carries out every pending Ready (see {@link Ready}); returns the messages "sent". */
    List<Message> drain() {
        List<Message> sent = new ArrayList<>();
        for (int i = 0; raft.hasReady(); i++) {
            if (i > 1000) fail("node %d: hasReady() stays true after 1000 Readys", raft.id());
            Ready r = raft.ready();
            persist(r);
            sent.addAll(send(r));
            apply(r);
            readStates.addAll(r.readStates());
            raft.advance(r);
        }
        return sent;
    }

    /** Step 1: a snapshot installed, entries and hard state made durable. */
    void persist(Ready r) {
        checkMaySendEarly(r);
        if (r.snapshot() != null) {
            assertThat(r.committedEntries()).as("a Ready that installs a snapshot applies nothing").isEmpty();
            long index = r.snapshot().lastIncludedIndex();
            assertThat(index).as("a snapshot replaces applied state only forward").isGreaterThan(lastApplied);
            storage.restore(index, r.snapshot().lastIncludedTerm());
            installed.add(r.snapshot());
            lastApplied = index; // the state machine now holds the snapshot
        }
        storage.append(r.entries());
        if (r.hardState() != null) {
            assertThat(r.hardState().currentTerm()).as("persisted term never decreases")
                    .isGreaterThanOrEqualTo(hardState.currentTerm());
            if (r.hardState().currentTerm() == hardState.currentTerm() && hardState.votedFor() != RaftNode.NONE) {
                assertThat(r.hardState().votedFor()).as("vote of term %d never changes", hardState.currentTerm())
                        .isEqualTo(hardState.votedFor());
            }
            assertThat(r.hardState().commitIndex()).as("persisted commit index never decreases")
                    .isGreaterThanOrEqualTo(hardState.commitIndex());
            hardState = r.hardState();
        }
    }

    /**
     * The one exception to step 2 (see {@link Ready}): a runtime may send the AppendEntries and
     * heartbeats of a leader-role Ready before step 1. That is safe only if they never depend on
     * a term or vote this Ready persists: both must already be durable, from an earlier Ready.
     */
    private void checkMaySendEarly(Ready r) {
        if (r.role() != Role.LEADER) return;
        for (Message m : r.messages()) {
            if (m instanceof Message.AppendEntries || m instanceof Message.Heartbeat) {
                assertThat(hardState.currentTerm()).as("term durable before %s may go out early", m).isEqualTo(m.term());
                assertThat(hardState.votedFor()).as("own vote durable before %s may go out early", m).isEqualTo(raft.id());
            }
        }
    }

    /** Step 2: the messages, checked against what was made durable in step 1. */
    List<Message> send(Ready r) {
        for (Message m : r.messages()) {
            assertThat(m.from()).as("sender of %s", m).isEqualTo(raft.id());
            switch (m) {
                case Message.RequestVoteResponse v when v.voteGranted() && !v.preVote() -> {
                    assertThat(hardState.currentTerm()).as("term persisted before %s", m).isEqualTo(v.term());
                    assertThat(hardState.votedFor()).as("vote persisted before %s", m).isEqualTo(v.to());
                }
                case Message.RequestVote v when !v.preVote() -> {
                    assertThat(hardState.currentTerm()).as("term persisted before %s", m).isEqualTo(v.term());
                    assertThat(hardState.votedFor()).as("self-vote persisted before %s", m).isEqualTo(raft.id());
                }
                case Message.AppendEntriesResponse a when a.success() ->
                    assertThat(storage.lastIndex()).as("entries persisted before %s", m)
                            .isGreaterThanOrEqualTo(a.matchIndex());
                default -> { }
            }
        }
        return r.messages();
    }

    /** Step 3: committed entries applied, in order, exactly once, each one already durable. */
    void apply(Ready r) {
        for (Entry e : r.committedEntries()) {
            long expected = Math.max(lastApplied, storage.firstIndex() - 1) + 1;
            assertThat(e.index()).as("committed entries handed out in order, exactly once").isEqualTo(expected);
            assertThat(e.index()).as("committed entry %s is persisted", e).isLessThanOrEqualTo(storage.lastIndex());
            assertThat(storage.entries(e.index(), e.index() + 1, Long.MAX_VALUE)).as("committed entry as persisted")
                    .containsExactly(e);
            assertThat(e.index()).as("committed entry %s within commitIndex", e).isLessThanOrEqualTo(raft.commitIndex());
            applied.add(e);
            lastApplied = e.index();
        }
    }

    // ---------------------------------------------------------------- reading

    /** The whole log as the engine sees it (persisted or not). */
    List<Entry> log() {
        return raft.entries(raft.firstIndex(), raft.lastIndex() + 1);
    }

    /** The terms of the log, index by index, e.g. [1, 1, 2]. */
    List<Long> logTerms() {
        return log().stream().map(Entry::term).toList();
    }

    /** Data of the applied COMMAND entries, as strings. */
    List<String> appliedCommands() {
        return applied.stream().filter(e -> e.type() == EntryType.COMMAND)
                .map(e -> new String(e.data(), StandardCharsets.UTF_8)).toList();
    }

    /** The parts of a node's state no bad message may corrupt. */
    record Snapshot(long term, long votedFor, Role role, long leaderId, long commitIndex, List<Entry> log) {}

    Snapshot snapshot() {
        return new Snapshot(raft.currentTerm(), raft.votedFor(), raft.role(), raft.leaderId(), raft.commitIndex(), log());
    }

    @Override
    public String toString() {
        return "TestNode" + raft.status();
    }
}
