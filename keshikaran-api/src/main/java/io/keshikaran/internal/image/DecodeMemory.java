package io.keshikaran.internal.image;

import java.util.Locale;

/**
 * The heap that decodes in this JVM may hold together: half the maximum heap
 * ({@code Runtime.maxMemory() / 2}). Each decode reserves its estimated working set before a
 * decoder allocates pixel memory, and waits while other decodes hold too much, so that parallel
 * decodes (a batch, a server's request threads) cannot together exhaust the heap: an
 * {@link OutOfMemoryError} would otherwise hit whichever thread allocates next, and with
 * {@code -XX:+ExitOnOutOfMemoryError} end the process. A decode whose estimate exceeds the whole
 * budget is refused at once. Thread-safe.
 *
 * <p>Reservations are accounting, not allocation: the estimates ({@link ImageDecoder}'s cost
 * model) are measured upper bounds of what the readers allocate.
 */
final class DecodeMemory {
    static final DecodeMemory SHARED = new DecodeMemory(Runtime.getRuntime().maxMemory() / 2);

    private final long capacity;
    private long used;

    DecodeMemory(long capacity) {
        this.capacity = capacity;
    }

    long capacity() {
        return capacity;
    }

    /** Whether a working set this large could ever be reserved. */
    boolean fits(long bytes) {
        return bytes <= capacity;
    }

    /**
     * Waits until {@code bytes} are free and reserves them. Only for a thread that holds no
     * reservation yet, so that waiting threads never hold what others wait for.
     */
    synchronized void acquire(long bytes) throws InterruptedException {
        if (!fits(bytes)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%d bytes exceed the capacity of %d", bytes, capacity));
        }
        while (used + bytes > capacity) {
            wait();
        }
        used += bytes;
    }

    /** Reserves {@code bytes} more if they are free now; never waits. */
    synchronized boolean tryAcquire(long bytes) {
        if (used + bytes > capacity) {
            return false;
        }
        used += bytes;
        return true;
    }

    synchronized void release(long bytes) {
        used -= bytes;
        notifyAll();
    }

    synchronized long used() {
        return used;
    }
}
