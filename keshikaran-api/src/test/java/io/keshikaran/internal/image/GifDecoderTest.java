package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * keshikaran's GIF decoder against the JDK's reader: every file decoded with {@code Decoder.AUTO}
 * (GifDecoder, falling back to ImageIO) and {@code Decoder.JAVA} (ImageIO) must give the same
 * frames byte for byte, or the same error, under every transparency option and frame sampling.
 * The files: the GIF fixtures, {@code -Dkeshikaran.gif.dir} (such as the benchmark folder), GIFs
 * written here with a small LZW encoder for what fixtures lack (local and missing palettes,
 * interlacing, code sizes 1-8, clear codes, a full table, corrupt and truncated data, extensions),
 * and seeded mutations of all of them.
 */
class GifDecoderTest {
    private static final DecodeOptions.Transparency[] TRANSPARENCIES = DecodeOptions.Transparency.values();

    // ---- comparison --------------------------------------------------------------------------

    /** The outcome of a decode, comparable: frames' indexes and pixels, or the error. */
    private record Outcome(String description) {
    }

    private static Outcome decode(byte[] gif, DecodeOptions options) {
        try {
            DecodedImage image = new ImageDecoder(ImageLimits.defaults(), options).withTargetSize(224, 224)
                    .decodeFrames(gif, "test.gif");
            StringBuilder s = new StringBuilder(image.format() + " animated=" + image.isAnimated()
                    + " " + image.width() + "x" + image.height());
            for (DecodedImage.Frame f : image.frames()) {
                s.append(" | frame ").append(f.index()).append(' ').append(f.image().width()).append('x')
                        .append(f.image().height()).append(' ').append(Arrays.hashCode(f.image().toByteArray()))
                        .append(' ').append(f.image().toByteArray().length);
            }
            return new Outcome(s.toString());
        } catch (InvalidImageException e) {
            return new Outcome("error " + e.kind() + ": " + e.getMessage());
        }
    }

    /** Asserts AUTO and JAVA agree under the option matrix; returns the outcome of decoding every frame. */
    private static Outcome assertSameAsImageIo(String what, byte[] gif) {
        Outcome all = null;
        for (DecodeOptions.Transparency t : TRANSPARENCIES) {
            for (int step : new int[] {1, 2, 3}) {
                for (int max : new int[] {1, 2, 100}) {
                    DecodeOptions auto = DecodeOptions.builder().optTransparency(t).optFrameStep(step).optMaxFrames(max).build();
                    Outcome expected = decode(gif, auto.toBuilder().optDecoder(DecodeOptions.Decoder.JAVA).build());
                    assertThat(decode(gif, auto)).as("%s, %s, step %d, max %d", what, t, step, max).isEqualTo(expected);
                    if (all == null && step == 1 && max == 100) {
                        all = expected;
                    }
                }
            }
        }
        return all;
    }

    /** Whether GifDecoder decodes every frame itself (no fallback to ImageIO). */
    private static boolean accepted(byte[] gif) {
        try {
            GifDecoder decoder = GifDecoder.open(gif);
            if (decoder == null) {
                return false;
            }
            int[] screen = RawMetadata.gifScreen(gif);
            GifDecoder.Frame first = decoder.frame(0);
            int width = Math.max(1, Math.max(screen[0], first.x() + first.width()));
            int height = Math.max(1, Math.max(screen[1], first.y() + first.height()));
            if ((long) width * height > 4_000_000) {
                return false; // a forged size the decoder's limits refuse before GifDecoder runs
            }
            Canvas canvas = new Canvas(width, height);
            for (int i = 0; i == 0 || decoder.hasFrame(i); i++) {
                GifDecoder.Frame frame = decoder.frame(i);
                if ((long) frame.width() * frame.height() > 4_000_000) {
                    return false;
                }
                decoder.draw(i, canvas);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertAcceptedAndSame(String what, byte[] gif) {
        assertThat(accepted(gif)).as("GifDecoder decodes %s itself", what).isTrue();
        assertThat(assertSameAsImageIo(what, gif).description()).as(what).doesNotStartWith("error");
    }

    // ---- files --------------------------------------------------------------------------------

    private static List<Path> gifFiles() throws IOException {
        List<Path> dirs = new ArrayList<>(List.of(TestImages.formats(), TestImages.hostile(),
                Path.of("src", "test", "resources")));
        String extra = System.getProperty("keshikaran.gif.dir");
        if (extra != null) {
            dirs.add(Path.of(extra));
        }
        List<Path> files = new ArrayList<>();
        for (Path dir : dirs) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.filter(Files::isRegularFile).filter(GifDecoderTest::isGif).sorted().forEach(files::add);
                }
            }
        }
        return files;
    }

