package io.keshikaran.internal.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;

import java.lang.management.ManagementFactory;

/**
 * Coverage-guided fuzzing of the decode entry point with Jazzer, alongside the seeded mutation
 * fuzzing of {@link ImageDecoderFuzzTest}.
 *
 * <p>In the normal build ({@code mvn test}) this runs in Jazzer's regression mode: every file of
 * the committed corpus, {@code src/test/resources/io/keshikaran/internal/image/ImageDecoderJazzerTestInputs/decodeFrames}
 * (small fixtures of every format plus hostile WebPs), is decoded once, in well under a second.
 * Fuzzing mode, which mutates them guided by coverage and writes any failing input into that
 * folder (commit it: it becomes a regression case):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl keshikaran-api -am test -Dtest=ImageDecoderJazzerTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -DargLine=-Xmx1g '-Djazzer.instrument=com.twelvemonkeys.**,io.keshikaran.**'
 * </pre>
 *
 * <p>(5 minutes, {@code maxDuration} below.) {@code jazzer.instrument} makes the coverage include
 * TwelveMonkeys' readers, where the allocations were (by default Jazzer instruments only this
 * project's classes: 719 edges instead of about 3,000); the bounded heap keeps the JVM under
 * libFuzzer's 2 GB RSS limit, which otherwise ends the run with a false finding. A finding is any throwable other than
 * {@link InvalidImageException}, an {@link OutOfMemoryError} anywhere in the cause chain, or a
 * decode allocating more than the fuzz test's bound.
 */
class ImageDecoderJazzerTest {
    /** As {@link ImageDecoderFuzzTest}: 4 megapixels at most, 512 MB of allocation per decode at most. */
    private static final ImageLimits LIMITS = new ImageLimits(ImageLimits.DEFAULT_MAX_FILE_BYTES, 4_000_000);
    private static final long MAX_ALLOCATED_BYTES = 512L << 20;
    private static final ImageDecoder DECODER = new ImageDecoder(LIMITS, DecodeOptions.builder().optMaxFrames(8).build());
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @FuzzTest(maxDuration = "5m")
    void decodeFrames(byte[] data) {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        try {
            DECODER.decodeFrames(data, "jazzer-input");
        } catch (InvalidImageException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof OutOfMemoryError) {
                    throw new AssertionError("ran out of memory", e);
                }
            }
        }
        long allocated = THREADS.getThreadAllocatedBytes(id) - before;
        if (allocated > MAX_ALLOCATED_BYTES) {
            throw new AssertionError("one decode allocated " + allocated + " bytes, over " + MAX_ALLOCATED_BYTES);
        }
    }
}
