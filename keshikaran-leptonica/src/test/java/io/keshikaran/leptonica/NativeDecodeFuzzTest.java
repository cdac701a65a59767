package io.keshikaran.leptonica;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.internal.image.ImageDecoder;
import io.keshikaran.testkit.ForkedCampaign;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged files through the native decoder: each decode gives an image or an
 * {@link InvalidImageException}, never another exception or a crashed JVM. The campaign runs in a
 * JVM of its own, so that a crash in native code (a segmentation fault ends the process) fails this
 * test, naming the seed and the case, instead of ending the build's test JVM. The damage keeps each
 * format's trailer (JPEG EOI, PNG IEND, WebP RIFF size), so the files pass the probe and reach
 * Leptonica rather than being handed to ImageIO untouched; animated WebPs reach it frame by frame.
 * One WebP case in four also has a byte of its chunk headers changed (what routes it to libwebp's
 * scaled decode or not).
 */
class NativeDecodeFuzzTest {
    private static final Path FORMATS = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures")).resolve("formats");
    private static final int CASES = 300;
    private static final List<String> SEEDS = List.of("jpeg-baseline.jpg", "jpeg-progressive.jpg",
            // Its Adobe RGB profile, damaged too, goes to LittleCMS after the native decode.
            "jpeg-adobergb.jpg", "png-rgba.png",
            "png-palette.png", "png-interlaced.png", "webp-lossy.webp", "webp-lossless-alpha.webp",
            // Opaque stills: reduced, libwebp's scaled decode (ScaledWebP).
            "webp-lossless.webp", "webp-exif-orientation-6.webp",
            "webp-animated-alpha-lossy.webp", "webp-animated-alpha-lossless.webp",
            // Each frame converted from the ICCP profile after its native decode.
            "webp-animated-alpha-lossy-adobergb.webp");

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void damagedStillsNeverEscapeAsAnythingButInvalidImageException(long seed) throws Exception {
        ForkedCampaign.run(Campaign.class, seed, CASES, FORMATS);
    }

    /** One seed's campaign, run by the test in a JVM of its own; prints each case before decoding it. */
    public static final class Campaign {
        public static void main(String[] args) throws Exception {
            long seed = Long.parseLong(args[0]);
            int cases = Integer.parseInt(args[1]);
            Path formats = Path.of(args[2]);
            ImageDecoder full = new ImageDecoder(ImageLimits.defaults(),
                    DecodeOptions.builder().optDecoder(DecodeOptions.Decoder.NATIVE).build()).withTargetSize(64, 64);
            // A small target reduces the fixtures (192 px: by 4), which takes the reduced paths:
            // DCT scaling, box averaging, libwebp's scaler.
            ImageDecoder reduced = full.withTargetSize(24, 24);
            Random random = new Random(seed);
            int decoded = 0;
            int refused = 0;
            for (int round = 0; round < cases; round++) {
                String file = SEEDS.get(round % SEEDS.size());
                byte[] bytes = Files.readAllBytes(formats.resolve(file));
                // Damage the body only: the first 40 bytes (headers) and the last 16 (trailers) stay.
                int flips = 1 + random.nextInt(20);
                for (int i = 0; i < flips; i++) {
                    int at = 40 + random.nextInt(bytes.length - 56);
                    bytes[at] = (byte) random.nextInt(256);
                }
                if (file.endsWith(".webp") && random.nextInt(4) == 0) {
                    // The chunk headers that decide the route (VP8X flags, the image chunk's
                    // type, size and alpha bit), past the RIFF size.
                    bytes[12 + random.nextInt(28)] = (byte) random.nextInt(256);
                }
                ImageDecoder decoder = round % 2 == 0 ? full : reduced;
                System.out.println("case " + round + " (" + file + ", " + flips + " bytes changed, "
                        + (decoder == full ? "target 64" : "target 24") + ")");
                System.out.flush();
                try {
                    // Every frame: an animated WebP's frames are decoded natively one by one.
                    if (decoder.decodeFrames(bytes, "fuzz-" + round).first().width() <= 0) {
                        throw new AssertionError("case " + round + ": an image without pixels");
                    }
                    decoded++;
                } catch (InvalidImageException e) {
                    if (!e.getMessage().startsWith("fuzz-" + round + ": ")) {
                        throw new AssertionError("case " + round + ": the error does not name the input: " + e.getMessage());
                    }
                    refused++;
                }
            }
            System.out.println("done: " + decoded + " decoded, " + refused + " refused of " + cases);
        }
    }
}
