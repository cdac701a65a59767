package io.keshikaran.internal.image;

import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.RgbImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static io.keshikaran.internal.image.TestPngs.concat;
import static io.keshikaran.internal.image.TestPngs.decoder;
import static io.keshikaran.internal.image.TestPngs.deflate;
import static io.keshikaran.internal.image.TestPngs.filtered;
import static io.keshikaran.internal.image.TestPngs.png;
import static io.keshikaran.internal.image.TestPngs.withImageData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PngDecoder}, keshikaran's streaming PNG decoder: the pixels ImageIO gives at full size for
 * every colour type, filter and transparency option; the box average of those pixels when reduced;
 * the PNGs it leaves to the other decoders; damaged data; and the memory it does not use.
 */
class PngDecoderTest {
    private static final DecodeOptions FULL = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.FULL).build();
    /** A real photo (fixtures/images/horses.jpg, 1024x664) scaled to 3600x2400: reduced by 4 for a 224 input. */
    private static BufferedImage photo;

    @BeforeAll
    static void makeLargePhoto() throws IOException {
        photo = TestImages.largePhoto(3600, 2400);
    }

    private static DecodeOptions withTransparency(DecodeOptions options, DecodeOptions.Transparency transparency) {
        return options.toBuilder().optTransparency(transparency).optBackground(0x3366CC).build();
    }

    static Stream<Arguments> fixturesAndTransparency() {
        String[] files = {"png-rgba.png", "png-gray.png", "png-gray-alpha.png", "png-palette.png", "png-palette-trns.png",
            "png-exif-orientation-6.png", "tiny-1x1.png", "tiny-1x64.png", "png-16bit.png", "png-16bit-rgba.png",
            "png-interlaced.png", "png-rgb-trns.png"};
        return Arrays.stream(files).flatMap(f -> Arrays.stream(DecodeOptions.Transparency.values()).map(t -> Arguments.of(f, t)));
    }

    @ParameterizedTest
    @MethodSource("fixturesAndTransparency")
    void fullSizeIsWhatImageIoGives(String file, DecodeOptions.Transparency transparency) throws Exception {
        byte[] encoded = Files.readAllBytes(TestImages.format(file));
        assertThat(PngDecoder.probe(encoded)).as("handled by the streaming decoder").isNotNull();
        DecodeOptions options = withTransparency(FULL, transparency);
        RgbImage streamed = decoder(options, DecodeOptions.Decoder.AUTO).decode(encoded, file);
        RgbImage imageIo = decoder(options, DecodeOptions.Decoder.JAVA).decode(encoded, file);
        assertThat(streamed.width()).isEqualTo(imageIo.width());
        assertThat(streamed.height()).isEqualTo(imageIo.height());
        assertThat(streamed.toByteArray()).isEqualTo(imageIo.toByteArray());
        // Directly too: a decode that failed would have gone to ImageIO unseen.
        DecodeOptions stored = options.toBuilder().optOrientation(DecodeOptions.Orientation.IGNORE).build();
        assertThat(PngDecoder.decode(encoded, PngDecoder.probe(encoded), 1, stored))
                .isEqualTo(decoder(stored, DecodeOptions.Decoder.JAVA).decode(encoded, file).toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg-baseline.jpg", "text.png"})
    void leavesOtherFilesToTheOtherDecoders(String file) throws Exception {
        assertThat(PngDecoder.probe(Files.readAllBytes(TestImages.format(file)))).isNull();
    }

    @Test
    void paethPredictorIsTheSpecificationsOnEveryTripleOfBytes() {
        for (int left = 0; left < 256; left++) {
            for (int up = 0; up < 256; up++) {
                for (int upLeft = 0; upLeft < 256; upLeft++) {
                    int estimate = left + up - upLeft;
                    int toLeft = Math.abs(estimate - left);
                    int toUp = Math.abs(estimate - up);
                    int toUpLeft = Math.abs(estimate - upLeft);
                    int expected = toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
                    int actual = PngDecoder.paethPredictor(left, up, upLeft);
                    if (actual != expected) {
                        throw new AssertionError("left " + left + ", up " + up + ", upper left " + upLeft
                            + ": predicted " + actual + ", the specification " + expected);
                    }
                }
            }
        }
    }

    @Test
    void aProfileThatNeedsConvertingGoesToImageIo() throws Exception {
        byte[] encoded = Files.readAllBytes(TestImages.format("png-adobergb.png"));
        PngDecoder.Header header = PngDecoder.probe(encoded);
        assertThat(header).isNotNull();
        assertThat(header.hasIccProfile()).isTrue();
        RgbImage auto = decoder(FULL, DecodeOptions.Decoder.AUTO).decode(encoded, "adobergb");
        RgbImage imageIo = decoder(FULL, DecodeOptions.Decoder.JAVA).decode(encoded, "adobergb");
        assertThat(auto.toByteArray()).isEqualTo(imageIo.toByteArray());
        byte[] stored = PngDecoder.decode(encoded, header, 1, FULL);
        assertThat(stored).as("the stored colours differ from the converted ones").isNotEqualTo(imageIo.toByteArray());
    }

    /** Every filter type, for every number of bytes per pixel, against pixels the test filtered itself. */
    @ParameterizedTest
    @ValueSource(ints = {0, 2, 4, 6})
    void everyFilterTypeIsUndone(int colorType) throws Exception {
        int channels = switch (colorType) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        int width = 37;
        int height = 25;
        Random random = new Random(colorType);
        byte[][] rows = new byte[height][width * channels];
        for (byte[] row : rows) {
            random.nextBytes(row); // alpha too: every channel goes through the filters
        }
        byte[] encoded = png(width, height, 8, colorType, filtered(rows, channels), new byte[0][]);
        DecodeOptions storedColours = FULL.toBuilder().optTransparency(DecodeOptions.Transparency.KEEP_STORED_COLOR).build();
        byte[] decoded = PngDecoder.decode(encoded, PngDecoder.probe(encoded), 1, storedColours);
        if (channels % 2 == 0) {
            // The alpha channel, through compositing, against ImageIO's own unfiltering.
            DecodeOptions composite = FULL.toBuilder().optTransparency(DecodeOptions.Transparency.COMPOSITE).build();
            assertThat(decoder(composite, DecodeOptions.Decoder.AUTO).decode(encoded, "filters.png").toByteArray())
                    .isEqualTo(decoder(composite, DecodeOptions.Decoder.JAVA).decode(encoded, "filters.png").toByteArray());
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    int stored = colorType == 0 || colorType == 4 ? rows[y][x * channels] : rows[y][x * channels + c];
                    assertThat(decoded[(y * width + x) * 3 + c]).as("(%d,%d) channel %d, filter %d", x, y, c, y % 5)
                            .isEqualTo((byte) stored);
                }
            }
        }
    }

    /**
     * Rows longer than the 64 KiB the decoder inflates at a time (each row takes several), and
     * damaged deflate data after the last row, which libpng and ImageIO never read: the image
     * decodes, as it did when the decoder inflated row by row.
     */
    @Test
    void longRowsAndDamagedDataAfterTheLastRowDecode() throws Exception {
        int width = 20_000; // RGBA: 80,001 bytes a row
        int height = 4;
        Random random = new Random(11);
        byte[][] rows = new byte[height][width * 4];
        for (byte[] row : rows) {
            random.nextBytes(row);
        }
        byte[] filtered = filtered(rows, 4);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(filtered);
        byte[] compressed = new byte[filtered.length * 2 + 1024];
        int n = deflater.deflate(compressed, 0, compressed.length, java.util.zip.Deflater.SYNC_FLUSH);
        deflater.end();
        // After the rows, a fixed-Huffman block: a literal, then a length with the reserved distance
        // code 30, which zlib reports as a data error once it has room to write past the literal.
        byte[] damaged = concat(Arrays.copyOf(compressed, n), fixedHuffmanBlockWithAnInvalidDistance());
        byte[] clean = png(width, height, 8, 6, filtered, new byte[0][]);
        PngDecoder.Header header = PngDecoder.probe(clean);
        byte[] encoded = withImageData(clean, header, damaged);
        DecodeOptions stored = FULL.toBuilder().optTransparency(DecodeOptions.Transparency.KEEP_STORED_COLOR).build();
        byte[] decoded = PngDecoder.decode(encoded, PngDecoder.probe(encoded), 1, stored);
        assertThat(decoded).isEqualTo(PngDecoder.decode(clean, header, 1, stored));
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x += 997) {
                for (int c = 0; c < 3; c++) {
                    assertThat(decoded[(y * width + x) * 3 + c]).isEqualTo(rows[y][x * 4 + c]);
                }
            }
        }
    }

    /**
     * A final fixed-Huffman deflate block (RFC 1951, 3.2.6): the literal 'A', then the length 3
     * (code 257) with distance code 30, which is reserved.
     */
    private static byte[] fixedHuffmanBlockWithAnInvalidDistance() {
        long bits = 0;
        int count = 0;
        // Header bits go least significant first: BFINAL 1, BTYPE 01.
        int[][] fields = {{1, 1}, {1, 2}};
        for (int[] f : fields) {
            bits |= (long) f[0] << count;
            count += f[1];
        }
        // Huffman codes go most significant bit first.
        int[][] codes = {{0x30 + 'A', 8}, {0b0000001, 7}, {30, 5}};
        for (int[] code : codes) {
            for (int b = code[1] - 1; b >= 0; b--) {
                bits |= (long) ((code[0] >> b) & 1) << count++;
            }
        }
        byte[] out = new byte[(count + 7) / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (bits >>> (8 * i));
        }
        return out;
    }

    /** Palettes of 1, 2 and 4 bits pack several pixels into a byte, the first in the high bits. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void packedPaletteIndexesAreUnpacked(int bits) throws Exception {
        int entries = 1 << bits;
        byte[] plte = new byte[3 * entries];
        for (int i = 0; i < entries; i++) {
            plte[3 * i] = (byte) (i * 7);
            plte[3 * i + 1] = (byte) (255 - i);
            plte[3 * i + 2] = (byte) (i * 3);
        }
        int width = 13;
        int height = 3;
        int[][] indexes = new int[height][width];
        byte[][] rows = new byte[height][(width * bits + 7) / 8];
        Random random = new Random(bits);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int index = random.nextInt(entries);
                indexes[y][x] = index;
                int bit = x * bits;
                rows[y][bit / 8] |= (byte) (index << (8 - bits - bit % 8));
            }
        }
        byte[] encoded = png(width, height, bits, 3, filtered(rows, 1), TestImages.pngChunk("PLTE", plte));
        byte[] decoded = PngDecoder.decode(encoded, PngDecoder.probe(encoded), 1, FULL);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(decoded[(y * width + x) * 3 + c]).isEqualTo(plte[3 * indexes[y][x] + c]);
                }
            }
        }
    }

    /**
     * Reduced: each output pixel is the rounded mean of its block of the full decode, with the
     * transparency option applied before averaging, and partial blocks at the edges dropped.
     */
    @ParameterizedTest
    @MethodSource("largeImagesAndTransparency")
    void reducedIsTheBlockMeanOfTheFullDecode(int imageType, DecodeOptions.Transparency transparency) throws Exception {
        BufferedImage image = new BufferedImage(3601, 2403, imageType);
        Graphics2D g = image.createGraphics();
        g.drawImage(photo, 0, 0, null);
        if (image.getColorModel().hasAlpha()) {
            // Transparent on the left, opaque on the right, with every alpha in between.
            g.setComposite(java.awt.AlphaComposite.DstIn);
            g.setPaint(new GradientPaint(0, 0, new Color(0, 0, 0, 0), 3600, 0, new Color(0, 0, 0, 255)));
            g.fillRect(0, 0, 3601, 2403);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "png", out)).isTrue();
        byte[] encoded = out.toByteArray();
        assertThat(PngDecoder.probe(encoded)).isNotNull();

        DecodeOptions reducedOptions = withTransparency(DecodeOptions.defaults(), transparency);
        RgbImage reduced = decoder(reducedOptions, DecodeOptions.Decoder.AUTO).withTargetSize(224, 224).decode(encoded, "big");
        RgbImage full = decoder(withTransparency(FULL, transparency), DecodeOptions.Decoder.JAVA).decode(encoded, "big");
        assertThat(reduced.width()).isEqualTo(900);   // 3601 / 4, the last column dropped
        assertThat(reduced.height()).isEqualTo(600);  // 2403 / 4, the last 3 rows dropped
        for (int y = 0; y < reduced.height(); y++) {
            for (int x = 0; x < reduced.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = 0; dy < 4; dy++) {
                        for (int dx = 0; dx < 4; dx++) {
                            sum += full.sample(4 * x + dx, 4 * y + dy, c);
                        }
                    }
                    if (reduced.sample(x, y, c) != (sum + 8) / 16) {
                        assertThat(reduced.sample(x, y, c)).as("(%d,%d) channel %d", x, y, c).isEqualTo((sum + 8) / 16);
                    }
                }
            }
        }
    }

    static Stream<Arguments> largeImagesAndTransparency() {
        return Stream.of(
                Arguments.of(BufferedImage.TYPE_3BYTE_BGR, DecodeOptions.Transparency.COMPOSITE),
                Arguments.of(BufferedImage.TYPE_BYTE_GRAY, DecodeOptions.Transparency.COMPOSITE),
                Arguments.of(BufferedImage.TYPE_BYTE_INDEXED, DecodeOptions.Transparency.COMPOSITE),
                Arguments.of(BufferedImage.TYPE_4BYTE_ABGR, DecodeOptions.Transparency.COMPOSITE),
                Arguments.of(BufferedImage.TYPE_4BYTE_ABGR, DecodeOptions.Transparency.FILL_TRANSPARENT),
                Arguments.of(BufferedImage.TYPE_4BYTE_ABGR, DecodeOptions.Transparency.KEEP_STORED_COLOR));
    }

    @Test
    void reducingHoldsRowsNotTheImage() throws Exception {
        BufferedImage image = new BufferedImage(3600, 2400, BufferedImage.TYPE_4BYTE_ABGR);
        Graphics2D g = image.createGraphics();
        g.drawImage(photo, 0, 0, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        byte[] encoded = out.toByteArray();
        PngDecoder.Header header = PngDecoder.probe(encoded);
        long allocated = TestPngs.allocatedDecoding(encoded, 4);
        assertThat(PngDecoder.outputSize(header, 4)).containsExactly(900, 600);
        // The full image would be 3600 * 2400 * 4 = 34.6 MB; the result is 1.6 MB, the rows 29 KB.
        assertThat(allocated).isLessThan(2_000_000L).isLessThanOrEqualTo(PngDecoder.heapBytes(header, 4) + 100_000);
    }

    @Test
    void aWrongChecksumIsNotComputedButABadZlibHeaderFails() throws Exception {
        byte[] raw = {0, 10, 20, 30, 2, 5, 5, 5};
        byte[] compressed = deflate(raw);
        byte[] wrongChecksum = compressed.clone();
        wrongChecksum[wrongChecksum.length - 1] ^= 0x55;
        byte[] encoded = withImageData(png(1, 2, 8, 2, raw, new byte[0][]), PngDecoder.probe(png(1, 2, 8, 2, raw, new byte[0][])), wrongChecksum);
        assertThat(PngDecoder.decode(encoded, PngDecoder.probe(encoded), 1, FULL))
                .as("as libvips and browsers: the Adler-32 trailer is not checked").containsExactly(10, 20, 30, 15, 25, 35);

        byte[] presetDictionary = compressed.clone();
        presetDictionary[1] = (byte) 0xBB; // FDICT set; 0x78BB is a multiple of 31
        byte[] notDeflate = compressed.clone();
        notDeflate[0] = 0x79; // compression method 9
        byte[] badCheck = compressed.clone();
        badCheck[1] ^= 1;
        for (byte[] data : List.of(presetDictionary, notDeflate, badCheck)) {
            byte[] bad = withImageData(encoded, PngDecoder.probe(encoded), data);
            assertThatThrownBy(() -> PngDecoder.decode(bad, PngDecoder.probe(bad), 1, FULL))
                    .isInstanceOf(IOException.class).hasMessageContaining("incorrect header check");
        }
    }

    @Test
    void anUnknownFilterTypeFails() throws Exception {
        byte[] raw = {0, 1, 2, 3, 7, 4, 5, 6};
        byte[] encoded = png(1, 2, 8, 2, raw, new byte[0][]);
        assertThatThrownBy(() -> PngDecoder.decode(encoded, PngDecoder.probe(encoded), 1, FULL))
                .isInstanceOf(IOException.class).hasMessageContaining("row 1 has the unknown filter type 7");
    }

    @Test
    void aPaletteIndexWithoutAnEntryFails() throws Exception {
        byte[] encoded = png(2, 1, 8, 3, new byte[] {0, 0, 5}, TestImages.pngChunk("PLTE", new byte[] {1, 2, 3, 4, 5, 6}));
        assertThatThrownBy(() -> PngDecoder.decode(encoded, PngDecoder.probe(encoded), 1, FULL))
                .isInstanceOf(IOException.class).hasMessageContaining("palette index 5 but the palette has 2 entries");
    }

    @Test
    void imageDataSplitByAnotherChunkIsLeftToTheOthers() throws Exception {
        byte[] good = png(1, 1, 8, 2, new byte[] {0, 1, 2, 3}, new byte[0][]);
        assertThat(PngDecoder.probe(good)).isNotNull();
        byte[] compressed = deflate(new byte[] {0, 1, 2, 3});
        byte[] split = concat(Arrays.copyOf(good, 33),
                TestImages.pngChunk("IDAT", Arrays.copyOf(compressed, 3)), TestImages.pngChunk("tEXt", "a\0b".getBytes(StandardCharsets.ISO_8859_1)),
                TestImages.pngChunk("IDAT", Arrays.copyOfRange(compressed, 3, compressed.length)), TestImages.pngChunk("IEND", new byte[0]));
        assertThat(PngDecoder.probe(split)).isNull();
    }

    @Test
    void manySmallImageDataChunksAreOneStream() throws Exception {
        byte[] raw = new byte[] {0, 10, 20, 30, 2, 5, 5, 5};
        byte[] compressed = deflate(raw);
        byte[][] chunks = new byte[compressed.length + 2][];
        chunks[0] = Arrays.copyOf(png(1, 2, 8, 2, raw, new byte[0][]), 33);
        for (int i = 0; i < compressed.length; i++) {
            chunks[i + 1] = TestImages.pngChunk("IDAT", new byte[] {compressed[i]});
        }
        chunks[chunks.length - 1] = TestImages.pngChunk("IEND", new byte[0]);
        byte[] encoded = concat(chunks);
        assertThat(PngDecoder.decode(encoded, PngDecoder.probe(encoded), 1, FULL)).containsExactly(10, 20, 30, 15, 25, 35);
    }

}
