package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.keshikaran.internal.image.TestPngs.catchInvalid;
import static io.keshikaran.internal.image.TestPngs.concat;
import static io.keshikaran.internal.image.TestPngs.deflate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Animated PNGs (APNG) decoded frame by frame: every frame is composited onto the canvas by its
 * offsets, blend and dispose operations, checked against a compositor written here from the APNG
 * specification, so that a moderation scan sees the frames a browser shows, not only the first.
 * The files are written here chunk by chunk (RGBA, 8 bits, the rows filtered with every filter).
 */
class ApngDecoderTest {
    private static final DecodeOptions FULL = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.FULL)
            .optTransparency(DecodeOptions.Transparency.KEEP_STORED_COLOR).optMaxFrames(64).build();
    private static final int WIDTH = 40;
    private static final int HEIGHT = 30;

    /** One frame: its rectangle, dispose (0 none, 1 clear, 2 previous) and blend (0 source, 1 over), RGBA samples. */
    record TestFrame(int x, int y, int w, int h, int dispose, int blend, int[][] rgba) {
    }

    @Test
    void everyFrameIsCompositedAsTheSpecificationSays() throws Exception {
        List<TestFrame> frames = List.of(
                frame(0, 0, WIDTH, HEIGHT, 0, 0, 1, false),
                frame(5, 4, 12, 10, 1, 1, 2, true),   // over, then cleared
                frame(20, 10, 15, 15, 2, 1, 3, true), // over, then back to what was there
                frame(2, 2, 10, 8, 0, 0, 4, true),    // source: transparent pixels replace too
                frame(0, 0, WIDTH, HEIGHT, 0, 1, 5, true));
        byte[] apng = apng(null, frames, false, false);

        DecodedImage decoded = decoder(FULL).decodeFrames(apng, "t.png");

        assertThat(decoded.format()).isEqualTo("PNG");
        assertThat(decoded.isAnimated()).isTrue();
        assertThat(decoded.frames()).hasSize(frames.size());
        List<int[][]> expected = composite(frames);
        for (int f = 0; f < frames.size(); f++) {
            assertThat(decoded.frames().get(f).index()).isEqualTo(f);
            assertThat(decoded.frames().get(f).image().toByteArray()).as("frame %d", f).isEqualTo(rgb(expected.get(f)));
        }
    }

    /**
     * {@code Decoder.JAVA} means ImageIO for stills, but ImageIO reads an APNG's default image
     * only: the frames must still be decoded, or explicit content in a later frame goes unseen.
     */
    @Test
    void theFramesAreDecodedWhateverTheDecoderChoice() throws Exception {
        List<TestFrame> frames = List.of(
                frame(0, 0, WIDTH, HEIGHT, 0, 0, 11, false),
                frame(3, 2, 20, 12, 0, 1, 12, true),
                frame(0, 0, WIDTH, HEIGHT, 0, 0, 13, false));
        byte[] apng = apng(null, frames, false, false);
        DecodeOptions java = FULL.toBuilder().optDecoder(DecodeOptions.Decoder.JAVA).build();

        DecodedImage decoded = new ImageDecoder(ImageLimits.defaults(), java).decodeFrames(apng, "t.png");

        assertThat(decoded.frames()).hasSize(frames.size());
        List<int[][]> expected = composite(frames);
        for (int f = 0; f < frames.size(); f++) {
            assertThat(decoded.frames().get(f).image().toByteArray()).as("frame %d", f).isEqualTo(rgb(expected.get(f)));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aDefaultImageOutsideTheAnimationIsScoredFirstAndThenCleared(boolean interlaced) throws Exception {
        int[][] hidden = pattern(WIDTH, HEIGHT, 9, false);
        List<TestFrame> frames = List.of(frame(3, 3, 20, 20, 0, 1, 6, true), frame(10, 5, 25, 20, 0, 0, 7, false));
        byte[] apng = apng(hidden, frames, interlaced, false);

        DecodedImage decoded = decoder(FULL).decodeFrames(apng, "t.png");

        assertThat(decoded.frames()).hasSize(3);
        assertThat(decoded.frames().get(0).image().toByteArray()).isEqualTo(rgb(hidden));
        List<int[][]> expected = composite(frames);
        assertThat(decoded.frames().get(1).image().toByteArray()).isEqualTo(rgb(expected.get(0)));
        assertThat(decoded.frames().get(2).image().toByteArray()).isEqualTo(rgb(expected.get(1)));
    }

    @Test
    void framesSplitOverSeveralChunksAndInterlacedDecodeAlike() throws Exception {
        List<TestFrame> frames = List.of(frame(0, 0, WIDTH, HEIGHT, 0, 0, 11, false), frame(7, 9, 21, 13, 2, 1, 12, true),
                frame(1, 1, 30, 20, 1, 0, 13, true));
        byte[] plain = apng(null, frames, false, false);
        byte[] split = apng(null, frames, false, true);
        byte[] interlaced = apng(null, frames, true, true);

        DecodedImage expected = decoder(FULL).decodeFrames(plain, "plain.png");
        for (byte[] other : List.of(split, interlaced)) {
            DecodedImage decoded = decoder(FULL).decodeFrames(other, "other.png");
            assertThat(decoded.frames()).hasSize(3);
            for (int f = 0; f < 3; f++) {
                assertThat(decoded.frames().get(f).image().toByteArray())
                        .isEqualTo(expected.frames().get(f).image().toByteArray());
            }
        }
    }

    @Test
    void reducedFramesAreTheBlockMeanOfTheFullOnes() throws Exception {
        int w = 256;
        int h = 192;
        List<TestFrame> frames = List.of(new TestFrame(0, 0, w, h, 0, 0, pattern(w, h, 21, false)),
                new TestFrame(32, 16, 128, 96, 0, 1, pattern(128, 96, 22, true)));
        byte[] apng = apng(w, h, null, frames, false, false);
        DecodeOptions reduced = FULL.toBuilder().optResolution(DecodeOptions.Resolution.REDUCED).build();

        DecodedImage full = decoder(FULL).decodeFrames(apng, "t.png");
        DecodedImage small = decoder(reduced).withTargetSize(32, 32).decodeFrames(apng, "t.png");

        assertThat(small.width()).isEqualTo(w);
        int factor = w / small.frames().get(0).image().width();
        assertThat(factor).as("reduced").isGreaterThan(1);
        for (int f = 0; f < 2; f++) {
            byte[] mean = TestImages.blockMean(full.frames().get(f).image().toByteArray(), w, factor,
                    new int[] {w / factor, h / factor});
            assertThat(small.frames().get(f).image().toByteArray()).as("frame %d", f).isEqualTo(mean);
        }
    }

    @Test
    void frameSamplingAndTheFrameLimitApply() throws Exception {
        List<TestFrame> frames = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            frames.add(frame(i, i, 10, 10, 0, i == 0 ? 0 : 1, 30 + i, i > 0));
        }
        frames.set(0, frame(0, 0, WIDTH, HEIGHT, 0, 0, 30, false));
        byte[] apng = apng(null, frames, false, false);

        DecodedImage decoded = decoder(FULL.toBuilder().optMaxFrames(3).optFrameStep(2).build()).decodeFrames(apng, "t.png");

        assertThat(decoded.frames()).extracting(DecodedImage.Frame::index).containsExactly(0, 2, 4);
        List<int[][]> expected = composite(frames);
        assertThat(decoded.frames().get(2).image().toByteArray()).isEqualTo(rgb(expected.get(4)));
    }

    @Test
    void aDamagedLaterFrameIsAnErrorNamingItNotAFallBackToTheFirstFrame() throws Exception {
        List<TestFrame> frames = List.of(frame(0, 0, WIDTH, HEIGHT, 0, 0, 41, false), frame(4, 4, 20, 20, 0, 1, 42, true));
        byte[] apng = apng(null, frames, false, false);
        byte[] damaged = apng.clone();
        int fdat = indexOf(damaged, "fdAT");
        // The frame's data ends halfway: its rows run out.
        int length = (damaged[fdat - 4] & 0xFF) << 24 | (damaged[fdat - 3] & 0xFF) << 16
                | (damaged[fdat - 2] & 0xFF) << 8 | damaged[fdat - 1] & 0xFF;
        byte[] cut = concat(Arrays.copyOf(damaged, fdat - 4), TestImages.pngChunk("fdAT",
                Arrays.copyOfRange(damaged, fdat + 4, fdat + 4 + length / 2)), TestImages.pngChunk("IEND", new byte[0]));

        InvalidImageException e = catchInvalid(() -> decoder(FULL).decodeFrames(cut, "cut.png"));

        assertThat(e.getMessage()).startsWith("cut.png: ").contains("animation frame 1");
    }

    @Test
    void anUnsoundAnimationIsLeftToTheStillDecodersWhichShowTheDefaultImage() throws Exception {
        List<TestFrame> frames = List.of(frame(0, 0, WIDTH, HEIGHT, 0, 0, 51, false), frame(30, 25, 20, 20, 0, 1, 52, true));
        // The second frame reaches past the canvas: no viewer can show it as written.
        byte[] apng = apng(null, frames, false, false);
        assertThat(PngDecoder.probeAnimation(apng)).isNull();

        DecodedImage decoded = decoder(FULL).decodeFrames(apng, "t.png");

        assertThat(decoded.isAnimated()).isFalse();
        assertThat(decoded.frames()).hasSize(1);
        assertThat(decoded.frames().get(0).image().toByteArray()).isEqualTo(rgb(frames.get(0).rgba()));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void damagedAnimationsGiveFramesOrAnInvalidImageExceptionNothingElse(long seed) throws Exception {
        List<TestFrame> frames = List.of(frame(0, 0, WIDTH, HEIGHT, 0, 0, 61, false), frame(5, 4, 12, 10, 1, 1, 62, true),
                frame(20, 10, 15, 15, 2, 1, 63, true), frame(2, 2, 10, 8, 0, 0, 64, true));
        byte[] original = apng(pattern(WIDTH, HEIGHT, 60, false), frames, seed % 2 == 0, seed % 3 == 0);
        Random random = new Random(seed);
        int decoded = 0;
        for (int round = 0; round < 500; round++) {
            byte[] damaged = original.clone();
            // Anywhere after the signature: chunk lengths and types, fcTL fields, sequence numbers, data.
            for (int i = 1 + random.nextInt(6); i > 0; i--) {
                damaged[8 + random.nextInt(damaged.length - 8)] = (byte) random.nextInt(256);
            }
            try {
                DecodedImage image = decoder(FULL).decodeFrames(damaged, "case-" + round);
                assertThat(image.frames()).isNotEmpty();
                assertThat(image.frames().get(0).image().width()).isPositive();
                decoded++;
            } catch (InvalidImageException e) {
                assertThat(e.getMessage()).as("seed %d case %d", seed, round).startsWith("case-" + round + ": ");
            }
        }
        assertThat(decoded).as("some damage leaves a decodable file").isPositive();
    }

    // ---- writing APNGs and compositing them by the specification ----

    private static ImageDecoder decoder(DecodeOptions options) {
        return new ImageDecoder(ImageLimits.defaults(), options.toBuilder().optDecoder(DecodeOptions.Decoder.AUTO).build());
    }

    /** A frame of random-looking RGBA content; {@code holes} makes a third of its pixels fully transparent. */
    private static TestFrame frame(int x, int y, int w, int h, int dispose, int blend, long seed, boolean holes) {
        return new TestFrame(x, y, w, h, dispose, blend, pattern(w, h, seed, holes));
    }

    private static int[][] pattern(int w, int h, long seed, boolean holes) {
        Random random = new Random(seed);
        int[][] rgba = new int[h][w * 4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean hole = holes && random.nextInt(3) == 0;
                for (int c = 0; c < 3; c++) {
                    rgba[y][4 * x + c] = hole ? 0 : (x * 7 + y * 5 + c * 60 + random.nextInt(40)) & 0xFF;
                }
                rgba[y][4 * x + 3] = hole ? 0 : 255;
            }
        }
        return rgba;
    }

    private static byte[] apng(int[][] hiddenDefault, List<TestFrame> frames, boolean interlaced, boolean split) {
        return apng(WIDTH, HEIGHT, hiddenDefault, frames, interlaced, split);
    }

    /**
     * An APNG of these frames; with {@code hiddenDefault}, an IDAT image outside the animation,
     * else the first frame is the default image. {@code split} writes each frame's data as two chunks.
     */
    private static byte[] apng(int width, int height, int[][] hiddenDefault, List<TestFrame> frames, boolean interlaced,
                               boolean split) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] ihdr = new byte[13];
        TestImages.putIntBigEndian(ihdr, 0, width);
        TestImages.putIntBigEndian(ihdr, 4, height);
        ihdr[8] = 8;
        ihdr[9] = 6;
        ihdr[12] = (byte) (interlaced ? 1 : 0);
        out.writeBytes(TestImages.pngSignature());
        out.writeBytes(TestImages.pngChunk("IHDR", ihdr));
        byte[] actl = new byte[8];
        TestImages.putIntBigEndian(actl, 0, frames.size());
        out.writeBytes(TestImages.pngChunk("acTL", actl));
        int sequence = 0;
        if (hiddenDefault != null) {
            writeData(out, "IDAT", -1, deflate(TestPngs.imageData(hiddenDefault, width, height, 4, 8, interlaced)), split);
        }
        for (int f = 0; f < frames.size(); f++) {
            TestFrame frame = frames.get(f);
            byte[] fctl = new byte[26];
            TestImages.putIntBigEndian(fctl, 0, sequence++);
            TestImages.putIntBigEndian(fctl, 4, frame.w());
            TestImages.putIntBigEndian(fctl, 8, frame.h());
            TestImages.putIntBigEndian(fctl, 12, frame.x());
            TestImages.putIntBigEndian(fctl, 16, frame.y());
            fctl[24] = (byte) frame.dispose();
            fctl[25] = (byte) frame.blend();
            out.writeBytes(TestImages.pngChunk("fcTL", fctl));
            byte[] data = deflate(TestPngs.imageData(frame.rgba(), frame.w(), frame.h(), 4, 8, interlaced));
            boolean defaultImage = f == 0 && hiddenDefault == null;
            sequence = writeData(out, defaultImage ? "IDAT" : "fdAT", defaultImage ? -1 : sequence, data, split);
        }
        out.writeBytes(TestImages.pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** Writes the data as IDAT, or as fdAT chunks numbered from {@code sequence}; returns the next number. */
    private static int writeData(ByteArrayOutputStream out, String type, int sequence, byte[] data, boolean split) {
        int[] cuts = split ? new int[] {0, data.length / 3, data.length} : new int[] {0, data.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            byte[] part = Arrays.copyOfRange(data, cuts[i], cuts[i + 1]);
            if (sequence >= 0) {
                byte[] numbered = new byte[part.length + 4];
                TestImages.putIntBigEndian(numbered, 0, sequence++);
                System.arraycopy(part, 0, numbered, 4, part.length);
                part = numbered;
            }
            out.writeBytes(TestImages.pngChunk(type, part));
        }
        return sequence;
    }

    /**
     * What each frame shows, by the APNG specification: the canvas starts fully transparent
     * black; a frame replaces its rectangle (source) or is drawn over it (over; the frames here
     * are opaque or fully transparent, so "over" keeps what is under a transparent pixel); after it
     * is shown its rectangle is left, cleared, or put back as it was before the frame.
     */
    private static List<int[][]> composite(List<TestFrame> frames) {
        int[][] canvas = new int[HEIGHT][WIDTH * 4];
        List<int[][]> shown = new ArrayList<>();
        for (int f = 0; f < frames.size(); f++) {
            TestFrame frame = frames.get(f);
            int[][] before = copy(canvas);
            for (int y = 0; y < frame.h(); y++) {
                for (int x = 0; x < frame.w(); x++) {
                    int[] src = Arrays.copyOfRange(frame.rgba()[y], 4 * x, 4 * x + 4);
                    if (frame.blend() == 1 && src[3] == 0) {
                        continue;
                    }
                    System.arraycopy(src, 0, canvas[frame.y() + y], 4 * (frame.x() + x), 4);
                }
            }
            shown.add(copy(canvas));
            int dispose = f == 0 && frame.dispose() == 2 ? 1 : frame.dispose();
            for (int y = frame.y(); y < frame.y() + frame.h() && dispose != 0; y++) {
                for (int x = frame.x(); x < frame.x() + frame.w(); x++) {
                    for (int c = 0; c < 4; c++) {
                        canvas[y][4 * x + c] = dispose == 1 ? 0 : before[y][4 * x + c];
                    }
                }
            }
        }
        return shown;
    }

    private static int[][] copy(int[][] a) {
        int[][] b = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
        }
        return b;
    }

    /** The RGB bytes of an RGBA image, the stored colour kept. */
    private static byte[] rgb(int[][] rgba) {
        int w = rgba[0].length / 4;
        byte[] out = new byte[rgba.length * w * 3];
        for (int y = 0, o = 0; y < rgba.length; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    out[o++] = (byte) rgba[y][4 * x + c];
                }
            }
        }
        return out;
    }

    private static int indexOf(byte[] d, String type) {
        for (int i = 0; i + 4 <= d.length; i++) {
            if (d[i] == type.charAt(0) && d[i + 1] == type.charAt(1) && d[i + 2] == type.charAt(2) && d[i + 3] == type.charAt(3)) {
                return i;
            }
        }
        throw new AssertionError("no " + type);
    }
}
