package io.keshikaran.internal.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebP structure checks one rule at a time, on the fixtures with one field changed; and the decode memory budget. */
class WebPStructureTest {
    @ParameterizedTest
    @ValueSource(strings = {"webp-lossy.webp", "webp-lossless.webp", "webp-lossy-alpha.webp", "webp-lossless-alpha.webp",
        "webp-animated.webp", "webp-animated-lossy.webp", "webp-exif-orientation-6.webp", "tiny-1x1.webp"})
    void everyValidFixturePasses(String name) throws Exception {
        WebPStructure.Result result = WebPStructure.check(Files.readAllBytes(TestImages.format(name)));
        assertThat(result.problem()).isNull();
        assertThat(result.lossy()).isEqualTo(!name.contains("lossless") && !name.equals("tiny-1x1.webp")
                && !name.equals("webp-animated.webp"));
    }

    @Test
    void aRiffLengthBeyondTheDataIsTruncation() throws Exception {
        byte[] d = Files.readAllBytes(TestImages.format("webp-lossy.webp"));
        assertThat(WebPStructure.check(Arrays.copyOf(d, d.length - 1)).problem())
                .startsWith("the data ends before the image does (the RIFF header declares 5790 bytes, the file has 5789)");
    }

    @Test
    void aVp8FrameMustHaveTheCanvasSize() throws Exception {
        byte[] d = Files.readAllBytes(TestImages.format("webp-exif-orientation-6.webp"));
        d[24] = 99; // canvas width - 1, low byte: 128 -> 100
        assertThat(WebPStructure.check(d).problem()).isEqualTo("the VP8 data is 128x192 but the container declares 100x192");
    }

    @Test
    void anAnimationFrameMustLieInsideTheCanvas() throws Exception {
        byte[] d = Files.readAllBytes(TestImages.format("webp-animated.webp"));
        int anmf = indexOf(d, "ANMF");
        d[anmf + 8] = 10; // x offset / 2 of the first (full-canvas) frame
        assertThat(WebPStructure.check(d).problem()).isEqualTo("frame 0 (192x128 at 20,0) lies outside the 192x128 canvas");
    }

    @Test
    void aVp8FirstPartitionMustFitAndHoldTheMacroblocks() throws Exception {
        byte[] d = Files.readAllBytes(TestImages.format("webp-lossy.webp"));
        byte[] tooLong = d.clone();
        tooLong[22] = (byte) 0xFF; // partition size bits 11..18
        assertThat(WebPStructure.check(tooLong).problem()).contains("does not fit in its chunk");
        byte[] tooLarge = d.clone();
        tooLarge[26] = (byte) 0xFF; // width 192 -> 0x3FFF & 0x..FF: many more macroblocks, same data
        tooLarge[27] = 0x3F;
        assertThat(WebPStructure.check(tooLarge).problem()).startsWith("the VP8 data is too short for its size");
    }

    @Test
    void aLosslessBitstreamMustHaveTheSizeOfItsFrame() throws Exception {
        byte[] d = Files.readAllBytes(TestImages.format("webp-animated.webp"));
        int vp8l = indexOf(d, "VP8L");
        d[vp8l + 9] ^= 0x01; // width - 1, lowest bit
        assertThat(WebPStructure.check(d).problem()).startsWith("the VP8L data is 19").contains("but the container declares 192x128");
    }

    @Test
    void decodeMemoryWaitsForReleasesAndRefusesWhatCanNeverFit() throws Exception {
        DecodeMemory memory = new DecodeMemory(100);
        assertThat(memory.fits(101)).isFalse();
        memory.acquire(60);
        assertThat(memory.tryAcquire(50)).isFalse();
        CountDownLatch acquired = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                memory.acquire(50);
                acquired.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        assertThat(acquired.await(200, TimeUnit.MILLISECONDS)).as("waits while 60 of 100 are held").isFalse();
        memory.release(60);
        assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(memory.used()).isEqualTo(50);
        memory.release(50);
        waiter.join();
    }

    private static int indexOf(byte[] d, String fourCC) {
        for (int i = 12; i + 4 <= d.length; i++) {
            if (RawMetadata.fourCC(d, i, fourCC)) {
                return i;
            }
        }
        throw new AssertionError(fourCC + " not found");
    }
}
