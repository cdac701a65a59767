package io.keshikaran.internal.image;

import io.keshikaran.spi.NativeImageDecoder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The native decodes' budget: big decodes take turns, small ones share, none is refused. */
class DecodeMemoryTest {
    private static final Path FIXTURES = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"));

    /** A thread that reserves like a native decode and holds the reservation until told to stop. */
    private static final class Decode extends Thread {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);
        private final DecodeMemory memory;
        private final long cost;
        volatile long reserved;

        Decode(DecodeMemory memory, long cost) {
            this.memory = memory;
            this.cost = cost;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                reserved = memory.acquireUpTo(cost);
                holding.countDown();
                finish.await();
                memory.release(reserved);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits until this thread waits, and checks that it waits for memory, holding none. */
        void awaitBlocked() throws InterruptedException {
            while (getState() != State.WAITING) {
                assertThat(isAlive()).isTrue();
                Thread.sleep(5);
            }
            assertThat(holding.getCount()).as("waiting for memory, not holding it").isEqualTo(1);
        }
    }

    @Test
    void twoBigNativeDecodesTakeTurnsWhileSmallOnesShare() throws Exception {
        DecodeMemory memory = new DecodeMemory(100);
        Decode big1 = new Decode(memory, 60);
        Decode big2 = new Decode(memory, 60);
        big1.start();
        assertThat(big1.holding.await(10, TimeUnit.SECONDS)).isTrue();
        big2.start();
        big2.awaitBlocked();
        assertThat(memory.used()).as("the second big decode waits, holding nothing").isEqualTo(60);

        Decode small = new Decode(memory, 30);
        small.start();
        assertThat(small.holding.await(10, TimeUnit.SECONDS)).as("a small decode still runs beside the big one").isTrue();
        assertThat(memory.used()).isEqualTo(90);

        big1.finish.countDown();
        big1.join();
        small.finish.countDown();
        small.join();
        assertThat(big2.holding.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(memory.used()).isEqualTo(60);
        big2.finish.countDown();
        big2.join();
        assertThat(memory.used()).isZero();
    }

    @Test
    void aDecodeLargerThanTheWholeBudgetRunsAloneInsteadOfFailingOrWaitingForever() throws Exception {
        DecodeMemory memory = new DecodeMemory(100);
        Decode small = new Decode(memory, 10);
        small.start();
        assertThat(small.holding.await(10, TimeUnit.SECONDS)).isTrue();

        Decode huge = new Decode(memory, 1_000);
        huge.start();
        huge.awaitBlocked();
        small.finish.countDown();
        small.join();
        assertThat(huge.holding.await(10, TimeUnit.SECONDS)).as("runs once nothing else is held").isTrue();
        assertThat(huge.reserved).isEqualTo(100);
        assertThat(memory.used()).isEqualTo(100);

        Decode next = new Decode(memory, 1);
        next.start();
        next.awaitBlocked();
        assertThat(memory.used()).as("nothing runs beside it").isEqualTo(100);
        huge.finish.countDown();
        huge.join();
        assertThat(next.holding.await(10, TimeUnit.SECONDS)).isTrue();
        next.finish.countDown();
        next.join();
        assertThat(memory.used()).isZero();
    }

    @Test
    void theNativeCapacityComesFromTheSystemPropertyInBytesOrWithASuffix() {
        assertThat(DecodeMemory.nativeCapacity(null)).isEqualTo(DecodeMemory.DEFAULT_NATIVE_BYTES).isEqualTo(192L << 20);
        assertThat(DecodeMemory.nativeCapacity(" ")).isEqualTo(DecodeMemory.DEFAULT_NATIVE_BYTES);
        assertThat(DecodeMemory.nativeCapacity("1000")).isEqualTo(1000);
        assertThat(DecodeMemory.nativeCapacity("64k")).isEqualTo(64L << 10);
        assertThat(DecodeMemory.nativeCapacity("512M")).isEqualTo(512L << 20);
        assertThat(DecodeMemory.nativeCapacity("2g")).isEqualTo(2L << 30);
        for (String bad : new String[] {"0", "-5m", "lots", "m", "99999999999999g"}) {
            assertThatThrownBy(() -> DecodeMemory.nativeCapacity(bad))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(DecodeMemory.NATIVE_PROPERTY + "=" + bad);
        }
    }

    @Test
    void theNativeCostCountsTheFileTheDecodedPixelsAndAProgressiveJpegsCoefficients() throws Exception {
        byte[] baseline = Files.readAllBytes(FIXTURES.resolve("formats/jpeg-baseline.jpg"));
        byte[] progressive = Files.readAllBytes(FIXTURES.resolve("formats/jpeg-progressive.jpg"));
        assertThat(RawMetadata.isProgressiveJpeg(baseline)).isFalse();
        assertThat(RawMetadata.isProgressiveJpeg(progressive)).isTrue();
        assertThat(RawMetadata.isProgressiveJpeg(Files.readAllBytes(FIXTURES.resolve("formats/gif-static.gif")))).isFalse();

        // A 4000x3000 header: JPEG decodes to 1/4 size by DCT scaling, PNG and WebP in full.
        NativeImageDecoder.Header jpeg = new NativeImageDecoder.Header("JPEG", 4000, 3000, null);
        NativeImageDecoder.Header png = new NativeImageDecoder.Header("PNG", 4000, 3000, null);
        assertThat(ImageDecoder.pixelMemory(baseline, jpeg, 4))
                .isEqualTo(1000L * 750 * ImageDecoder.NATIVE_BYTES_PER_DECODED_PIXEL);
        assertThat(ImageDecoder.pixelMemory(progressive, jpeg, 4))
                .isEqualTo(1000L * 750 * ImageDecoder.NATIVE_BYTES_PER_DECODED_PIXEL
                        + 4000L * 3000 * ImageDecoder.PROGRESSIVE_JPEG_BYTES_PER_PIXEL);
        assertThat(ImageDecoder.pixelMemory(baseline, png, 4))
                .isEqualTo(4000L * 3000 * ImageDecoder.NATIVE_BYTES_PER_DECODED_PIXEL);
        // WebP by its coding: libwebp keeps an ARGB image of its own for lossless only.
        NativeImageDecoder.Header webp = new NativeImageDecoder.Header("WEBP", 4000, 3000, null);
        byte[] lossy = Files.readAllBytes(FIXTURES.resolve("formats/webp-lossy.webp"));
        byte[] lossless = Files.readAllBytes(FIXTURES.resolve("formats/webp-lossless.webp"));
        byte[] lossyWithAlpha = Files.readAllBytes(FIXTURES.resolve("formats/webp-lossy-alpha.webp"));
        assertThat(ImageDecoder.pixelMemory(lossy, webp, 4))
                .isEqualTo(4000L * 3000 * ImageDecoder.LOSSY_WEBP_BYTES_PER_NATIVE_PIXEL);
        assertThat(ImageDecoder.pixelMemory(lossyWithAlpha, webp, 4))
                .isEqualTo(4000L * 3000 * ImageDecoder.LOSSY_WEBP_BYTES_PER_NATIVE_PIXEL);
        assertThat(ImageDecoder.pixelMemory(lossless, webp, 4))
                .isEqualTo(4000L * 3000 * ImageDecoder.LOSSLESS_WEBP_BYTES_PER_NATIVE_PIXEL);
        byte[] cut = Arrays.copyOf(lossy, 16);
        assertThat(ImageDecoder.pixelMemory(cut, webp, 4)).as("unsound: the dearer guess")
                .isEqualTo(4000L * 3000 * ImageDecoder.LOSSLESS_WEBP_BYTES_PER_NATIVE_PIXEL);
        // HEIF and AVIF: keshikaran-video's decoder gives its own (FfmpegImageDecoderTest); another decoder's get the generic rate.
        assertThat(ImageDecoder.pixelMemory(baseline, new NativeImageDecoder.Header("HEIF", 4032, 3024, null), 8))
                .isEqualTo(4032L * 3024 * ImageDecoder.NATIVE_BYTES_PER_DECODED_PIXEL);
        // Sizes that do not divide: the decoder rounds up.
        assertThat(ImageDecoder.pixelMemory(baseline, new NativeImageDecoder.Header("JPEG", 9, 9, null), 8))
                .isEqualTo(4L * ImageDecoder.NATIVE_BYTES_PER_DECODED_PIXEL);

        // The reservation adds the file and the codec's buffers to the decoder's own estimate when
        // it gives one, else to keshikaran's, also when the decoder's estimate fails.
        long fixed = baseline.length + ImageDecoder.NATIVE_CODEC_BYTES;
        assertThat(ImageDecoder.nativeCost(estimating(-1), baseline, png, 4))
                .isEqualTo(fixed + ImageDecoder.pixelMemory(baseline, png, 4));
        assertThat(ImageDecoder.nativeCost(estimating(1234), baseline, png, 4)).isEqualTo(fixed + 1234);
        assertThat(ImageDecoder.nativeCost(estimating(Long.MAX_VALUE), baseline, png, 4)).as("decode alone: saturated")
                .isEqualTo(Long.MAX_VALUE);
        assertThat(ImageDecoder.nativeCost(estimating(Long.MIN_VALUE), baseline, png, 4)).as("its estimate throws")
                .isEqualTo(fixed + ImageDecoder.pixelMemory(baseline, png, 4));
    }

    /** A native decoder that only estimates: {@code bytes}, or throws for {@link Long#MIN_VALUE}. */
    private static NativeImageDecoder estimating(long bytes) {
        return new NativeImageDecoder() {
            @Override
            public String name() {
                return "estimate-only";
            }

            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public Header probe(byte[] encoded) {
                return null;
            }

            @Override
            public Pixels decode(byte[] encoded, Header header, int reduction) throws java.io.IOException {
                throw new java.io.IOException("estimates only");
            }

            @Override
            public long nativeMemory(byte[] encoded, Header header, int reduction) {
                if (bytes == Long.MIN_VALUE) {
                    throw new IllegalStateException("a broken estimate");
                }
                return bytes;
            }
        };
    }
}
