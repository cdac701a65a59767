package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static io.keshikaran.internal.image.TestPngs.catchInvalid;
import static io.keshikaran.internal.image.TestPngs.decoder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PngDecoder} on every kind of still PNG, written by the test with every filter type:
 * 16-bit samples, gray of 1, 2 and 4 bits, tRNS colour keys and Adam7 interlacing (down to 1x1),
 * besides the 8-bit kinds. At full size it must give ImageIO's pixels (today's path for these
 * files) under every transparency option, and pixels computed here from the samples by the rules
 * in docs/images.md; reduced, the block mean of its full decode. Also: a large 16-bit image reduced
 * in little heap, truncated data, and the PNGs it still leaves to the other decoders.
 */
class PngDecoderKindsTest {
    private static final DecodeOptions FULL = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.FULL).build();
    private static final int BACKGROUND = 0x3366CC;

    /** A kind of PNG: colour type, bit depth, Adam7 or not, and whether a tRNS colour key is set. */
    record Kind(int colorType, int bitDepth, boolean interlaced, boolean keyed) {
        int channels() {
            return switch (colorType) {
                case 2 -> 3;
                case 4 -> 2;
                case 6 -> 4;
                default -> 1;
            };
        }

        long seed() {
            return colorType * 1000L + bitDepth * 10L + (interlaced ? 1 : 0) + (keyed ? 5 : 0);
        }

        @Override
        public String toString() {
            String type = switch (colorType) {
                case 0 -> "gray";
                case 2 -> "RGB";
                case 3 -> "palette";
                case 4 -> "gray+alpha";
                default -> "RGBA";
            };
            return bitDepth + "-bit " + type + (keyed ? " with a colour key" : "") + (interlaced ? ", interlaced" : "");
        }
    }

    /** A test image: its samples ({@code [y][x * channels + c]}), colour key or palette, filtered rows, and the PNG. */
    record Image(Kind kind, int width, int height, int[][] samples, int[] key, int[] palette, byte[] raw, byte[] png) {
    }

    static List<Kind> kinds() {
        List<Kind> kinds = new ArrayList<>();
        for (boolean interlaced : new boolean[] {false, true}) {
            for (int bits : new int[] {1, 2, 4, 8, 16}) {
                kinds.add(new Kind(0, bits, interlaced, false));
            }
            for (int bits : new int[] {8, 16}) {
                kinds.add(new Kind(0, bits, interlaced, true));
                kinds.add(new Kind(2, bits, interlaced, false));
                kinds.add(new Kind(2, bits, interlaced, true));
                kinds.add(new Kind(4, bits, interlaced, false));
                kinds.add(new Kind(6, bits, interlaced, false));
            }
            for (int bits : new int[] {1, 2, 4, 8}) {
                kinds.add(new Kind(3, bits, interlaced, false));
            }
        }
        return kinds;
    }

    static Stream<Arguments> kindsAndTransparency() {
        return kinds().stream().flatMap(k -> Arrays.stream(DecodeOptions.Transparency.values()).map(t -> Arguments.of(k, t)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("kindsAndTransparency")
    void fullSizeIsWhatImageIoGives(Kind kind, DecodeOptions.Transparency transparency) throws Exception {
        assertFullSizeIsWhatImageIoGives(image(kind, 37, 23), transparency);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("kindsAndTransparency")
    void fullSizeFollowsTheRulesForEachSample(Kind kind, DecodeOptions.Transparency transparency) throws Exception {
        Image image = image(kind, 37, 23);
        DecodeOptions options = withTransparency(FULL, transparency);
        byte[] decoded = PngDecoder.decode(image.png(), PngDecoder.probe(image.png()), 1, options);
        int transparent = 0;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int[] expected = expectedPixel(image, x, y, transparency);
                int o = (y * image.width() + x) * 3;
                assertThat(new int[] {decoded[o] & 0xFF, decoded[o + 1] & 0xFF, decoded[o + 2] & 0xFF})
                        .as("(%d,%d)", x, y).containsExactly(Arrays.copyOf(expected, 3));
                transparent += expected[3] == 0 ? 1 : 0;
            }
        }
        if (kind.keyed() || kind.colorType() >= 3) {
            assertThat(transparent).as("fully transparent pixels in the test image").isGreaterThan(10);
        }
    }

    /**
     * Reduced: each output pixel is the rounded mean of its block of the full decode, the
     * transparency option applied first, partial blocks dropped; interlaced pixels arrive out of
     * order and must land in the right block.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("kindsAndTransparency")
    void reducedIsTheBlockMeanOfTheFullDecode(Kind kind, DecodeOptions.Transparency transparency) throws Exception {
        assertReducedIsTheBlockMean(image(kind, 203, 131), withTransparency(FULL, transparency));
    }

    static Stream<Arguments> tinyInterlacedImages() {
        int[][] sizes = {{1, 1}, {2, 1}, {1, 9}, {3, 3}, {8, 8}, {9, 9}, {5, 2}};
        List<Kind> kinds = List.of(new Kind(6, 8, true, false), new Kind(0, 16, true, true), new Kind(3, 1, true, false),
                new Kind(0, 2, true, false), new Kind(4, 16, true, false), new Kind(2, 16, true, true));
        return Arrays.stream(sizes).flatMap(s -> kinds.stream().map(k -> Arguments.of(s[0], s[1], k)));
    }

    /** Passes without columns or rows have no data at all, not even filter bytes. */
    @ParameterizedTest(name = "{0}x{1} {2}")
    @MethodSource("tinyInterlacedImages")
    void tinyInterlacedImagesDecode(int width, int height, Kind kind) throws Exception {
        Image image = image(kind, width, height);
        for (DecodeOptions.Transparency transparency : DecodeOptions.Transparency.values()) {
            assertFullSizeIsWhatImageIoGives(image, transparency);
            assertReducedIsTheBlockMean(image, withTransparency(FULL, transparency));
        }
    }

    /** At full size ImageIO's 16-bit raster alone would be 52 MB, and keshikaran reserves 22 bytes per pixel (190 MB) for it. */
    @Test
    void aLarge16BitImageIsReducedHoldingRowsNotTheImage() throws Exception {
        int width = 3600;
        int height = 2400;
        BufferedImage photo = TestImages.largePhoto(width, height);
        byte[] bgr = ((DataBufferByte) photo.getRaster().getDataBuffer()).getData();
        // Each sample the photo's, plus a low byte that must not matter.
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_SPEED))) {
            byte[] row = new byte[1 + width * 6];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < 3; c++) {
                        row[1 + 6 * x + 2 * c] = bgr[(y * width + x) * 3 + 2 - c];
                        row[2 + 6 * x + 2 * c] = (byte) (x * 31 + y * 17 + c);
                    }
                }
                out.write(row);
            }
        }
        byte[] encoded = TestPngs.withImageData(TestPngs.png(width, height, 16, 2, new byte[] {0}),
                PngDecoder.probe(TestPngs.png(width, height, 16, 2, new byte[] {0})), compressed.toByteArray());
        PngDecoder.Header header = PngDecoder.probe(encoded);
        long allocated = TestPngs.allocatedDecoding(encoded, 4);
        // The result is 1.6 MB, the rows 43 KB.
        assertThat(allocated).isLessThan(2_000_000L).isLessThanOrEqualTo(PngDecoder.heapBytes(header, 4) + 100_000);
        byte[] reduced = PngDecoder.decode(encoded, header, 4, DecodeOptions.defaults());
        assertThat(reduced).hasSize(900 * 600 * 3);
        for (int y = 0; y < 600; y++) {
            for (int x = 0; x < 900; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = 0; dy < 4; dy++) {
                        for (int dx = 0; dx < 4; dx++) {
                            sum += bgr[((4 * y + dy) * width + 4 * x + dx) * 3 + 2 - c] & 0xFF;
                        }
                    }
                    if ((reduced[(y * 900 + x) * 3 + c] & 0xFF) != (sum + 8) / 16) {
                        assertThat(reduced[(y * 900 + x) * 3 + c] & 0xFF).as("(%d,%d) channel %d", x, y, c).isEqualTo((sum + 8) / 16);
                    }
                }
            }
        }
    }

    @Test
    void anInterlacedImageIsReducedInHeapForTheReducedImageOnly() throws Exception {
        Image image = image(new Kind(6, 16, true, false), 1600, 1200);
        PngDecoder.Header header = PngDecoder.probe(image.png());
        long allocated = TestPngs.allocatedDecoding(image.png(), 4);
        // The full image as 16-bit RGBA would be 15 MB; the result and its sums are 1.1 MB, the rows 36 KB.
        assertThat(allocated).isLessThan(1_400_000L).isLessThanOrEqualTo(PngDecoder.heapBytes(header, 4) + 100_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png-rgba.png", "png-interlaced.png", "png-16bit.png", "png-16bit-rgba.png", "png-rgb-trns.png"})
    void truncatedDataFailsAndImageIoReportsIt(String file) throws Exception {
        byte[] whole = Files.readAllBytes(TestImages.format(file));
        assertTruncationIsReportedAsByImageIo(whole, 2);
    }

    /** Cut in the first passes, whose rows are few and short. */
    @Test
    void interlacedDataCutInAnEarlyPassFailsAndImageIoReportsIt() throws Exception {
        assertTruncationIsReportedAsByImageIo(image(new Kind(2, 8, true, false), 300, 200).png(), 50);
    }

    /**
     * Damaged image data, well compressed (ImageIO verifies the zlib checksum, this decoder does
     * not): a byte changed, often a filter type, or the data cut short or running on. Whatever
     * both decoders accept they must decode alike, and the default path either decodes as ImageIO
     * does or reports ImageIO's error.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void damagedImageDataDecodesAsImageIoOrFails(Kind kind) throws Exception {
        Image image = image(kind, 29, 17);
        PngDecoder.Header header = PngDecoder.probe(image.png());
        Random random = new Random(kind.seed());
        int bothDecoded = 0;
        int bothFailed = 0;
        for (int n = 0; n < 40; n++) {
            byte[] raw = image.raw().clone();
            switch (n % 4) {
                case 0 -> raw[random.nextInt(raw.length)] = (byte) random.nextInt(8);
                case 1 -> raw[random.nextInt(raw.length)] ^= (byte) (1 + random.nextInt(255));
                case 2 -> raw = Arrays.copyOf(raw, random.nextInt(raw.length));
                default -> raw = Arrays.copyOf(raw, raw.length + 1 + random.nextInt(50));
            }
            byte[] damaged = TestPngs.withImageData(image.png(), header, TestPngs.deflate(raw));
            byte[] ours;
            try {
                ours = PngDecoder.decode(damaged, header, 1, FULL);
            } catch (IOException e) {
                ours = null;
            }
            byte[] imageIo;
            try {
                imageIo = decoder(FULL, DecodeOptions.Decoder.JAVA).decode(damaged, "damaged").toByteArray();
            } catch (InvalidImageException e) {
                InvalidImageException auto = catchInvalid(() -> decoder(FULL, DecodeOptions.Decoder.AUTO).decode(damaged, "damaged"));
                assertThat(ours).as("%s, damage %d: decoded where ImageIO says %s", kind, n, e.getMessage()).isNull();
                assertThat(auto.getMessage()).isEqualTo(e.getMessage());
                bothFailed++;
                continue;
            }
            if (ours != null) {
                assertThat(ours).as("%s, damage %d", kind, n).isEqualTo(imageIo);
                bothDecoded++;
            }
            assertThat(decoder(FULL, DecodeOptions.Decoder.AUTO).decode(damaged, "damaged").toByteArray()).isEqualTo(imageIo);
        }
        assertThat(bothDecoded).as("damaged files both decoders accepted").isPositive();
        assertThat(bothFailed).as("damaged files both refused").isPositive();
    }

    @Test
    void leavesAnimationsAndOddTransparencyToTheOthers() throws Exception {
        byte[] raw = {0, 0x12};
        byte[] lowBitGrayKey = TestPngs.png(2, 1, 4, 0, raw, TestImages.pngChunk("tRNS", new byte[] {0, 1}));
        assertThat(PngDecoder.probe(lowBitGrayKey)).as("a colour key on 4-bit gray").isNull();
        assertThat(decoder(FULL, DecodeOptions.Decoder.AUTO).decode(lowBitGrayKey, "key").toByteArray())
                .as("decoded by ImageIO, as before").containsExactly(17, 17, 17, 34, 34, 34);
        byte[] rgb = {0, 1, 2, 3};
        assertThat(PngDecoder.probe(TestPngs.png(1, 1, 8, 2, rgb, TestImages.pngChunk("acTL", new byte[8])))).as("APNG").isNull();
        assertThat(PngDecoder.probe(TestPngs.png(1, 1, 8, 2, rgb, TestImages.pngChunk("tRNS", new byte[2]))))
                .as("a gray key on RGB").isNull();
        assertThat(PngDecoder.probe(TestPngs.png(1, 1, 8, 4, new byte[] {0, 1, 2}, TestImages.pngChunk("tRNS", new byte[2]))))
                .as("a key on gray+alpha").isNull();
        assertThat(PngDecoder.probe(TestPngs.png(1, 1, 8, 2, rgb, TestImages.pngChunk("tRNS", new byte[6]),
                TestImages.pngChunk("tRNS", new byte[6])))).as("two keys").isNull();
        assertThat(PngDecoder.probe(TestPngs.png(1, 1, 12, 0, rgb))).as("12 bits").isNull();
        byte[] interlaceTwo = TestPngs.png(1, 1, 8, 2, rgb);
        interlaceTwo[28] = 2;
        assertThat(PngDecoder.probe(interlaceTwo)).as("an unknown interlace method").isNull();
    }

    // ---- checks ----------------------------------------------------------------------------------

    private static void assertFullSizeIsWhatImageIoGives(Image image, DecodeOptions.Transparency transparency) throws Exception {
        PngDecoder.Header header = PngDecoder.probe(image.png());
        assertThat(header).as("handled by the streaming decoder").isNotNull();
        assertThat(header.interlaced()).isEqualTo(image.kind().interlaced());
        DecodeOptions options = withTransparency(FULL, transparency);
        String name = image.kind() + " " + image.width() + "x" + image.height();
        byte[] imageIo = decoder(options, DecodeOptions.Decoder.JAVA).decode(image.png(), name).toByteArray();
        assertThat(PngDecoder.decode(image.png(), header, 1, options)).as(name).isEqualTo(imageIo);
        assertThat(decoder(options, DecodeOptions.Decoder.AUTO).decode(image.png(), name).toByteArray()).isEqualTo(imageIo);
    }

    private static void assertReducedIsTheBlockMean(Image image, DecodeOptions options) throws IOException {
        PngDecoder.Header header = PngDecoder.probe(image.png());
        byte[] full = PngDecoder.decode(image.png(), header, 1, options);
        for (int factor : new int[] {2, 4, 8}) {
            int[] size = PngDecoder.outputSize(header, factor);
            int f = image.width() >= factor && image.height() >= factor ? factor : 1;
            assertThat(size).containsExactly(image.width() / f, image.height() / f);
            byte[] reduced = PngDecoder.decode(image.png(), header, factor, options);
            assertThat(reduced).as("%s reduced by %d", image.kind(), factor).isEqualTo(TestImages.blockMean(full, image.width(), f, size));
        }
    }

    private static void assertTruncationIsReportedAsByImageIo(byte[] whole, int keptOneIn) throws Exception {
        PngDecoder.Header header = PngDecoder.probe(whole);
        int idatLength = (int) RawMetadata.u32be(whole, header.firstIdat());
        byte[] idat = Arrays.copyOfRange(whole, header.firstIdat() + 8, header.firstIdat() + 8 + idatLength / keptOneIn);
        byte[] cut = TestPngs.withImageData(whole, header, idat);
        assertThat(PngDecoder.probe(cut)).as("a well-formed chunk list").isNotNull();
        assertThatThrownBy(() -> PngDecoder.decode(cut, PngDecoder.probe(cut), 1, FULL))
                .isInstanceOf(IOException.class).hasMessageContaining("ends after");
        InvalidImageException auto = catchInvalid(() -> decoder(FULL, DecodeOptions.Decoder.AUTO).decode(cut, "cut.png"));
        InvalidImageException imageIo = catchInvalid(() -> decoder(FULL, DecodeOptions.Decoder.JAVA).decode(cut, "cut.png"));
        assertThat(auto.kind()).isEqualTo(imageIo.kind());
        assertThat(auto.getMessage()).isEqualTo(imageIo.getMessage());
    }

    /**
     * A pixel by the rules, from the samples: 16-bit samples keep the high byte (alpha too, then
     * applied at 8 bits), gray of b bits becomes {@code v * 255 / (2^b - 1)}, a pixel equal to the
     * key at full precision is transparent. Returns R, G, B and the 8-bit alpha.
     */
    private static int[] expectedPixel(Image image, int x, int y, DecodeOptions.Transparency transparency) {
        Kind kind = image.kind();
        int channels = kind.channels();
        int[] s = Arrays.copyOfRange(image.samples()[y], x * channels, x * channels + channels);
        int r;
        int g;
        int b;
        int a = 255;
        if (kind.colorType() == 3) {
            int e = 4 * s[0];
            r = image.palette()[e];
            g = image.palette()[e + 1];
            b = image.palette()[e + 2];
            a = image.palette()[e + 3];
        } else {
            int[] v = new int[channels];
            for (int c = 0; c < channels; c++) {
                v[c] = kind.bitDepth() == 16 ? s[c] >> 8 : s[c] * 255 / ((1 << kind.bitDepth()) - 1);
            }
            boolean gray = kind.colorType() == 0 || kind.colorType() == 4;
            r = v[0];
            g = gray ? v[0] : v[1];
            b = gray ? v[0] : v[2];
            if (kind.colorType() == 4 || kind.colorType() == 6) {
                a = v[channels - 1];
            } else if (kind.keyed() && Arrays.equals(s, image.key())) {
                a = 0;
            }
        }
        int[] bg = {BACKGROUND >> 16 & 0xFF, BACKGROUND >> 8 & 0xFF, BACKGROUND & 0xFF};
        int[] rgb = {r, g, b};
        if (a != 255 && transparency != DecodeOptions.Transparency.KEEP_STORED_COLOR) {
            for (int c = 0; c < 3; c++) {
                rgb[c] = transparency == DecodeOptions.Transparency.FILL_TRANSPARENT
                        ? (a == 0 ? bg[c] : rgb[c])
                        : (rgb[c] * a + bg[c] * (255 - a) + 127) / 255;
            }
        }
        return new int[] {rgb[0], rgb[1], rgb[2], a};
    }

    // ---- test images -----------------------------------------------------------------------------

    /**
     * Random samples of a kind, with what decoders get wrong made frequent: a quarter of a keyed
     * image's pixels equal to the key, and for 16 bits as many more differing from it only in one
     * low byte; alpha of 0 and full, and for 16 bits values whose high byte alone is 0 or 255;
     * palette entries with tRNS alpha.
     */
    static Image image(Kind kind, int width, int height) {
        Random random = new Random(kind.seed() * 31 + width * 7L + height);
        int bits = kind.bitDepth();
        int max = (1 << bits) - 1;
        int channels = kind.channels();
        List<byte[]> chunks = new ArrayList<>();
        int[] key = null;
        if (kind.keyed()) {
            key = new int[kind.colorType() == 0 ? 1 : 3];
            byte[] trns = new byte[2 * key.length];
            for (int c = 0; c < key.length; c++) {
                key[c] = random.nextInt(max + 1);
                trns[2 * c] = (byte) (key[c] >> 8);
                trns[2 * c + 1] = (byte) key[c];
            }
            chunks.add(TestImages.pngChunk("tRNS", trns));
        }
        int[] palette = null;
        if (kind.colorType() == 3) {
            int entries = 1 << bits;
            palette = new int[4 * entries];
            byte[] plte = new byte[3 * entries];
            byte[] trns = new byte[entries / 2 + 1];
            for (int e = 0; e < entries; e++) {
                for (int c = 0; c < 3; c++) {
                    palette[4 * e + c] = random.nextInt(256);
                    plte[3 * e + c] = (byte) palette[4 * e + c];
                }
                // The first entries get tRNS alpha (0, a random one, 255 in turn), the rest stay opaque.
                palette[4 * e + 3] = e >= trns.length ? 255 : e % 3 == 0 ? 0 : e % 3 == 1 ? random.nextInt(256) : 255;
                if (e < trns.length) {
                    trns[e] = (byte) palette[4 * e + 3];
                }
            }
            chunks.add(TestImages.pngChunk("PLTE", plte));
            chunks.add(TestImages.pngChunk("tRNS", trns));
        }
        boolean alpha = kind.colorType() == 4 || kind.colorType() == 6;
        int[] alphas = bits == 16 ? new int[] {0, max, 0x00FF, 0xFF00, 0x0100, 0xFEFF} : new int[] {0, max};
        int[][] samples = new int[height][width * channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = x * channels;
                double dice = random.nextDouble();
                for (int c = 0; c < channels; c++) {
                    samples[y][p + c] = random.nextInt(max + 1);
                }
                if (key != null && dice < 0.5) {
                    System.arraycopy(key, 0, samples[y], p, key.length);
                    if (dice >= 0.25 && bits == 16) {
                        samples[y][p + random.nextInt(key.length)] ^= 1 + random.nextInt(255);
                    }
                }
                if (alpha && dice < 0.5) {
                    samples[y][p + channels - 1] = alphas[random.nextInt(alphas.length)];
                }
            }
        }
        byte[] data = TestPngs.imageData(samples, width, height, channels, bits, kind.interlaced());
        byte[] png = TestPngs.png(width, height, bits, kind.colorType(), kind.interlaced(), data, chunks.toArray(new byte[0][]));
        return new Image(kind, width, height, samples, key, palette, data, png);
    }

    private static DecodeOptions withTransparency(DecodeOptions options, DecodeOptions.Transparency transparency) {
        return options.toBuilder().optTransparency(transparency).optBackground(BACKGROUND).build();
    }

}