    private static boolean isGif(Path p) {
        try {
            return RawMetadata.isGif(Files.readAllBytes(p));
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void everyGifFileDecodesAsWithImageIo() throws IOException {
        List<Path> files = gifFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        int accepted = 0;
        for (Path f : files) {
            byte[] gif = Files.readAllBytes(f);
            Outcome outcome = assertSameAsImageIo(f.toString(), gif);
            if (!outcome.description().startsWith("error")) {
                // Every GIF ImageIO decodes in full is one this decoder takes, not one it hands back.
                assertThat(accepted(gif)).as("GifDecoder decodes %s itself", f).isTrue();
                accepted++;
            }
        }
        assertThat(accepted).isGreaterThanOrEqualTo(6);
    }

    /**
     * With ImageIO's GIF reader unregistered, AUTO still decodes GIFs (GifDecoder did, not a
     * fallback) to what the reader gave, and JAVA no longer can.
     */
    @Test
    void autoDecodesGifsWithoutImageIosReader() throws IOException {
        byte[] gif = Files.readAllBytes(TestImages.format("gif-animated-disposal.gif"));
        DecodeOptions auto = DecodeOptions.builder().optMaxFrames(100).build();
        DecodeOptions java = auto.toBuilder().optDecoder(DecodeOptions.Decoder.JAVA).build();
        Outcome withReader = decode(gif, java);
        IIORegistry registry = IIORegistry.getDefaultInstance();
        List<ImageReaderSpi> gifReaders = new ArrayList<>();
        registry.getServiceProviders(ImageReaderSpi.class, true).forEachRemaining(spi -> {
            if (Arrays.asList(spi.getFormatNames()).contains("gif")) {
                gifReaders.add(spi);
            }
        });
        assertThat(gifReaders).isNotEmpty();
        try {
            gifReaders.forEach(spi -> registry.deregisterServiceProvider(spi, ImageReaderSpi.class));
            assertThat(decode(gif, auto)).isEqualTo(withReader);
            assertThat(decode(gif, java).description()).startsWith("error");
        } finally {
            gifReaders.forEach(spi -> registry.registerServiceProvider(spi, ImageReaderSpi.class));
        }
        assertThat(withReader.description()).contains("frame 2");
    }

    @Test
    void truncatedAnimationFailsAsWithImageIoNamingTheInput() throws IOException {
        byte[] gif = Files.readAllBytes(TestImages.format("truncated-animated.gif"));
        Outcome outcome = assertSameAsImageIo("truncated", gif);
        assertThat(outcome.description()).startsWith("error CORRUPT: test.gif: corrupt or truncated GIF data");
    }

    // ---- generated GIFs ------------------------------------------------------------------------

    @Test
    void everyCodeSizeAndPaletteSize() {
        for (int codeSize = 1; codeSize <= 8; codeSize++) {
            for (int paletteBits = 1; paletteBits <= 8; paletteBits++) {
                // Indexes up to the code size's range, also past the palette: ImageIO masks them.
                byte[] pixels = pattern(37, 23, 1 << Math.max(1, codeSize), codeSize * 31 + paletteBits);
                byte[] gif = new Gif(37, 23).globalPalette(paletteBits)
                        .image(0, 0, 37, 23, null, false, codeSize, lzw(pixels, codeSize, 0, false, true)).end();
                if (codeSize == 1) {
                    // ImageIO's table starts at entry 4 = 1 << 2 and so never widens its 2-bit codes:
                    // an encoder's 3-bit codes decode to whatever (or out-of-sequence codes) there.
                    assertSameAsImageIo("code size 1, palette bits " + paletteBits, gif);
                } else {
                    assertAcceptedAndSame("code size " + codeSize + ", palette bits " + paletteBits, gif);
                }
            }
        }
    }

    @Test
    void localPalettesNoGlobalPaletteAndTransparency() {
        byte[] a = pattern(40, 30, 16, 1);
        byte[] b = pattern(20, 10, 4, 2);
        byte[] c = pattern(15, 15, 256, 3);
        byte[] gif = new Gif(40, 30)
                .gce(0, true, 3).image(0, 0, 40, 30, palette(4, 5), false, 4, lzw(a, 4, 0, false, true))
                .gce(1, true, 255).image(5, 5, 20, 10, palette(2, 6), false, 2, lzw(b, 2, 0, false, true))
                // No local palette and no global one: the last local one stands in, as in ImageIO.
                .gce(2, false, 0).image(30, 20, 15, 15, null, false, 8, lzw(c, 8, 0, false, true))
                .gce(3, true, 0).image(1, 1, 20, 10, palette(8, 7), false, 2, lzw(b, 2, 0, false, true))
                .gce(6, true, 9).image(0, 0, 15, 15, null, false, 8, lzw(c, 8, 0, false, true))
                .end();
        assertAcceptedAndSame("local palettes", gif);
    }

    @Test
    void noPaletteAtAllFailsAsWithImageIo() {
        byte[] pixels = pattern(8, 8, 4, 4);
        byte[] gif = new Gif(8, 8).image(0, 0, 8, 8, null, false, 2, lzw(pixels, 2, 0, false, true)).end();
        assertThat(accepted(gif)).isFalse();
        assertThat(assertSameAsImageIo("no palette", gif).description()).startsWith("error");
    }

    @Test
    void interlacedFramesOfEveryShortHeight() {
        for (int height = 1; height <= 18; height++) {
            byte[] pixels = pattern(7, height + 3, 16, height);
            // Data for more rows than the frame has: ImageIO reads a row for each pass without rows.
            byte[] gif = new Gif(7, height).globalPalette(4)
                    .image(0, 0, 7, height, null, true, 4, lzw(pixels, 4, 0, false, true)).end();
            assertAcceptedAndSame("interlaced, height " + height, gif);
            byte[] exact = new Gif(7, height).globalPalette(4)
                    .image(0, 0, 7, height, null, true, 4, lzw(Arrays.copyOf(pixels, 7 * height), 4, 0, false, true)).end();
            assertAcceptedAndSame("interlaced, exact data, height " + height, exact);
        }
    }

    @Test
    void logicalScreenZeroSmallerOrFramesOutside() {
        byte[] pixels = pattern(30, 20, 256, 5);
        byte[] lzw = lzw(pixels, 8, 0, false, true);
        for (int[] screen : new int[][] {{0, 0}, {10, 10}, {30, 20}, {100, 5}}) {
            byte[] gif = new Gif(screen[0], screen[1]).globalPalette(8)
                    .gce(2, true, 7).image(3, 4, 30, 20, null, false, 8, lzw)
                    .gce(3, false, 0).image(20, 15, 30, 20, null, false, 8, lzw)
                    .gce(1, true, 1).image(60000, 60000, 30, 20, null, false, 8, lzw)
                    .image(0, 0, 30, 20, null, false, 8, lzw).end();
            assertAcceptedAndSame("screen " + screen[0] + "x" + screen[1], gif);
        }
    }

    @Test
    void clearCodesAndAFullTableWithoutClear() {
        byte[] noisy = new byte[300 * 200];
        new Random(7).nextBytes(noisy);
        for (int clearEvery : new int[] {0, 1, 2, 50, 700}) {
            for (boolean deferred : new boolean[] {false, true}) {
                byte[] gif = new Gif(300, 200).globalPalette(8)
                        .image(0, 0, 300, 200, null, false, 8, lzw(noisy, 8, clearEvery, deferred, true)).end();
                assertAcceptedAndSame("clear every " + clearEvery + ", deferred " + deferred, gif);
            }
        }
        byte[] runs = pattern(300, 200, 4, 9);
        byte[] gif = new Gif(300, 200).globalPalette(2)
                .image(0, 0, 300, 200, null, false, 2, lzw(runs, 2, 0, true, true)).end();
        assertAcceptedAndSame("long strings, deferred clear", gif);
    }

    @Test
    void dataEndingWithoutEndCodeOrShort() {
        byte[] pixels = pattern(50, 40, 16, 11);
        // No end code: what is left in the look-ahead is decoded, the rest of the frame is index 0.
        byte[] noEnd = new Gif(50, 40).globalPalette(4)
                .image(0, 0, 50, 40, null, false, 4, lzw(pixels, 4, 0, false, false)).end();
        assertAcceptedAndSame("no end code", noEnd);
        // Data for half the frame (a partial row included), with and without an end code.
        for (boolean end : new boolean[] {false, true}) {
            byte[] half = new Gif(50, 40).globalPalette(4).gce(0, true, 0)
                    .image(0, 0, 50, 40, null, false, 4, lzw(Arrays.copyOf(pixels, 1025), 4, 0, false, end)).end();
            assertAcceptedAndSame("half the data, end code " + end, half);
        }
    }

    @Test
    void shortFirstSubBlocksUseTheBytesEarlierFramesLeft() {
        byte[] big = pattern(20, 20, 256, 12);
        Gif gif = new Gif(20, 20).globalPalette(8).image(0, 0, 20, 20, null, false, 8, lzw(big, 8, 0, false, true));
        for (int size = 1; size <= 3; size++) {
            for (boolean end : new boolean[] {false, true}) {
                byte[] tiny = lzw(pattern(2, 1, 256, size), 8, 0, false, end);
                gif.imageWithBlocks(size, 0, size, 1, null, false, 8, Arrays.copyOf(tiny, Math.min(tiny.length, size)), size);
            }
        }
        // Those bytes decode to out-of-sequence codes or not, depending on the frame before: ImageIO decides.
        assertAcceptedOrDeclinedButSame("short first sub-blocks", gif.end());
        // A frame whose data is an empty sub-block: ImageIO reads the next block's type as data.
        byte[] empty = new Gif(1, 1).globalPalette(1).raw(0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 8, 0).end();
        assertAcceptedOrDeclinedButSame("empty data", empty);
        byte[] single = new Gif(1, 1).globalPalette(1).imageWithBlocks(0, 0, 1, 1, null, false, 2,
                lzw(new byte[] {1}, 2, 0, false, true), 2).end();
        assertAcceptedAndSame("1x1 in a 2-byte block", single);
    }

    @Test
    void corruptCodesFailAsWithImageIo() {
        // Code size 2: clear 4, end 5, first free entry 6; 3-bit codes until entry 7 is made.
        byte[] outOfSequence = new Gif(4, 4).globalPalette(2)
                .image(0, 0, 4, 4, null, false, 2, codes(new int[] {4, 1, 7, 5}, new int[] {3, 3, 3, 3})).end();
        assertThat(accepted(outOfSequence)).isFalse();
        assertThat(assertSameAsImageIo("code past the table", outOfSequence).description()).startsWith("error");
        // The first code after a clear naming the next free entry: ImageIO neither warns nor
        // fails, and outputs what the entry held (0 in a new table); GifDecoder leaves such data to it.
        byte[] nextEntry = new Gif(4, 4).globalPalette(2)
                .image(0, 0, 4, 4, null, false, 2, codes(new int[] {4, 6, 1, 0, 5}, new int[] {3, 3, 3, 3, 4})).end();
        assertThat(accepted(nextEntry)).isFalse();
        assertThat(assertSameAsImageIo("first code after clear = next entry", nextEntry).description()).doesNotStartWith("error");
        // A code after a clear beyond the table, then a clear after a clear.
        byte[] afterClear = new Gif(4, 4).globalPalette(2)
                .image(0, 0, 4, 4, null, false, 2, codes(new int[] {4, 7, 1, 4, 4, 0, 2, 5}, new int[] {3, 3, 3, 3, 3, 3, 3, 4})).end();
        assertThat(accepted(afterClear)).isFalse();
        assertThat(assertSameAsImageIo("large code after clear", afterClear).description()).doesNotStartWith("error");
        for (int bad : new int[] {0, 9, 12, 255}) {
            byte[] badSize = new Gif(4, 4).globalPalette(2)
                    .image(0, 0, 4, 4, null, false, bad, codes(new int[] {4, 1, 5}, new int[] {3, 3, 3})).end();
            assertThat(accepted(badSize)).isFalse();
            assertThat(assertSameAsImageIo("code size " + bad, badSize).description()).startsWith("error");
        }
    }

    @Test
    void extensionBlocksAndTrailingBytes() {
        byte[] pixels = pattern(16, 16, 16, 13);
        byte[] lzw = lzw(pixels, 4, 0, false, true);
        byte[] gif = new Gif(16, 16).globalPalette(4)
                .comment("made by a test").netscapeLoop()
                .plainText().extension(0x42, new byte[] {1, 2, 3}).gce(2, true, 5)
                .image(0, 0, 16, 16, null, false, 4, lzw)
                .comment("between frames").gce(0, false, 0).image(2, 2, 8, 8, palette(4, 3), false, 4,
                        lzw(pattern(8, 8, 16, 14), 4, 0, false, true))
                .end();
        assertAcceptedAndSame("extensions", gif);
        byte[] garbage = concat(gif, "trailing garbage \u0000\u0001".getBytes(StandardCharsets.ISO_8859_1));
        assertAcceptedAndSame("trailing garbage", garbage);
        byte[] noTrailer = Arrays.copyOf(gif, gif.length - 1);
        assertAcceptedOrDeclinedButSame("no trailer", noTrailer);
        // A graphic control extension whose length byte lies: ImageIO reads it as 4 bytes anyway.
        byte[] lyingGce = new Gif(16, 16).globalPalette(4).raw(0x21, 0xF9, 9, 0x09, 0, 0, 2, 0)
                .image(0, 0, 16, 16, null, false, 4, lzw).end();
        assertAcceptedOrDeclinedButSame("GCE with length 9", lyingGce);
        byte[] unknownBlock = new Gif(16, 16).globalPalette(4).image(0, 0, 16, 16, null, false, 4, lzw)
                .raw(0x99, 2, 1, 1, 0).image(0, 0, 16, 16, null, false, 4, lzw).end();
        assertAcceptedOrDeclinedButSame("unknown block type", unknownBlock);
    }

    @Test
    void everyTruncationAsWithImageIo() {
        byte[] pixels = pattern(12, 9, 16, 15);
        byte[] gif = new Gif(12, 9).globalPalette(4).netscapeLoop()
                .gce(2, true, 1).image(0, 0, 12, 9, null, false, 4, lzw(pixels, 4, 0, false, true))
                .gce(3, false, 0).image(3, 2, 6, 5, palette(2, 9), true, 2, lzw(pattern(6, 5, 4, 16), 2, 0, false, true))
                .end();
        for (int n = 1; n <= gif.length; n++) {
            assertSameAsImageIo("first " + n + " bytes", Arrays.copyOf(gif, n));
        }
    }

    /**
     * Seeded mutations (bit flips, overwritten and deleted runs, truncation) of the GIF files and
     * of generated GIFs: AUTO and JAVA must agree on each. {@code -Dkeshikaran.gif.fuzz.seed} and
     * {@code -Dkeshikaran.gif.fuzz.cases} explore further.
     */
    @Test
    void mutatedGifsDecodeAsWithImageIo() throws IOException {
        long seed = Long.getLong("keshikaran.gif.fuzz.seed", 20261130L);
        int cases = Integer.getInteger("keshikaran.gif.fuzz.cases", 1500);
        List<byte[]> seeds = new ArrayList<>();
        for (Path f : gifFiles()) {
            byte[] b = Files.readAllBytes(f);
            if (b.length < 200_000) {
                seeds.add(b);
            }
        }
        seeds.add(new Gif(12, 9).globalPalette(4).gce(2, true, 1)
                .image(0, 0, 12, 9, null, false, 4, lzw(pattern(12, 9, 16, 15), 4, 0, false, true))
                .gce(3, false, 0).image(3, 2, 6, 5, palette(2, 9), true, 2, lzw(pattern(6, 5, 4, 16), 2, 0, false, true))
                .end());
        int accepted = 0;
        int declinedDecodable = 0;
        for (int c = 0; c < cases; c++) {
            Random random = new Random(seed * 1_000_003L + c);
            byte[] original = seeds.get(random.nextInt(seeds.size()));
            byte[] mutant = mutate(original, random);
            DecodeOptions options = DecodeOptions.builder().optMaxFrames(1 + random.nextInt(4))
                    .optFrameStep(1 + random.nextInt(2))
                    .optTransparency(TRANSPARENCIES[random.nextInt(TRANSPARENCIES.length)]).build();
            Outcome expected = decode(mutant, options.toBuilder().optDecoder(DecodeOptions.Decoder.JAVA).build());
            assertThat(decode(mutant, options)).as("seed %d case %d", seed, c).isEqualTo(expected);
            if (accepted(mutant)) {
                accepted++;
            } else if (!expected.description().startsWith("error")) {
                declinedDecodable++;
            }
        }
        System.out.printf("GifDecoderTest: %d mutated GIFs (seed %d), %d decoded by GifDecoder in full; of the others, "
                + "%d decoded by ImageIO (all frames or the sampled ones)%n", cases, seed, accepted, declinedDecodable);
        // Most mutants of GIFs stay decodable: the comparison must have exercised GifDecoder.
        assertThat(accepted).isGreaterThan(cases / 10);
    }

    @Test
    void memoryReservedForTheDecodeIsReleased() throws IOException {
        long before = DecodeMemory.HEAP.used();
        byte[] gif = Files.readAllBytes(TestImages.format("gif-animated.gif"));
        decode(gif, DecodeOptions.builder().optMaxFrames(100).build());
        decode(Files.readAllBytes(TestImages.format("truncated-animated.gif")), DecodeOptions.defaults());
        assertThat(DecodeMemory.HEAP.used()).isEqualTo(before);
    }

    /**
     * The heap reserved per frame is what each path holds: GifDecoder a palette index per pixel,
     * ImageIO a raster and its conversion (22 bytes per pixel), and each sampled frame is kept at
     * the reduced size. In the CLI's heap (-Xmx160m, 80 MB for decoding), a 1920x1080 animation of
     * 12 frames keeps them all with AUTO, where the ImageIO path stops sampling earlier, when the
     * next frame's reservation does not fit.
     */
    @Test
    void aLargeAnimationKeepsItsFramesInASmallHeap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("large.gif");
        Files.write(file, largeAnimation(12));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LargeAnimationMain.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("auto: 12 frames");
        int java = Integer.parseInt(out.replaceAll("(?s).*java: (\\d+) frames.*", "$1"));
        assertThat(java).as(out).isLessThan(12);
    }

    /** Run by {@link #aLargeAnimationKeepsItsFramesInASmallHeap} in a JVM of its own. */
    public static final class LargeAnimationMain {
        public static void main(String[] args) throws Exception {
            byte[] bytes = Files.readAllBytes(Path.of(args[0]));
            for (DecodeOptions.Decoder which : new DecodeOptions.Decoder[] {DecodeOptions.Decoder.AUTO, DecodeOptions.Decoder.JAVA}) {
                DecodeOptions options = DecodeOptions.builder().optDecoder(which).optMaxFrames(32).build();
                DecodedImage image = new ImageDecoder(ImageLimits.defaults(), options).withTargetSize(224, 224)
                        .decodeFrames(bytes, "large.gif");
                System.out.println(which.name().toLowerCase(java.util.Locale.ROOT) + ": " + image.frames().size() + " frames");
            }
        }
    }

    /**
     * Reduced resolution (the default) keeps each sampled frame of a large animation as the block
     * mean of the full-resolution frame (here 2x2 blocks: 960x540 stays at least twice a 224x224
     * input), and the animation still reports the canvas's size.
     */
    @Test
    void reducedFramesAreTheBlockMeanOfTheFullFrames() throws Exception {
        byte[] gif = largeAnimation(3);
        DecodeOptions full = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.FULL).optMaxFrames(32).build();
        DecodedImage whole = new ImageDecoder(ImageLimits.defaults(), full).withTargetSize(224, 224).decodeFrames(gif, "x.gif");
        DecodedImage reduced = new ImageDecoder(ImageLimits.defaults(), full.toBuilder()
                .optResolution(DecodeOptions.Resolution.REDUCED).build()).withTargetSize(224, 224).decodeFrames(gif, "x.gif");
        assertThat(reduced.width()).isEqualTo(1920);
        assertThat(reduced.height()).isEqualTo(1080);
        assertThat(reduced.frames()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            RgbImage frame = reduced.frames().get(i).image();
            assertThat(frame.width()).isEqualTo(960);
            assertThat(frame.height()).isEqualTo(540);
            assertThat(frame.toByteArray()).as("frame %d", i).isEqualTo(
                    TestImages.blockMean(whole.frames().get(i).image().toByteArray(), 1920, 2, new int[] {960, 540}));
        }
    }

