package io.keshikaran.examples.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control for classification requests: at most {@code maxConcurrent} run, at most
 * {@code queueSize} more wait for a slot, each for a bounded time; everything beyond that is
 * turned away at once. A waiting request holds one server thread, so threads stay bounded too.
 */
final class Admission {
    /** What became of a request that asked for a slot. */
    enum Outcome { ADMITTED, QUEUE_FULL, TIMED_OUT }

    private final int maxConcurrent;
    private final int queueSize;
    // Fair, so queued requests are served in arrival order.
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();

    Admission(int maxConcurrent, int queueSize) {
        this.maxConcurrent = maxConcurrent;
        this.queueSize = queueSize;
        this.slots = new Semaphore(maxConcurrent, true);
    }

    /** Takes a slot, waiting at most {@code timeoutNanos} in the queue; on ADMITTED, call {@link #leave()}. */
    Outcome enter(long timeoutNanos) throws InterruptedException {
        if (slots.tryAcquire()) {
            return Outcome.ADMITTED;
        }
        if (waiting.incrementAndGet() > queueSize) {
            waiting.decrementAndGet();
            return Outcome.QUEUE_FULL;
        }
        try {
            return slots.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS) ? Outcome.ADMITTED : Outcome.TIMED_OUT;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Gives back the slot of an admitted request. */
    void leave() {
        slots.release();
    }

    /** Requests holding a slot now. */
    int running() {
        return maxConcurrent - slots.availablePermits();
    }

    /** Requests waiting for a slot now. */
    int waiting() {
        return waiting.get();
    }
}
