package dev.ballot.bench.peers;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A closed loop of {@code k} writes in flight on one {@link RaftSystem}: each completed write
 * immediately submits the next one. Latency is measured from just before {@code propose} to the
 * completion callback, in nanoseconds, into an HdrHistogram {@link Recorder}; the warm-up's
 * samples are discarded.
 */
public final class ClosedLoop {

    /** Called on the driver thread at the two edges of the measured window. */
    public interface Phases {
        Phases NONE = new Phases() { };

        default void measureStarts() {
        }

        default void measureEnds() {
        }
    }

    /**
     * @param histogram   latencies (ns) of the writes that completed inside the measured window
     * @param seconds     the window's length as measured
     * @param errors      writes that failed inside the window (each was replaced by a new one)
     * @param firstError  the first failure seen anywhere in the run, or null
     * @param acked       every write acknowledged during the run, warm-up included
     * @param maxCounter  the highest counter value returned
     */
    public record Outcome(Histogram histogram, double seconds, long errors, String firstError, long acked,
                          long maxCounter) {
    }

    private static final Logger log = LoggerFactory.getLogger(ClosedLoop.class);
    private static final int PAYLOADS = 1024;

    private final RaftSystem system;
    private final int k;
    private final byte[][] payloads;
    private final Recorder recorder = new Recorder(3);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong maxCounter = new AtomicLong();
    private final AtomicLong next = new AtomicLong();
    private volatile String firstError;
    private CountDownLatch drained;

    public ClosedLoop(RaftSystem system, int k, int payloadBytes, long seed) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, was " + k);
        this.system = system;
        this.k = k;
        SplittableRandom random = new SplittableRandom(seed);
        this.payloads = new byte[PAYLOADS][payloadBytes];
        for (byte[] p : payloads) {
            for (int i = 0; i < p.length; i++) p[i] = (byte) random.nextInt(256);
        }
    }

    public Outcome run(Duration warmup, Duration measure, Phases phases) throws InterruptedException {
        drained = new CountDownLatch(k);
        ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("bench-retry").unstarted(r));
        try {
            for (int i = 0; i < k; i++) submit(retry);
            Thread.sleep(warmup.toMillis());
            recorder.getIntervalHistogram(); // drop the warm-up's samples
            long errorsBefore = errors.get();
            phases.measureStarts();
            long start = System.nanoTime();
            Thread.sleep(measure.toMillis());
            Histogram measured = recorder.getIntervalHistogram();
            double seconds = (System.nanoTime() - start) / 1e9;
            long windowErrors = errors.get() - errorsBefore;
            phases.measureEnds();
            stopping.set(true);
            if (!drained.await(30, TimeUnit.SECONDS)) {
                log.warn("{}: {} writes still in flight 30 s after the end of the run", system.name(),
                        drained.getCount());
            }
            return new Outcome(measured, seconds, windowErrors, firstError, acked.get(), maxCounter.get());
        } finally {
            retry.shutdownNow();
        }
    }

    private void submit(ScheduledExecutorService retry) {
        if (stopping.get()) {
            drained.countDown();
            return;
        }
        byte[] payload = payloads[(int) (next.getAndIncrement() % PAYLOADS)];
        long t0 = System.nanoTime();
        CompletableFuture<byte[]> f;
        try {
            f = system.propose(payload);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        BiConsumer<byte[], Throwable> done = (result, error) -> {
            long latency = System.nanoTime() - t0;
            if (error == null) {
                try {
                    long v = Counter.decode(result);
                    maxCounter.accumulateAndGet(v, Math::max);
                    acked.incrementAndGet();
                    recorder.recordValue(latency);
                } catch (RuntimeException e) {
                    error = e;
                }
            }
            if (error != null) {
                errors.incrementAndGet();
                if (firstError == null) {
                    firstError = error.toString();
                    log.warn("{}: a write failed (later failures are only counted): {}", system.name(), error);
                }
                if (stopping.get()) {
                    drained.countDown();
                } else {
                    // Back off a little so a cluster without a leader is not flooded with retries.
                    retry.schedule(() -> submit(retry), 5, TimeUnit.MILLISECONDS);
                }
                return;
            }
            submit(retry);
        };
        if (f.isDone()) {
            // Completed already (typically a refusal): continue on another thread, not deeper in this stack.
            f.whenCompleteAsync(done, retry);
        } else {
            f.whenComplete(done);
        }
    }
}
