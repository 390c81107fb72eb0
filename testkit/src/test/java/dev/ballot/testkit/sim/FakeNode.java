package dev.ballot.testkit.sim;

import dev.ballot.raft.Entry;
import dev.ballot.raft.Role;
import java.util.ArrayList;
import java.util.List;

/** A hand-made node state for checker tests: an engine log (terms by index) and a real durable store. */
final class FakeNode implements NodeView {

    final long id;
    boolean up = true;
    Role role = Role.FOLLOWER;
    long term;
    long commit;
    long applied;
    long stateMachine;
    final List<Long> log = new ArrayList<>(); // term of index i at position i-1
    final DurableStore store;

    FakeNode(long id) {
        this.id = id;
        this.store = new DurableStore(id);
    }

    /** Appends entries with these terms to the engine log and the durable log. */
    FakeNode append(long... terms) {
        List<Entry> entries = new ArrayList<>();
        for (long t : terms) {
            log.add(t);
            entries.add(Entry.command(log.size(), t, ("e" + log.size() + "@" + t).getBytes()));
        }
        store.append(entries);
        return this;
    }

    Entry entry(long index) {
        return Entry.command(index, log.get((int) index - 1), ("e" + index + "@" + log.get((int) index - 1)).getBytes());
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public long currentTerm() {
        return term;
    }

    @Override
    public long commitIndex() {
        return commit;
    }

    @Override
    public long appliedIndex() {
        return applied;
    }

    @Override
    public long lastIndex() {
        return log.size();
    }

    @Override
    public long term(long index) {
        return index == 0 ? 0 : log.get((int) index - 1);
    }

    @Override
    public long stateMachineIndex() {
        return stateMachine;
    }

    @Override
    public DurableStore store() {
        return store;
    }
}
