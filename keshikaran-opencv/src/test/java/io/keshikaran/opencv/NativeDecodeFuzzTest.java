package io.keshikaran.opencv;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.internal.image.ImageDecoder;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged files through the native decoder: each decode gives an image or an
 * {@link InvalidImageException}, never another exception or a crashed JVM (a crash in native code
 * would end this test's JVM). The damage keeps each format's trailer (JPEG EOI, PNG IEND, WebP RIFF
 * size), so the files pass the probe and reach OpenCV rather than being handed to ImageIO untouched.
 */
class NativeDecodeFuzzTest {
    private static final Path FORMATS = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures")).resolve("formats");

    @Test
    void damagedStillsNeverEscapeAsAnythingButInvalidImageException() throws Exception {
        List<String> seeds = List.of("jpeg-baseline.jpg", "jpeg-progressive.jpg", "png-rgba.png", "png-palette.png",
                "png-interlaced.png", "webp-lossy.webp", "webp-lossless-alpha.webp");
        ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults(),
                DecodeOptions.builder().optDecoder(DecodeOptions.Decoder.NATIVE).build()).withTargetSize(64, 64);
        Random random = new Random(11);
        int decoded = 0;
        int refused = 0;
        for (int round = 0; round < 300; round++) {
            byte[] bytes = Files.readAllBytes(FORMATS.resolve(seeds.get(round % seeds.size())));
            // Damage the body only: the first 40 bytes (headers) and the last 16 (trailers) stay.
            int flips = 1 + random.nextInt(20);
            for (int i = 0; i < flips; i++) {
                int at = 40 + random.nextInt(bytes.length - 56);
                bytes[at] = (byte) random.nextInt(256);
            }
            try {
                assertThat(decoder.decode(bytes, "fuzz-" + round).width()).isPositive();
                decoded++;
            } catch (InvalidImageException e) {
                assertThat(e.getMessage()).startsWith("fuzz-" + round + ": ");
                refused++;
            }
        }
        assertThat(decoded + refused).isEqualTo(300);
    }
}
