package io.keshikaran.internal.image;

import java.util.Locale;

/**
 * A memory budget shared by the decodes of this JVM. {@link #HEAP}: the heap that decodes may hold
 * together, half the maximum heap ({@code Runtime.maxMemory() / 2}). Each decode reserves its estimated working set before a
 * decoder allocates pixel memory, and waits while other decodes hold too much, so that parallel
 * decodes (a batch, a server's request threads) cannot together exhaust the heap: an
 * {@link OutOfMemoryError} would otherwise hit whichever thread allocates next, and with
 * {@code -XX:+ExitOnOutOfMemoryError} end the process. A decode whose estimate exceeds the whole
 * budget is refused at once. Thread-safe.
 *
 * <p>Reservations are accounting, not allocation: the estimates ({@link ImageDecoder}'s cost
 * model) are measured upper bounds of what the readers allocate.
 *
 * <p>{@link #nativeMemory()}: the memory outside the heap that native decodes may hold together
 * ({@value #DEFAULT_NATIVE_BYTES} bytes, 192 MiB, unless the system property {@value #NATIVE_PROPERTY}
 * says otherwise, such as {@code 512m}). Native decodes reserve with {@link #acquireUpTo}: an image
 * whose estimate exceeds the whole budget is not refused (the heap is not at stake) but decoded
 * alone, once no other native decode holds memory. So two huge images never decode at once while
 * small ones still decode in parallel.
 */
final class DecodeMemory {
    /** The system property that sets {@link #nativeMemory()}'s capacity, in bytes, or with a k, m or g suffix. */
    static final String NATIVE_PROPERTY = "keshikaran.decoder.nativeMemory";
    /** {@link #nativeMemory()}'s capacity unless {@value #NATIVE_PROPERTY} is set: 192 MiB. */
    static final long DEFAULT_NATIVE_BYTES = 192L << 20;

    static final DecodeMemory HEAP = new DecodeMemory(Runtime.getRuntime().maxMemory() / 2);

    /** Read once, on first use; a bad value fails every native decode with its explanation. */
    private static final class Native {
        static final DecodeMemory INSTANCE;
        static final String PROBLEM;

        static {
            DecodeMemory memory = null;
            String problem = null;
            try {
                memory = new DecodeMemory(nativeCapacity(System.getProperty(NATIVE_PROPERTY)));
            } catch (IllegalStateException e) {
                problem = e.getMessage();
            }
            INSTANCE = memory;
            PROBLEM = problem;
        }
    }

    /**
     * The budget of native decodes.
     *
     * @throws IllegalStateException when {@value #NATIVE_PROPERTY} has a bad value
     */
    static DecodeMemory nativeMemory() {
        if (Native.INSTANCE == null) {
            throw new IllegalStateException(Native.PROBLEM);
        }
        return Native.INSTANCE;
    }

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

    /**
     * Waits until {@code bytes} are free, or for a working set larger than the whole budget until
     * nothing is held, and reserves them (at most the capacity). The same rule as {@link #acquire}
     * holds for the caller.
     *
     * @return the bytes reserved, to {@link #release} later
     */
    long acquireUpTo(long bytes) throws InterruptedException {
        long n = Math.min(bytes, capacity);
        acquire(n);
        return n;
    }

    synchronized void release(long bytes) {
        used -= bytes;
        notifyAll();
    }

    synchronized long used() {
        return used;
    }

    /**
     * The capacity a {@value #NATIVE_PROPERTY} value asks for: bytes, or a number with a k, m or g
     * suffix; {@link #DEFAULT_NATIVE_BYTES} when unset.
     *
     * @throws IllegalStateException for a value that is not a positive size
     */
    static long nativeCapacity(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_NATIVE_BYTES;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        int shift = switch (v.charAt(v.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        try {
            long n = Long.parseLong(shift == 0 ? v : v.substring(0, v.length() - 1));
            if (n > 0 && n <= Long.MAX_VALUE >> shift) {
                return n << shift;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("system property " + NATIVE_PROPERTY + "=" + value
                + " is not a positive size in bytes (such as 201326592, 192m or 1g)");
    }
}
