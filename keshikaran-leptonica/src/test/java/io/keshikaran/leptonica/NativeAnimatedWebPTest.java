package io.keshikaran.leptonica;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static io.keshikaran.leptonica.LeptonicaImageDecoderTest.maxDifference;
import static io.keshikaran.leptonica.LeptonicaImageDecoderTest.meanDifference;
import static io.keshikaran.leptonica.LeptonicaImageDecoderTest.sha256;

/**
 * Animated WebP frames decoded by libwebp (each frame handed to Leptonica as a still) against the
 * Java path (TwelveMonkeys), on the repository's animated fixtures: lossless and lossy, with alpha,
 * frame offsets, blending and "do not blend", and disposal to background. Lossless frames are
 * byte-identical; lossy ones differ as lossy stills do (TwelveMonkeys' VP8 decoder upsamples chroma
 * differently): at most {@value #MAX_LOSSY_DIFFERENCE} per sample and {@value #MEAN_LOSSY_DIFFERENCE}
 * on average. Measured: 62 and 2.70 on the drawing (frame 1 of webp-animated-lossy.webp, whose sharp
 * colour edges show the chroma difference most; TwelveMonkeys against libwebp's dwebp on that frame
 * alone gives the same 62 and 2.70), 43 and 2.82 on the colours kept under transparent pixels
 * (KEEP_STORED_COLOR), 23 and 1.64 on the photo.
 */
class NativeAnimatedWebPTest {
    private static final Path FORMATS = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures")).resolve("formats");
    private static final int MAX_LOSSY_DIFFERENCE = 64;
    private static final double MEAN_LOSSY_DIFFERENCE = 3.0;
    private static final DecodeOptions ALL_FRAMES = DecodeOptions.builder().optMaxFrames(32)
            .optResolution(DecodeOptions.Resolution.FULL).build();

    private static ImageDecoder decoder(DecodeOptions options, DecodeOptions.Decoder which) {
        return new ImageDecoder(ImageLimits.defaults(), options.toBuilder().optDecoder(which).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"webp-animated.webp", "webp-animated-alpha-lossless.webp",
        "webp-animated-lossy.webp", "webp-animated-alpha-lossy.webp",
        // Tagged Adobe RGB: frames decoded natively, then converted one by one as TwelveMonkeys does.
        "webp-animated-adobergb.webp", "webp-animated-alpha-lossy-adobergb.webp"})
    void framesMatchTheJavaPath(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(FORMATS.resolve(name));
        boolean lossy = name.contains("lossy");
        // Adobe RGB's wider gamut stretches the codecs' difference in the conversion, as for stills
        // (LeptonicaImageDecoderTest): 3.17 on average against 2.82 untagged (frame 0, KEEP_STORED_COLOR).
        double stretch = name.contains("adobergb") ? 1.5 : 1;
        for (DecodeOptions.Transparency t : DecodeOptions.Transparency.values()) {
            DecodeOptions options = ALL_FRAMES.toBuilder().optTransparency(t).build();
            DecodedImage java = decoder(options, DecodeOptions.Decoder.JAVA).decodeFrames(bytes, name);
            DecodedImage nat = decoder(options, DecodeOptions.Decoder.NATIVE).decodeFrames(bytes, name);
            assertThat(nat.format()).isEqualTo(java.format()).isEqualTo("WEBP");
            assertThat(nat.isAnimated()).isTrue();
            assertThat(nat.width()).isEqualTo(java.width());
            assertThat(nat.height()).isEqualTo(java.height());
            assertThat(nat.frames()).extracting(DecodedImage.Frame::index)
                    .containsExactlyElementsOf(java.frames().stream().map(DecodedImage.Frame::index).toList())
                    .hasSize(3);
            for (int i = 0; i < java.frames().size(); i++) {
                RgbImage n = nat.frames().get(i).image();
                RgbImage j = java.frames().get(i).image();
                assertThat(n.width()).isEqualTo(j.width());
                assertThat(n.height()).isEqualTo(j.height());
                String what = name + " frame " + i + " " + t;
                if (lossy) {
                    assertThat(meanDifference(n, j)).as(what).isLessThanOrEqualTo(MEAN_LOSSY_DIFFERENCE * stretch);
                    assertThat(maxDifference(n, j)).as(what).isLessThanOrEqualTo((int) (MAX_LOSSY_DIFFERENCE * stretch));
                } else {
                    assertThat(sha256(n)).as(what).isEqualTo(sha256(j));
                }
            }
            if (lossy) {
                // libwebp, not a fallback to TwelveMonkeys, decoded the frames.
                assertThat(maxDifference(nat.frames().get(0).image(), java.frames().get(0).image())).as(name).isPositive();
            }
        }
    }

