package dev.ballot.node;

import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * An unbounded many-producer, one-consumer queue for a thread's work: {@link #add} takes no lock
 * and wakes the consumer only when it is actually parked, so a busy consumer costs producers one
 * CAS and no system call ({@code LinkedBlockingQueue} takes a lock on every add and signals a
 * condition whenever it was empty). Only one thread may wait ({@link #take}, {@link #poll(long)});
 * {@link #poll()} and {@link #drainTo} are safe from any thread.
 *
 * <p>No wake-up is lost: the consumer announces that it will park <em>before</em> it looks at the
 * queue a last time, and a producer looks at that announcement <em>after</em> adding. Both are
 * volatile accesses, so either the consumer sees the new element or the producer sees the
 * announcement and unparks it (an unpark before the park makes the park return at once).
 */
final class Inbox<E> {

    /**
     * Work often arrives within microseconds of the last element (the next client request, the
     * disk's answer): giving up the CPU a few times before parking catches it without a futex
     * wait on this side and a futex wake on the producer's.
     */
    private static final int YIELDS_BEFORE_PARKING = 2;

    private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean parked = new AtomicBoolean();
    private volatile Thread consumer;

    /** Adds {@code e} and wakes the consumer if it is waiting; any thread. */
    void add(E e) {
        queue.add(e);
        if (parked.get() && parked.compareAndSet(true, false)) {
            LockSupport.unpark(consumer);
        }
    }

    /** The next element, or null if there is none; any thread. */
    E poll() {
        return queue.poll();
    }

    /** Moves every element present to {@code into}; any thread. */
    void drainTo(Collection<? super E> into) {
        E e;
        while ((e = queue.poll()) != null) into.add(e);
    }

    /** Waits for the next element; consumer only. */
    E take() throws InterruptedException {
        return poll(Long.MAX_VALUE);
    }

    /**
     * Waits up to {@code nanos} for the next element ({@code Long.MAX_VALUE}: no limit); null if
     * none came. Consumer only.
     */
    E poll(long nanos) throws InterruptedException {
        E e = queue.poll();
        if (e != null) return e;
        for (int i = 0; i < YIELDS_BEFORE_PARKING; i++) {
            Thread.yield();
            e = queue.poll();
            if (e != null) return e;
        }
        boolean forever = nanos == Long.MAX_VALUE;
        long deadline = forever ? 0 : System.nanoTime() + nanos;
        consumer = Thread.currentThread();
        while (true) {
            parked.set(true);
            e = queue.poll();
            if (e != null) {
                parked.set(false);
                return e;
            }
            if (forever) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    parked.set(false);
                    return null;
                }
                LockSupport.parkNanos(this, left);
            }
            parked.set(false);
            if (Thread.interrupted()) throw new InterruptedException();
            e = queue.poll();
            if (e != null) return e;
        }
    }
}
