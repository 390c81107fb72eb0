package dev.ballot.testkit.lin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The Wing–Gong search with Lowe's memoization, for the operations of one key.
 *
 * <p>The history is a doubly linked list of entries, a <em>call</em> and a <em>return</em> per
 * operation, in time order. The search walks the list from its head. At a call it tries to
 * linearize that operation now: if the model allows it in the current state, the operation is
 * <em>lifted</em> (its call and return unlinked from the list), pushed on a stack with the state
 * before it, and the walk restarts at the head. Reaching a return means the operation it ends has
 * to have taken effect by now and has not: the latest choice was wrong, so it is popped,
 * <em>unlifted</em> (relinked where it was) and the walk goes on after its call. The history is
 * linearizable when every operation that must take effect has been lifted; it is not when a return
 * is reached with nothing left to pop.
 *
 * <p>Memoization: two partial linearizations with the same set of linearized operations and the
 * same model state have the same futures, so the search never enters a (set, state) pair twice
 * (nor one that only adds indeterminate operations to an entered one: {@link VisitedConfigurations}).
 *
 * <p>Indeterminate operations return "at infinity": their returns sit at the end of the list, so
 * they are tried as long as anything is pending. Reaching one of them means no definite operation
 * is left, which is success: the indeterminate ones still in the list simply never took effect.
 *
 * <p>A search can stop when its deadline passes and be resumed later with another deadline. It
 * gives up ({@link Status#TOO_BIG}) when its memo would outgrow the memory it was given.
 */
final class WglSearch {

    /** Where a search stands. */
    enum Status { RUNNING, LINEARIZABLE, NOT_LINEARIZABLE, TOO_BIG }

    /**
     * The furthest the search got: the operations linearized (in order), the state they led to,
     * the operation whose return was reached unlinearized, and every operation that was pending
     * (invoked and not linearized) before that return, each with whether the model allows it there.
     */
    record DeepestPoint(List<Operation> prefix, String state, Operation overdue, List<Operation> pending,
                        List<Boolean> allowedInState) {}

    /** How many steps between two looks at the clock (nanoTime is not free). */
    private static final int STEPS_PER_CLOCK_CHECK = 256;

    private static final class Entry {
        final Operation op;
        final boolean isCall;
        final long time;
        int bit; // the operation's index among the definite, or among the indeterminate, operations
        Entry match; // a call's return, a return's call
        Entry prev;
        Entry next;

        Entry(Operation op, boolean isCall, long time) {
            this.op = op;
            this.isCall = isCall;
            this.time = time;
        }
    }

    /** A linearized operation (by its call entry) and the model state just before it. */
    private record Frame(Entry call, String stateBefore) {}

    private final Model model;
    private final int operationCount;
    private final Entry head = new Entry(null, false, Long.MIN_VALUE); // sentinel before the first entry
    private final Deque<Frame> stack = new ArrayDeque<>();
    private final long memoLimitBytes;
    /** The operations linearized so far (the current configuration), definite and indeterminate ones apart. */
    private final long[] definiteLinearized;
    private final long[] indeterminateLinearized;
    private VisitedConfigurations visited = new VisitedConfigurations(); // dropped once decided: it can be large
    private String state;
    private Entry cursor;
    private Status status = Status.RUNNING;
    private long steps;
    private DeepestPoint deepest;

    /**
     * @param ops            one key's operations, numbered 0..n-1 by {@link Operation#id}
     * @param memoLimitBytes when the memo grows larger (roughly), the search gives up
     */
    WglSearch(List<Operation> ops, Model model, long memoLimitBytes) {
        this.model = model;
        this.operationCount = ops.size();
        this.memoLimitBytes = memoLimitBytes;
        long definite = ops.stream().filter(Operation::mustTakeEffect).count();
        this.definiteLinearized = new long[(int) ((definite + 63) / 64)];
        this.indeterminateLinearized = new long[(int) ((ops.size() - definite + 63) / 64)];
        this.state = model.initialState();
        linkEntries(ops);
        this.cursor = head.next;
    }

    private void linkEntries(List<Operation> ops) {
        List<Entry> entries = new ArrayList<>(2 * ops.size());
        int definite = 0;
        int indeterminate = 0;
        for (Operation op : ops) {
            Entry call = new Entry(op, true, op.invokeTime());
            call.bit = op.mustTakeEffect() ? definite++ : indeterminate++;
            Entry ret = new Entry(op, false, op.completeTime());
            call.match = ret;
            ret.match = call;
            entries.add(call);
            entries.add(ret);
        }
        // At equal times calls go first: the operations then count as concurrent, the permissive reading.
        entries.sort(Comparator.<Entry>comparingLong(e -> e.time).thenComparing(e -> !e.isCall));
        Entry last = head;
        for (Entry e : entries) {
            last.next = e;
            e.prev = last;
            last = e;
        }
    }

    int operationCount() {
        return operationCount;
    }

    Status status() {
        return status;
    }

    long steps() {
        return steps;
    }

    /** The furthest point reached so far; null until the search first had to back up. */
    DeepestPoint deepest() {
        return deepest;
    }

    /**
     * Searches until decided or until {@code deadlineNanos} (a {@link System#nanoTime} value) has
     * passed; the clock is looked at before the first step, so a past deadline does no work.
     */
    Status run(long deadlineNanos) {
        while (status == Status.RUNNING && System.nanoTime() - deadlineNanos < 0) {
            for (int i = 0; i < STEPS_PER_CLOCK_CHECK && status == Status.RUNNING; i++) step();
            if (status == Status.RUNNING && visited.approximateBytes() > memoLimitBytes) status = Status.TOO_BIG;
        }
        if (status != Status.RUNNING) visited = null;
        return status;
    }

    /**
     * Forgets all progress (and the memo with it), as if just created; a paused search holds its memo,
     * so this bounds the memory of searches waiting to be resumed.
     */
    void restart() {
        if (status != Status.RUNNING) throw new IllegalStateException("restart of a search that ended " + status);
        while (!stack.isEmpty()) {
            Frame top = stack.pop();
            flip(top.call());
            unlift(top.call());
        }
        state = model.initialState();
        visited = new VisitedConfigurations();
        cursor = head.next;
        deepest = null;
    }

    private void step() {
        steps++;
        Entry entry = cursor;
        if (entry == null || (!entry.isCall && !entry.op.mustTakeEffect())) {
            status = Status.LINEARIZABLE;
            return;
        }
        if (entry.isCall) {
            if (model.allows(state, entry.op)) {
                String after = model.apply(state, entry.op);
                flip(entry);
                if (visited.enter(definiteLinearized, indeterminateLinearized, after)) {
                    stack.push(new Frame(entry, state));
                    state = after;
                    lift(entry);
                    cursor = head.next;
                    return;
                }
                flip(entry); // been here before, and it led nowhere
            }
            cursor = entry.next;
            return;
        }
        // A return: its operation had to take effect by now. Undo the latest choice and try the next.
        noteIfDeepest(entry);
        if (stack.isEmpty()) {
            status = Status.NOT_LINEARIZABLE;
            return;
        }
        Frame top = stack.pop();
        state = top.stateBefore();
        flip(top.call());
        unlift(top.call());
        cursor = top.call().next;
    }

    /** Unlinks an operation's call and return; {@link #unlift} undoes it (lifts are undone last-first). */
    private static void lift(Entry call) {
        unlink(call);
        unlink(call.match);
    }

    private static void unlift(Entry call) {
        relink(call.match);
        relink(call);
    }

    private static void unlink(Entry e) {
        e.prev.next = e.next;
        if (e.next != null) e.next.prev = e.prev;
    }

    private static void relink(Entry e) {
        e.prev.next = e;
        if (e.next != null) e.next.prev = e;
    }

    /** Adds the operation of {@code call} to the linearized set, or takes it out. */
    private void flip(Entry call) {
        long[] bits = call.op.mustTakeEffect() ? definiteLinearized : indeterminateLinearized;
        bits[call.bit >>> 6] ^= 1L << call.bit;
    }

    private void noteIfDeepest(Entry overdueReturn) {
        if (deepest != null && stack.size() <= deepest.prefix().size()) return;
        List<Operation> prefix = new ArrayList<>(stack.size());
        for (Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) prefix.add(it.next().call().op);
        List<Operation> pending = new ArrayList<>();
        List<Boolean> allowed = new ArrayList<>();
        for (Entry e = head.next; e != overdueReturn; e = e.next) {
            if (e.isCall) {
                pending.add(e.op);
                allowed.add(model.allows(state, e.op));
            }
        }
        deepest = new DeepestPoint(List.copyOf(prefix), state, overdueReturn.op, List.copyOf(pending), List.copyOf(allowed));
    }
}