    /**
     * The same frames come out whichever frame sampling asks for, and the first frame alone (what
     * {@code decode} returns) is the first sampled frame.
     */
    @Test
    void samplingAndTheFirstFrameAgreeWithTheJavaPath() throws Exception {
        byte[] bytes = Files.readAllBytes(FORMATS.resolve("webp-animated-alpha-lossless.webp"));
        DecodeOptions everySecond = ALL_FRAMES.toBuilder().optFrameStep(2).build();
        DecodedImage nat = decoder(everySecond, DecodeOptions.Decoder.NATIVE).decodeFrames(bytes, "x");
        DecodedImage java = decoder(everySecond, DecodeOptions.Decoder.JAVA).decodeFrames(bytes, "x");
        assertThat(nat.frames()).extracting(DecodedImage.Frame::index).containsExactly(0, 2);
        for (int i = 0; i < 2; i++) {
            assertThat(sha256(nat.frames().get(i).image()))
                    .isEqualTo(sha256(java.frames().get(i).image()));
        }
        assertThat(sha256(decoder(ALL_FRAMES, DecodeOptions.Decoder.AUTO).decode(bytes, "x")))
                .isEqualTo(sha256(java.first()));
    }

    /** Truncated animations are refused with the same kind and message on both paths. */
    @ParameterizedTest
    @ValueSource(strings = {"webp-animated-alpha-lossy.webp", "webp-animated-alpha-lossless.webp"})
    void truncatedAnimationsAreRefusedAsOnTheJavaPath(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(FORMATS.resolve(name));
        for (int n = 40; n < bytes.length; n += Math.max(1, bytes.length / 23)) {
            byte[] cut = Arrays.copyOf(bytes, n);
            InvalidImageException java = refusal(cut, DecodeOptions.Decoder.JAVA);
            InvalidImageException nat = refusal(cut, DecodeOptions.Decoder.NATIVE);
            assertThat(java).as("%s cut at %d", name, n).isNotNull();
            assertThat(nat).as("%s cut at %d", name, n).isNotNull();
            assertThat(nat.kind()).isEqualTo(java.kind());
            assertThat(nat.getMessage()).isEqualTo(java.getMessage());
        }
    }

    /**
     * Damaged data (8 random bytes changed past the headers): refused with the same kind and
     * message on both paths (libwebp fails and TwelveMonkeys then reports, or the structure check
     * refuses first), or decoded by both. 1,200 such files gave no difference.
     */
    @ParameterizedTest
    @ValueSource(strings = {"webp-animated-alpha-lossy.webp", "webp-animated-alpha-lossless.webp", "webp-animated.webp"})
    void damagedAnimationsAreRefusedAsOnTheJavaPath(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(FORMATS.resolve(name));
        Random random = new Random(11);
        int refused = 0;
        for (int i = 0; i < 60; i++) {
            byte[] damaged = bytes.clone();
            int at = 100 + random.nextInt(bytes.length - 100);
            for (int k = 0; k < 8 && at + k < damaged.length; k++) {
                damaged[at + k] ^= (byte) (1 + random.nextInt(255));
            }
            InvalidImageException java = refusal(damaged, DecodeOptions.Decoder.JAVA);
            InvalidImageException nat = refusal(damaged, DecodeOptions.Decoder.NATIVE);
            assertThat(nat == null).as("%s damaged at %d refused natively: %s, in Java: %s", name, at, nat, java)
                    .isEqualTo(java == null);
            if (java != null) {
                assertThat(nat.kind()).isEqualTo(java.kind());
                assertThat(nat.getMessage()).isEqualTo(java.getMessage());
                refused++;
            }
        }
        assertThat(refused).as("damaged files refused").isPositive();
    }

    private static InvalidImageException refusal(byte[] bytes, DecodeOptions.Decoder which) {
        try {
            decoder(ALL_FRAMES, which).decodeFrames(bytes, "anim.webp");
            return null;
        } catch (InvalidImageException e) {
            return e;
        }
    }

    /**
     * An animation whose frames libwebp decodes reserves the heap those frames need, not
     * TwelveMonkeys' far larger working set: in a JVM with a 400 MB heap (200 MB for decoding), the
     * 2000x2000 animation decodes natively (about 160 MB reserved) and is refused as too large
     * through the Java path (about 230 MB), as before.
     */
    @Test
    void nativelyDecodedFramesReserveTheirOwnHeap() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx400m", "-cp", System.getProperty("java.class.path"),
                LargeAnimationMain.class.getName(), FORMATS.resolve("webp-animated-2000x2000.webp").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("auto: 2 frames of 2000x2000")
                .contains("java: TOO_LARGE big.webp: decoding this WEBP needs about");
    }

    /** Run by {@link #nativelyDecodedFramesReserveTheirOwnHeap} in a JVM of its own. */
    public static final class LargeAnimationMain {
        public static void main(String[] args) throws Exception {
            byte[] bytes = Files.readAllBytes(Path.of(args[0]));
            for (DecodeOptions.Decoder which : List.of(DecodeOptions.Decoder.AUTO, DecodeOptions.Decoder.JAVA)) {
                String result;
                try {
                    DecodedImage image = decoder(ALL_FRAMES, which).decodeFrames(bytes, "big.webp");
                    RgbImage first = image.frames().get(0).image();
                    result = image.frames().size() + " frames of " + first.width() + "x" + first.height();
                } catch (InvalidImageException e) {
                    result = e.kind() + " " + e.getMessage();
                }
                System.out.println(which.name().toLowerCase(java.util.Locale.ROOT) + ": " + result);
            }
        }
    }
}