    /** A 1920x1080 animation of {@code frames} whole frames of 16 colours. */
    private static byte[] largeAnimation(int frames) {
        int width = 1920;
        int height = 1080;
        Gif gif = new Gif(width, height).globalPalette(4);
        for (int i = 0; i < frames; i++) {
            gif.image(0, 0, width, height, null, false, 4, lzw(pattern(width, height, 16, i), 4, 0, false, true));
        }
        return gif.end();
    }

    @Test
    void overTheFrameLimitFailsAsWithImageIo() throws IOException {
        byte[] gif = Files.readAllBytes(TestImages.format("gif-claims-65535x65535.gif"));
        ImageLimits small = ImageLimits.defaults().withMaxPixels(100);
        for (DecodeOptions.Decoder decoder : new DecodeOptions.Decoder[] {DecodeOptions.Decoder.AUTO, DecodeOptions.Decoder.JAVA}) {
            DecodeOptions options = DecodeOptions.builder().optDecoder(decoder).build();
            try {
                new ImageDecoder(small, options).decodeFrames(gif, "big.gif");
                throw new AssertionError("decoded a GIF over the limit");
            } catch (InvalidImageException e) {
                assertThat(e.kind()).isEqualTo(InvalidImageException.Kind.TOO_LARGE);
                assertThat(e.getMessage()).startsWith("big.gif: ");
            }
        }
    }

    private static void assertAcceptedOrDeclinedButSame(String what, byte[] gif) {
        assertSameAsImageIo(what, gif);
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                int at = random.nextInt(b.length);
                for (int i = at; i < Math.min(b.length, at + 1 + random.nextInt(8)); i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, 6 + random.nextInt(b.length - 5));
            case 3 -> {
                int at = 13 + random.nextInt(Math.max(1, b.length - 13));
                int n = Math.min(b.length - at, 1 + random.nextInt(16));
                byte[] shorter = new byte[b.length - n];
                System.arraycopy(b, 0, shorter, 0, at);
                System.arraycopy(b, at + n, shorter, at, b.length - at - n);
                b = shorter;
            }
            default -> {
                // Header fields: screen, frame positions and sizes, code sizes.
                int at = random.nextInt(Math.min(b.length, 64));
                b[at] = (byte) new int[] {0, 1, 2, 7, 8, 9, 0x7F, 0x80, 0xFF}[random.nextInt(9)];
            }
        }
        return b;
    }

    // ---- a small GIF writer ---------------------------------------------------------------------

    /** Indexes below {@code colours} in runs and noise, so that LZW finds strings of all lengths. */
    private static byte[] pattern(int width, int height, int colours, long seed) {
        Random random = new Random(seed);
        byte[] p = new byte[width * height];
        for (int i = 0; i < p.length; i++) {
            int x = i % width;
            int y = i / width;
            p[i] = (byte) (random.nextInt(5) == 0 ? random.nextInt(colours) : ((x / 3 + y / 2) % colours));
        }
        return p;
    }

    /** A palette of {@code 2^bits} distinct colours. */
    private static byte[] palette(int bits, int seed) {
        byte[] p = new byte[3 << bits];
        new Random(seed).nextBytes(p);
        return p;
    }

    /** GIF LZW: a clear code first, another every {@code clearEvery} codes (0: only when the table is full, or never if deferred). */
    static byte[] lzw(byte[] pixels, int minCodeSize, int clearEvery, boolean deferClear, boolean endCode) {
        Bits out = new Bits();
        int clear = 1 << minCodeSize;
        Map<Integer, Integer> table = new HashMap<>();
        int next = clear + 2;
        int codeSize = minCodeSize + 1;
        int codes = 0;
        out.write(clear, codeSize);
        int prefix = -1;
        for (byte pixel : pixels) {
            int k = pixel & 0xFF & (clear - 1);
            if (prefix < 0) {
                prefix = k;
                continue;
            }
            Integer known = table.get(prefix << 8 | k);
            if (known != null) {
                prefix = known;
                continue;
            }
            out.write(prefix, codeSize);
            codes++;
            if (next < 4096) {
                table.put(prefix << 8 | k, next++);
                if (next > (1 << codeSize) && codeSize < 12) {
                    codeSize++;
                }
            }
            if ((next == 4096 && !deferClear) || (clearEvery > 0 && codes % clearEvery == 0)) {
                out.write(clear, codeSize);
                table.clear();
                next = clear + 2;
                codeSize = minCodeSize + 1;
            }
            prefix = k;
        }
        if (prefix >= 0) {
            out.write(prefix, codeSize);
        }
        if (endCode) {
            out.write(clear + 1, codeSize);
        }
        return out.bytes();
    }

    /** Codes written as given, each in its number of bits. */
    private static byte[] codes(int[] codes, int[] sizes) {
        Bits out = new Bits();
        for (int i = 0; i < codes.length; i++) {
            out.write(codes[i], sizes[i]);
        }
        return out.bytes();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int buffer;
        private int count;

        void write(int code, int size) {
            buffer |= code << count;
            count += size;
            while (count >= 8) {
                out.write(buffer & 0xFF);
                buffer >>>= 8;
                count -= 8;
            }
        }

        byte[] bytes() {
            if (count > 0) {
                out.write(buffer & 0xFF);
                buffer = 0;
                count = 0;
            }
            return out.toByteArray();
        }
    }

    /** Writes a GIF block by block. */
    private static final class Gif {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final int width;
        private final int height;
        private boolean headerDone;
        private byte[] global;

        Gif(int width, int height) {
            this.width = width;
            this.height = height;
        }

        Gif globalPalette(int bits) {
            global = palette(bits, 99);
            return this;
        }

        private void header() {
            if (headerDone) {
                return;
            }
            headerDone = true;
            out.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
            u16(width);
            u16(height);
            int bits = global == null ? 0 : Integer.numberOfTrailingZeros(global.length / 3);
            out.write(global == null ? 0 : 0x80 | 0x70 | (bits - 1));
            out.write(0);
            out.write(0);
            if (global != null) {
                out.writeBytes(global);
            }
        }

        Gif raw(int... bytes) {
            header();
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Gif gce(int disposal, boolean transparent, int index) {
            return raw(0x21, 0xF9, 4, disposal << 2 | (transparent ? 1 : 0), 10, 0, index, 0);
        }

        Gif comment(String text) {
            raw(0x21, 0xFE);
            subBlocks(text.getBytes(StandardCharsets.US_ASCII), 255);
            return this;
        }

        Gif netscapeLoop() {
            raw(0x21, 0xFF, 11);
            out.writeBytes("NETSCAPE2.0".getBytes(StandardCharsets.US_ASCII));
            return raw(3, 1, 0, 0, 0);
        }

        Gif plainText() {
            raw(0x21, 0x01, 12, 0, 0, 0, 0, 16, 0, 16, 0, 8, 8, 1, 0);
            subBlocks("hi".getBytes(StandardCharsets.US_ASCII), 255);
            return this;
        }

        Gif extension(int label, byte[] data) {
            raw(0x21, label);
            subBlocks(data, 255);
            return this;
        }

        Gif image(int x, int y, int w, int h, byte[] local, boolean interlaced, int codeSize, byte[] lzw) {
            return imageWithBlocks(x, y, w, h, local, interlaced, codeSize, lzw, 255);
        }

        Gif imageWithBlocks(int x, int y, int w, int h, byte[] local, boolean interlaced, int codeSize, byte[] lzw, int blockSize) {
            raw(0x2C);
            u16(x);
            u16(y);
            u16(w);
            u16(h);
            int bits = local == null ? 0 : Integer.numberOfTrailingZeros(local.length / 3);
            out.write((local == null ? 0 : 0x80 | (bits - 1)) | (interlaced ? 0x40 : 0));
            if (local != null) {
                out.writeBytes(local);
            }
            out.write(codeSize);
            subBlocks(lzw, blockSize);
            return this;
        }

        byte[] end() {
            raw(0x3B);
            return out.toByteArray();
        }

        private void subBlocks(byte[] data, int blockSize) {
            for (int i = 0; i < data.length; i += blockSize) {
                int n = Math.min(blockSize, data.length - i);
                out.write(n);
                out.write(data, i, n);
            }
            out.write(0);
        }

        private void u16(int v) {
            out.write(v & 0xFF);
            out.write(v >> 8 & 0xFF);
        }
    }
}
