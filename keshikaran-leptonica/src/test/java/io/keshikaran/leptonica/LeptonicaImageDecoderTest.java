package io.keshikaran.leptonica;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;
import io.keshikaran.spi.NativeImageDecoder;
import io.keshikaran.testkit.BoxAverage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The native path against the Java path on the repository's real fixtures. Tolerances: JPEG and
 * PNG (and lossless WebP) at full resolution must be byte-identical (both JPEG paths are ISLOW IDCT with
 * fancy upsampling; the others are lossless); lossy WebP differs (libwebp against TwelveMonkeys' VP8
 * decoder, whose chroma upsampling differs) by at most 32 per sample and 2.0 on average (1.64 and 1.67 measured); reduced decoding (DCT scaling or area averaging against ImageIO's point
 * sampling) is compared after both are averaged to 16x16 blocks, within 12 per sample.
 */
class LeptonicaImageDecoderTest {
    private static final Path FIXTURES = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"));
    private static final DecodeOptions FULL = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.FULL).build();
    private static final NativeImageDecoder LEPTONICA = new LeptonicaImageDecoder();

    static Stream<Path> stills() throws IOException {
        try (Stream<Path> images = Files.list(FIXTURES.resolve("images"));
             Stream<Path> formats = Files.list(FIXTURES.resolve("formats"))) {
            return Stream.concat(images.toList().stream(), formats.toList().stream())
                    // Animated WebPs: NativeAnimatedWebPTest.
                    .filter(p -> p.toString().matches(".*\\.(jpg|png|webp)$") && !p.getFileName().toString().contains("animated")
                            && Files.isRegularFile(p))
                    .sorted().toList().stream();
        }
    }

    private static ImageDecoder decoder(DecodeOptions options, DecodeOptions.Decoder which) {
        return new ImageDecoder(ImageLimits.defaults(), options.toBuilder().optDecoder(which).build());
    }

    @Test
    void loadsFromTheJarWithNothingInstalled() {
        assertThat(LEPTONICA.unavailableReason()).isNull();
    }

    @ParameterizedTest
    @MethodSource("stills")
    void fullResolutionJpegAndPngAreByteIdenticalToTheJavaPath(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        NativeImageDecoder.Header header = LEPTONICA.probe(bytes);
        RgbImage java;
        try {
            java = decoder(FULL, DecodeOptions.Decoder.JAVA).decode(bytes, file.toString());
        } catch (InvalidImageException e) {
            // Inputs the Java path refuses must be refused by the native path too (it hands them over).
            assertThatThrownBy(() -> decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(bytes, file.toString()))
                    .isInstanceOf(InvalidImageException.class);
            return;
        }
        RgbImage nat = decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(bytes, file.toString());
        assertThat(nat.width()).isEqualTo(java.width());
        assertThat(nat.height()).isEqualTo(java.height());
        if (header != null && isLossyWebP(bytes)) {
            assertThat(meanDifference(nat, java)).as("%s", file).isLessThanOrEqualTo(2.0);
            assertThat(maxDifference(nat, java)).as("%s", file).isLessThanOrEqualTo(32);
        } else {
            assertThat(sha256(nat)).as("%s decoded natively", file).isEqualTo(sha256(java));
        }
    }

    @Test
    void theFormatsItHandlesAndThoseItLeavesToImageIo() throws Exception {
        for (String handled : List.of("jpeg-baseline.jpg", "jpeg-progressive.jpg", "jpeg-gray.jpg", "jpeg-444.jpg",
                "png-rgba.png", "png-palette-trns.png", "png-gray-alpha.png", "png-interlaced.png", "tiny-1x1.webp")) {
            assertThat(LEPTONICA.probe(format(handled))).as(handled).isNotNull();
        }
        for (String declined : List.of("jpeg-cmyk.jpg", "jpeg-ycck.jpg", "png-16bit.png", "png-16bit-rgba.png",
                "png-rgb-trns.png", "gif-static.gif", "bmp-24.bmp", "random.bin", "text.png", "truncated-animated.gif")) {
            assertThat(LEPTONICA.probe(format(declined))).as(declined).isNull();
        }
        // Profiles are reported for ImageDecoder to judge (it converts RGB ones, leaves others to ImageIO).
        assertThat(LEPTONICA.probe(format("jpeg-adobergb.jpg")).iccProfile()).isNotNull();
        assertThat(LEPTONICA.probe(format("png-adobergb.png"))).isNull();
    }

    /**
     * Photoshop's Adobe marker with transform 1 on a three-component JPEG means plain YCbCr: decoded
     * natively, to the same bytes as ImageIO. Transform 0 (RGB coding) stays on ImageIO.
     */
    @Test
    void adobeMarkedYCbCrJpegsAreDecodedNatively() throws Exception {
        byte[] plain = Files.readAllBytes(FIXTURES.resolve("images/horses.jpg"));
        for (int transform : new int[] {1, 0}) {
            byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
            byte[] marked = new byte[plain.length + app14.length];
            System.arraycopy(plain, 0, marked, 0, 2);
            System.arraycopy(app14, 0, marked, 2, app14.length);
            System.arraycopy(plain, 2, marked, 2 + app14.length, plain.length - 2);
            if (transform == 0) {
                assertThat(LEPTONICA.probe(marked)).isNull();
                continue;
            }
            assertThat(LEPTONICA.probe(marked)).isNotNull();
            assertThat(sha256(decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(marked, "adobe.jpg")))
                    .isEqualTo(sha256(decoder(FULL, DecodeOptions.Decoder.JAVA).decode(marked, "adobe.jpg")))
                    .isEqualTo(sha256(decoder(FULL, DecodeOptions.Decoder.JAVA).decode(plain, "horses.jpg")));
        }
    }

    /**
     * An RGB profile that is not sRGB (Adobe RGB here; iPhones write Display P3) no longer sends a
     * JPEG to ImageIO: it is decoded natively, reduced by DCT scaling, and the reduced pixels are
     * converted. At full size that gives ImageIO's bytes (both convert with LittleCMS); reduced, the
     * block means of ImageIO's full-size decode, which converts before averaging.
     */
    @Test
    void rgbProfilesAreAppliedToNativelyDecodedJpegs() throws Exception {
        byte[] small = format("jpeg-adobergb.jpg");
        assertThat(sha256(decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(small, "adobergb.jpg")))
                .isEqualTo(sha256(decoder(FULL, DecodeOptions.Decoder.JAVA).decode(small, "adobergb.jpg")));

        byte[] plain = Files.readAllBytes(FIXTURES.resolve("images/horses.jpg"));
        byte[] tagged = withSegment(plain, iccSegment(small));
        DecodeOptions reduced = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.REDUCED).build();
        RgbImage untagged = decoder(reduced, DecodeOptions.Decoder.AUTO).withTargetSize(100, 100).decode(plain, "horses.jpg");
        RgbImage nat = decoder(reduced, DecodeOptions.Decoder.AUTO).withTargetSize(100, 100).decode(tagged, "adobe-horses.jpg");
        RgbImage javaFull = decoder(FULL, DecodeOptions.Decoder.JAVA).decode(tagged, "adobe-horses.jpg");
        // DCT-scaled like the untagged file (1024x664 to a half for a 100x100 input), so by libjpeg-turbo,
        assertThat(nat.width()).isEqualTo(untagged.width()).isEqualTo(512);
        assertThat(nat.height()).isEqualTo(untagged.height());
        // with the profile applied to those reduced pixels (Adobe RGB's samples read as sRGB look washed out),
        assertThat(meanDifference(nat, untagged)).as("profile applied").isGreaterThan(3.0);
        assertThat(nat.toByteArray()).isEqualTo(convertedToSrgb(untagged, iccProfile(small)));
        // and the colours of ImageIO's full-size decode, which converts before averaging: as close
        // as the untagged file's reduced decode is to its full one (block edges, DCT scaling).
        int scaling = blockDifference(untagged, decoder(FULL, DecodeOptions.Decoder.JAVA).decode(plain, "horses.jpg"));
        assertThat(blockDifference(nat, javaFull)).isLessThanOrEqualTo(scaling + 1);
        assertThat(sha256(decoder(FULL, DecodeOptions.Decoder.AUTO).decode(tagged, "adobe-horses.jpg")))
                .isEqualTo(sha256(javaFull));
    }

    /** A WebP with an RGB profile: decoded by libwebp, then converted, as a JPEG is. */
    @Test
    void rgbProfilesAreAppliedToNativelyDecodedWebPs() throws Exception {
        byte[] plain = format("webp-lossy.webp");
        byte[] icc = iccProfile(format("jpeg-adobergb.jpg"));
        RgbImage untagged = decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(plain, "webp-lossy.webp");
        byte[] tagged = withIccChunk(plain, icc, untagged.width(), untagged.height());
        assertThat(LEPTONICA.probe(tagged).iccProfile()).isEqualTo(icc);

        RgbImage nat = decoder(FULL, DecodeOptions.Decoder.AUTO).decode(tagged, "adobe.webp");
        assertThat(nat.toByteArray()).isEqualTo(convertedToSrgb(untagged, icc));
        assertThat(meanDifference(nat, untagged)).as("profile applied").isGreaterThan(3.0);
        // TwelveMonkeys applies the profile too; its VP8 decoder differs from libwebp as on the
        // untagged file (1.6), that difference stretched by Adobe RGB's wider gamut (2.1 measured).
        RgbImage java = decoder(FULL, DecodeOptions.Decoder.JAVA).decode(tagged, "adobe.webp");
        double codecs = meanDifference(untagged, decoder(FULL, DecodeOptions.Decoder.JAVA).decode(plain, "webp-lossy.webp"));
        assertThat(meanDifference(nat, java)).isLessThanOrEqualTo(1.5 * codecs);
    }

    /** A simple lossy WebP rewritten as extended (VP8X) with an ICCP chunk before its image. */
    private static byte[] withIccChunk(byte[] simpleWebP, byte[] icc, int width, int height) {
        java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
        chunks.writeBytes("VP8X".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        chunks.writeBytes(new byte[] {10, 0, 0, 0, 0x20, 0, 0, 0,
            (byte) (width - 1), (byte) ((width - 1) >> 8), (byte) ((width - 1) >> 16),
            (byte) (height - 1), (byte) ((height - 1) >> 8), (byte) ((height - 1) >> 16)});
        chunks.writeBytes("ICCP".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        chunks.writeBytes(new byte[] {(byte) icc.length, (byte) (icc.length >> 8), (byte) (icc.length >> 16), (byte) (icc.length >> 24)});
        chunks.writeBytes(icc);
        if (icc.length % 2 == 1) {
            chunks.write(0);
        }
        chunks.write(simpleWebP, 12, simpleWebP.length - 12);
        byte[] body = chunks.toByteArray();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int size = 4 + body.length;
        out.writeBytes(new byte[] {(byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
        out.writeBytes("WEBP".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** The ICC profile in a JPEG's APP2 ICC_PROFILE segment (a single-segment one). */
    private static byte[] iccProfile(byte[] jpeg) {
        byte[] segment = iccSegment(jpeg);
        return java.util.Arrays.copyOfRange(segment, 18, segment.length);
    }

    /** {@code image}'s samples read in {@code icc}'s colour space, converted to sRGB by LittleCMS. */
    private static byte[] convertedToSrgb(RgbImage image, byte[] icc) {
        java.awt.color.ICC_Profile profile = java.awt.color.ICC_Profile.getInstance(icc);
        java.awt.image.ComponentColorModel model = new java.awt.image.ComponentColorModel(
                new java.awt.color.ICC_ColorSpace(profile), false, false, java.awt.Transparency.OPAQUE,
                java.awt.image.DataBuffer.TYPE_BYTE);
        byte[] samples = image.toByteArray();
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                new java.awt.image.DataBufferByte(samples, samples.length), image.width(), image.height(),
                image.width() * 3, 3, new int[] {0, 1, 2}, null);
        java.awt.image.BufferedImage source = new java.awt.image.BufferedImage(model, raster, false, null);
        java.awt.image.BufferedImage srgb = new java.awt.image.BufferedImage(image.width(), image.height(),
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        new java.awt.image.ColorConvertOp(null).filter(source, srgb);
        byte[] bgr = ((java.awt.image.DataBufferByte) srgb.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return rgb;
    }

    /** The APP2 ICC_PROFILE segment of a JPEG with one (marker to end). */
    private static byte[] iccSegment(byte[] jpeg) {
        for (int i = 2; i + 4 < jpeg.length && (jpeg[i] & 0xFF) == 0xFF; ) {
            int length = (jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF;
            if ((jpeg[i + 1] & 0xFF) == 0xE2 && new String(jpeg, i + 4, 11, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ICC_PROFILE")) {
                return java.util.Arrays.copyOfRange(jpeg, i, i + 2 + length);
            }
            i += 2 + length;
        }
        throw new AssertionError("no ICC_PROFILE segment");
    }

    /** {@code jpeg} with {@code segment} inserted right after its SOI marker. */
    private static byte[] withSegment(byte[] jpeg, byte[] segment) {
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(segment, 0, out, 2, segment.length);
        System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg-cmyk.jpg", "jpeg-ycck.jpg", "png-16bit.png", "png-adobergb.png"})
    void imagesItDoesNotDecodeIdenticallyStillDecodeThroughImageIo(String name) throws Exception {
        byte[] bytes = format(name);
        RgbImage nat = decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(bytes, name);
        RgbImage java = decoder(FULL, DecodeOptions.Decoder.JAVA).decode(bytes, name);
        assertThat(sha256(nat)).isEqualTo(sha256(java));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg-exif-orientation-6.jpg", "jpeg-exif-orientation-5.jpg", "png-exif-orientation-6.png"})
    void orientationAndTransparencyFollowTheOptionsAsInJava(String name) throws Exception {
        byte[] bytes = format(name);
        for (DecodeOptions options : List.of(FULL, DecodeOptions.nsfwjsCompatible(),
                FULL.toBuilder().optTransparency(DecodeOptions.Transparency.COMPOSITE).build())) {
            RgbImage nat = decoder(options, DecodeOptions.Decoder.NATIVE).decode(bytes, name);
            RgbImage java = decoder(options, DecodeOptions.Decoder.JAVA).decode(bytes, name);
            assertThat(nat.width()).isEqualTo(java.width());
            assertThat(sha256(nat)).as("%s with %s", name, options).isEqualTo(sha256(java));
        }
    }

    @Test
    void transparencyOptionsGiveTheSamePixelsOnBothPaths() throws Exception {
        for (String name : List.of("png-rgba.png", "png-palette-trns.png", "png-gray-alpha.png")) {
            byte[] bytes = format(name);
            for (DecodeOptions.Transparency t : DecodeOptions.Transparency.values()) {
                DecodeOptions options = FULL.toBuilder().optTransparency(t).build();
                assertThat(sha256(decoder(options, DecodeOptions.Decoder.NATIVE).decode(bytes, name)))
                        .as("%s %s", name, t)
                        .isEqualTo(sha256(decoder(options, DecodeOptions.Decoder.JAVA).decode(bytes, name)));
            }
        }
    }

    /**
     * PNGs that went to Leptonica until keshikaran's own decoder took them (gray below 8 bits, Adam7
     * interlacing): the default path ({@code Decoder.AUTO}, now keshikaran's decoder) gives the
     * pixels Leptonica gives, under every transparency option, and reduced the same box average.
     */
    @ParameterizedTest
    @ValueSource(strings = {"png-gray.png 1", "png-gray.png 2", "png-gray.png 4", "png-gray.png 1 interlaced",
        "png-gray.png 4 interlaced", "png-rgba.png interlaced", "png-gray-alpha.png interlaced",
        "png-palette-trns.png interlaced", "png-exif-orientation-6.png interlaced", "tiny-1x64.png interlaced"})
    void pngsKeshikaransDecoderTookOverGiveLeptonicasPixels(String recipe) throws Exception {
        String[] parts = recipe.split(" ");
        byte[] png = rewritten(format(parts[0]), parts.length > 1 && !parts[1].equals("interlaced") ? Integer.parseInt(parts[1]) : 8,
                recipe.endsWith("interlaced"));
        assertThat(LEPTONICA.probe(png)).as("Leptonica's before").isNotNull();
        for (DecodeOptions.Transparency t : DecodeOptions.Transparency.values()) {
            DecodeOptions options = FULL.toBuilder().optTransparency(t).build();
            assertThat(sha256(decoder(options, DecodeOptions.Decoder.AUTO).decode(png, recipe))).as("%s %s", recipe, t)
                    .isEqualTo(sha256(decoder(options, DecodeOptions.Decoder.NATIVE).decode(png, recipe)));
        }
        RgbImage reduced = decoder(DecodeOptions.defaults(), DecodeOptions.Decoder.AUTO).withTargetSize(16, 16).decode(png, recipe);
        RgbImage nat = decoder(DecodeOptions.defaults(), DecodeOptions.Decoder.NATIVE).withTargetSize(16, 16).decode(png, recipe);
        if (nat.width() < decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(png, recipe).width()) {
            // Leptonica reduces only opaque images (the others come back whole).
            assertThat(sha256(reduced)).as("%s reduced", recipe).isEqualTo(sha256(nat));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wallpaper-spacefun.jpg", "china-summer-palace.jpg", "astronaut.png"})
    void reducedDecodingKeepsTwiceTheTargetAndAgreesWithTheJavaPath(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(FIXTURES.resolve("images").resolve(name));
        DecodeOptions reduced = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.REDUCED).build();
        RgbImage full = decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(bytes, name);
        RgbImage nat = decoder(reduced, DecodeOptions.Decoder.NATIVE).withTargetSize(100, 100).decode(bytes, name);
        RgbImage java = decoder(reduced, DecodeOptions.Decoder.JAVA).withTargetSize(100, 100).decode(bytes, name);
        assertThat(Math.min(nat.width(), nat.height())).isGreaterThanOrEqualTo(200);
        assertThat(nat.width()).isLessThan(full.width());
        assertThat(blockDifference(nat, java)).as(name).isLessThanOrEqualTo(12);
        assertThat(blockDifference(nat, full)).as(name).isLessThanOrEqualTo(6);
    }

    /**
     * Opaque PNG is reduced by averaging whole blocks, rounded: exactly the box means of the full
     * decode (the last partial row and column of blocks dropped). Images with transparent pixels
     * (PNG or WebP) are not reduced; RGBA images whose pixels are all opaque are, and lose their
     * alpha. (Opaque WebP: {@link #opaqueWebPStillsAreReducedByLibwebpsScaler}.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"images/astronaut.png", "formats/png-gray.png", "formats/png-palette.png",
        "formats/png-rgba.png", "formats/png-gray-alpha.png", "formats/webp-lossless-alpha.webp",
        "formats/webp-lossy-alpha.webp", "opaque RGBA"})
    void pngAndTranslucentWebPAreReducedByExactBoxAveraging(String name) throws Exception {
        byte[] bytes = name.equals("opaque RGBA") ? opaqueRgbaPng() : Files.readAllBytes(FIXTURES.resolve(name));
        NativeImageDecoder.Header header = LEPTONICA.probe(bytes);
        NativeImageDecoder.Pixels full = LEPTONICA.decode(bytes, header, 1);
        for (int factor : new int[] {2, 4, 8}) {
            NativeImageDecoder.Pixels reduced = LEPTONICA.decode(bytes, header, factor);
            if (full.alpha() != null && !allOpaque(full.alpha())) {
                assertThat(reduced.width()).as("%s with alpha", name).isEqualTo(full.width());
                assertThat(reduced.rgb()).isEqualTo(full.rgb());
                assertThat(reduced.alpha()).isEqualTo(full.alpha());
                continue;
            }
            assertThat(full.alpha() != null).as("%s has alpha", name).isEqualTo(name.equals("opaque RGBA"));
            assertThat(reduced.alpha()).isNull();
            assertThat(reduced.width()).as(name).isEqualTo(full.width() / factor);
            assertThat(reduced.height()).as(name).isEqualTo(full.height() / factor);
            assertThat(reduced.rgb()).as("%s at 1/%d", name, factor).isEqualTo(BoxAverage.of(full, factor));
        }
    }

    /**
     * Opaque WebP stills are reduced by libwebp's scaler as they decode (no full-size image): the
     * box average's size, and its pixels within a few levels (lossless: the same area average but
     * fixed-point rounding; lossy: averaged in YUV, then converted). The pixels are libwebp's
     * scaled decode, not Leptonica's. Measured: lossless at most 1 level apart (0.02-0.26 on
     * average), lossy at most 15 (at 1/2; 4 at 1/8), 0.55-1.21 on average (libwebp skips the
     * deblocking filter when it scales). A size the factor does not divide is compared with the
     * exact area average instead (libwebp spreads the whole picture over the result).
     */
    @ParameterizedTest
    @CsvSource({"webp-lossless.webp, 1, 0.3", "webp-lossy.webp, 16, 1.5", "webp-exif-orientation-6.webp, 16, 1.5",
        "webp-lossless-203x141.webp, 1, 0"})
    void opaqueWebPStillsAreReducedByLibwebpsScaler(String name, int maxDifference, double meanDifference) throws Exception {
        byte[] bytes = format(name);
        NativeImageDecoder.Header header = LEPTONICA.probe(bytes);
        NativeImageDecoder.Pixels full = LEPTONICA.decode(bytes, header, 1);
        assertThat(full.alpha()).isNull();
        for (int factor : new int[] {2, 4, 8}) {
            NativeImageDecoder.Pixels reduced = LEPTONICA.decode(bytes, header, factor);
            assertThat(reduced.alpha()).isNull();
            assertThat(reduced.width()).as(name).isEqualTo(full.width() / factor);
            assertThat(reduced.height()).as(name).isEqualTo(full.height() / factor);
            assertThat(reduced.rgb()).as("libwebp's scaled decode").isEqualTo(
                    ScaledWebP.decode(bytes, reduced.width(), reduced.height()).rgb());
            if (full.width() % factor != 0 || full.height() % factor != 0) {
                // libwebp spreads the whole picture over the result: its exact area average, not
                // the box average of whole blocks, within a level (fixed-point rounding).
                byte[] area = areaAverage(full, reduced.width(), reduced.height());
                for (int i = 0; i < area.length; i++) {
                    assertThat(Math.abs((area[i] & 0xFF) - (reduced.rgb()[i] & 0xFF)))
                            .as("%s at 1/%d, sample %d: libwebp against the exact area average", name, factor, i)
                            .isLessThanOrEqualTo(maxDifference);
                }
                continue;
            }
            byte[] box = BoxAverage.of(full, factor);
            long sum = 0;
            int max = 0;
            for (int i = 0; i < box.length; i++) {
                int d = Math.abs((box[i] & 0xFF) - (reduced.rgb()[i] & 0xFF));
                sum += d;
                max = Math.max(max, d);
            }
            double mean = (double) sum / box.length;
            assertThat(max).as("%s at 1/%d: largest difference from the box average", name, factor)
                    .isLessThanOrEqualTo(maxDifference);
            assertThat(mean).as("%s at 1/%d: mean difference from the box average", name, factor)
                    .isLessThanOrEqualTo(meanDifference);
        }
    }

    /**
     * webp-imageio never frees its decoder options, so they are reused: sequential decodes use
     * one set, concurrent ones at most one each, and every decode gives the same pixels.
     */
    @Test
    void libwebpsDecoderOptionsAreReusedAndDecodesAreIndependent() throws Exception {
        byte[] bytes = format("webp-lossy.webp");
        byte[] expected = ScaledWebP.decode(bytes, 48, 32).rgb();
        int pooled = ScaledWebP.pooledOptions();
        assertThat(pooled).isPositive();
        for (int i = 0; i < 20; i++) {
            assertThat(ScaledWebP.decode(bytes, 48, 32).rgb()).isEqualTo(expected);
        }
        assertThat(ScaledWebP.pooledOptions()).as("sequential decodes reuse one set").isEqualTo(pooled);
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<byte[]>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                // Sizes alternate, so a set shared by two decodes at once would show in the pixels.
                int w = i % 2 == 0 ? 48 : 96;
                results.add(pool.submit(() -> ScaledWebP.decode(bytes, w, w * 2 / 3).rgb()));
            }
            byte[] larger = ScaledWebP.decode(bytes, 96, 64).rgb();
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).as("decode %d", i).isEqualTo(i % 2 == 0 ? expected : larger);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ScaledWebP.pooledOptions()).isBetween(pooled, pooled + threads);
    }

    /** What the header says about alpha decides the route: only opaque stills go to libwebp's scaler. */
    @Test
    void theHeaderTellsOpaqueWebPStillsFromTranslucentOnes() throws Exception {
        assertThat(Headers.opaqueWebP(format("webp-lossy.webp"))).isEqualTo(Headers.OpaqueWebP.LOSSY);
        assertThat(Headers.opaqueWebP(format("webp-exif-orientation-6.webp"))).as("VP8X, no alpha flag")
                .isEqualTo(Headers.OpaqueWebP.LOSSY);
        assertThat(Headers.opaqueWebP(format("webp-lossless.webp"))).isEqualTo(Headers.OpaqueWebP.LOSSLESS);
        assertThat(Headers.opaqueWebP(format("webp-lossless-alpha.webp"))).as("VP8L alpha_is_used").isNull();
        assertThat(Headers.opaqueWebP(format("webp-lossy-alpha.webp"))).as("VP8X alpha flag, ALPH").isNull();
        assertThat(Headers.opaqueWebP(Files.readAllBytes(FIXTURES.resolve("images/horses.jpg")))).isNull();
        byte[] cut = java.util.Arrays.copyOf(format("webp-exif-orientation-6.webp"), 34);
        assertThat(Headers.opaqueWebP(cut)).as("cut inside the image chunk's header").isNull();

        // Files made here: a VP8X header without the alpha flag, then chunks.
        byte[] vp8 = chunkOf(format("webp-lossy.webp"));
        byte[] vp8l = chunkOf(format("webp-lossless.webp"));
        byte[] vp8lAlpha = vp8l.clone();
        vp8lAlpha[12] |= 0x10; // alpha_is_used, bit 28 of the word after the signature
        byte[] odd = chunk("XYZW", new byte[3]);
        byte[] alph = chunk("ALPH", new byte[8]);
        assertThat(Headers.opaqueWebP(vp8x(vp8l))).as("VP8X, VP8L").isEqualTo(Headers.OpaqueWebP.LOSSLESS);
        assertThat(Headers.opaqueWebP(vp8x(vp8lAlpha))).as("VP8X without the flag, VP8L with alpha_is_used").isNull();
        assertThat(Headers.opaqueWebP(vp8x(odd, vp8))).as("an odd-sized chunk's padding").isEqualTo(Headers.OpaqueWebP.LOSSY);
        assertThat(Headers.opaqueWebP(vp8x(odd, alph, vp8))).as("ALPH before VP8, no flag").isNull();
        byte[] huge = chunk("XYZW", new byte[4]);
        java.nio.ByteBuffer.wrap(huge, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0xFFFFFFF0);
        assertThat(Headers.opaqueWebP(vp8x(huge, vp8))).as("a chunk declaring 4 GB").isNull();
    }

    /** The first chunk of a simple-format WebP file (its VP8 or VP8L chunk), header included. */
    private static byte[] chunkOf(byte[] webp) {
        int size = java.nio.ByteBuffer.wrap(webp, 16, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        return java.util.Arrays.copyOfRange(webp, 12, 12 + 8 + size + (size & 1));
    }

    private static byte[] chunk(String type, byte[] payload) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(payload.length).array());
        out.writeBytes(payload);
        if ((payload.length & 1) != 0) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /** A RIFF/WEBP file of a VP8X chunk (no flags, canvas 192x128) followed by {@code chunks}. */
    private static byte[] vp8x(byte[]... chunks) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.writeBytes(chunk("VP8X", new byte[] {0, 0, 0, 0, (byte) 191, 0, 0, 127, 0, 0}));
        for (byte[] c : chunks) {
            body.writeBytes(c);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(body.size()).array());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /**
     * An opaque WebP whose data libwebp refuses at reduced size goes to ImageIO, which then
     * decodes or refuses it as the Java path alone does (the reservation was for the scaled decode).
     */
    @Test
    void aDamagedOpaqueWebPThatLibwebpRefusesReducedGoesToImageIo() throws Exception {
        byte[] damaged = format("webp-lossless.webp");
        for (int i = 200; i < damaged.length - 16; i += 97) {
            damaged[i] ^= 0x5A;
        }
        NativeImageDecoder.Header header = LEPTONICA.probe(damaged);
        assertThat(header).isNotNull();
        assertThatThrownBy(() -> LEPTONICA.decode(damaged, header, 4)).isInstanceOf(IOException.class)
                .hasMessageContaining("libwebp");
        DecodeOptions reduced = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.REDUCED).build();
        String auto = outcome(() -> decoder(reduced, DecodeOptions.Decoder.AUTO).withTargetSize(24, 24).decode(damaged, "d.webp"));
        String java = outcome(() -> decoder(reduced, DecodeOptions.Decoder.JAVA).withTargetSize(24, 24).decode(damaged, "d.webp"));
        assertThat(auto).isEqualTo(java);
    }

    private interface Decode {
        RgbImage run() throws Exception;
    }

    /** The image's hash, or the error's class and message. */
    private static String outcome(Decode decode) throws Exception {
        try {
            return sha256(decode.run());
        } catch (InvalidImageException e) {
            return "InvalidImageException " + e.getMessage();
        }
    }

    /**
     * The native memory reserved for an opaque WebP decoded reduced is libwebp's own need (a
     * lossless file's ARGB image, a lossy file's rows), not the full decode's; anything else gets
     * keshikaran's estimate for the format.
     */
    @Test
    void opaqueWebPsReserveWhatLibwebpsScaledDecodeNeeds() throws Exception {
        byte[] lossless = format("webp-lossless.webp");
        NativeImageDecoder.Header l = LEPTONICA.probe(lossless);
        assertThat(LEPTONICA.nativeMemory(lossless, l, 2))
                .isEqualTo((long) l.width() * l.height() * LeptonicaImageDecoder.LOSSLESS_SCALED_BYTES_PER_PIXEL);
        byte[] lossy = format("webp-lossy.webp");
        NativeImageDecoder.Header y = LEPTONICA.probe(lossy);
        assertThat(LEPTONICA.nativeMemory(lossy, y, 4)).isEqualTo((long) y.width() * LeptonicaImageDecoder.LOSSY_SCALED_BYTES_PER_COLUMN);
        assertThat(LEPTONICA.nativeMemory(lossy, y, 1)).as("full size").isNegative();
        byte[] alpha = format("webp-lossless-alpha.webp");
        assertThat(LEPTONICA.nativeMemory(alpha, LEPTONICA.probe(alpha), 2)).as("alpha").isNegative();
        byte[] jpeg = Files.readAllBytes(FIXTURES.resolve("images/horses.jpg"));
        assertThat(LEPTONICA.nativeMemory(jpeg, LEPTONICA.probe(jpeg), 2)).as("JPEG").isNegative();
    }

    /**
     * webp-imageio registers its WebP reader with ImageIO, which reads no animation. The Java path
     * keeps to TwelveMonkeys' reader even when ImageIO lists webp-imageio's first, and never uses
     * webp-imageio's, even when it is the only WebP reader.
     */
    @Test
    void theJavaPathKeepsTwelveMonkeysWebPReaderWhateverImageIosOrder() throws Exception {
        javax.imageio.spi.IIORegistry registry = javax.imageio.spi.IIORegistry.getDefaultInstance();
        javax.imageio.spi.ImageReaderSpi luciad = registry.getServiceProviderByClass(com.luciad.imageio.webp.WebPImageReaderSpi.class);
        javax.imageio.spi.ImageReaderSpi twelveMonkeys = registry.getServiceProviderByClass(
                com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi.class);
        assertThat(luciad).as("webp-imageio's reader is registered").isNotNull();
        assertThat(twelveMonkeys).isNotNull();
        registry.setOrdering(javax.imageio.spi.ImageReaderSpi.class, luciad, twelveMonkeys);
        try {
            assertThat(javax.imageio.ImageIO.getImageReadersByFormatName("webp").next().getOriginatingProvider())
                    .isSameAs(luciad);
            byte[] animated = format("webp-animated-lossy.webp");
            io.keshikaran.image.DecodedImage frames = decoder(FULL, DecodeOptions.Decoder.JAVA)
                    .decodeFrames(animated, "webp-animated-lossy.webp");
            assertThat(frames.frames()).isNotEmpty();
            byte[] still = format("webp-lossless.webp");
            assertThat(sha256(decoder(FULL, DecodeOptions.Decoder.JAVA).decode(still, "webp-lossless.webp")))
                    .isEqualTo(sha256(decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(still, "webp-lossless.webp")));
            // Without TwelveMonkeys' reader, ImageIO's path has no WebP reader: webp-imageio's is never used.
            registry.deregisterServiceProvider(twelveMonkeys, javax.imageio.spi.ImageReaderSpi.class);
            assertThatThrownBy(() -> decoder(FULL, DecodeOptions.Decoder.JAVA).decode(still, "w.webp"))
                    .isInstanceOf(InvalidImageException.class).hasMessageStartingWith("w.webp: not a recognised image format");
        } finally {
            registry.registerServiceProvider(twelveMonkeys, javax.imageio.spi.ImageReaderSpi.class);
            registry.unsetOrdering(javax.imageio.spi.ImageReaderSpi.class, luciad, twelveMonkeys);
        }
    }

    /**
     * The exact area average of a full decode at {@code width x height}: each result pixel the
     * mean of the source area it covers, partly covered pixels weighted by their share, rounded.
     */
    private static byte[] areaAverage(NativeImageDecoder.Pixels full, int width, int height) {
        double[][] wx = coverage(full.width(), width);
        double[][] wy = coverage(full.height(), height);
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    double weight = 0;
                    for (int sy = 0; sy < full.height(); sy++) {
                        if (wy[y][sy] == 0) {
                            continue;
                        }
                        for (int sx = 0; sx < full.width(); sx++) {
                            double w = wx[x][sx] * wy[y][sy];
                            if (w > 0) {
                                sum += w * (full.rgb()[(sy * full.width() + sx) * 3 + c] & 0xFF);
                                weight += w;
                            }
                        }
                    }
                    out[(y * width + x) * 3 + c] = (byte) Math.round(sum / weight);
                }
            }
        }
        return out;
    }

    /** For each of {@code to} result pixels, the share of each of {@code from} source pixels it covers. */
    private static double[][] coverage(int from, int to) {
        double scale = (double) from / to;
        double[][] w = new double[to][from];
        for (int i = 0; i < to; i++) {
            double start = i * scale;
            double end = (i + 1) * scale;
            for (int j = (int) Math.floor(start); j < Math.min(from, (int) Math.ceil(end)); j++) {
                w[i][j] = Math.min(end, j + 1) - Math.max(start, j);
            }
        }
        return w;
    }

    @Test
    void corruptAndTruncatedInputsAreRefusedAsOnTheJavaPath() throws Exception {
        byte[] jpeg = Files.readAllBytes(FIXTURES.resolve("images/horses.jpg"));
        byte[] truncated = java.util.Arrays.copyOf(jpeg, jpeg.length / 2);
        assertThatThrownBy(() -> decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(truncated, "half.jpg"))
                .isInstanceOf(InvalidImageException.class).hasMessageStartingWith("half.jpg: ");
        byte[] png = Files.readAllBytes(FIXTURES.resolve("images/coffee.png"));
        byte[] damaged = png.clone();
        for (int i = png.length / 2; i < png.length / 2 + 64; i++) {
            damaged[i] ^= 0x5A;
        }
        assertThatThrownBy(() -> decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(damaged, "damaged.png"))
                .isInstanceOf(InvalidImageException.class).hasMessageStartingWith("damaged.png: ");
    }

    /**
     * A PNG whose image data keshikaran's own decoder finds damaged goes straight to ImageIO, which
     * refuses it, so libpng prints nothing on the process's stderr; forced through Leptonica, the
     * same file makes libpng print its complaint (which is why this runs in a JVM of its own).
     */
    @Test
    void aDamagedPngGoesToImageIoWithoutLibpngMessages() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                DamagedPngMain.class.getName(), FIXTURES.resolve("images/coffee.png").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        // Each decode's output, from the line announcing it (native messages come before the result).
        String auto = out.substring(out.indexOf("== auto"), out.indexOf("== java"));
        String imageIo = out.substring(out.indexOf("== java"), out.indexOf("== native"));
        String forced = out.substring(out.indexOf("== native"));
        assertThat(auto).contains("auto: InvalidImageException damaged.png: ").doesNotContain("libpng");
        assertThat(auto.substring(auto.indexOf("auto: ") + 6).strip())
                .as("the same refusal with the default decoders and with ImageIO alone")
                .isEqualTo(imageIo.substring(imageIo.indexOf("java: ") + 6).strip());
        assertThat(forced).contains("libpng");
    }

    /** Run by {@link #aDamagedPngGoesToImageIoWithoutLibpngMessages} in a JVM of its own. */
    public static final class DamagedPngMain {
        public static void main(String[] args) throws Exception {
            byte[] damaged = Files.readAllBytes(Path.of(args[0]));
            for (int i = damaged.length / 2; i < damaged.length / 2 + 64; i++) {
                damaged[i] ^= 0x5A;
            }
            for (DecodeOptions.Decoder which : List.of(DecodeOptions.Decoder.AUTO, DecodeOptions.Decoder.JAVA,
                    DecodeOptions.Decoder.NATIVE)) {
                String result;
                System.out.println("== " + which.name().toLowerCase(java.util.Locale.ROOT));
                System.out.flush();
                try {
                    decoder(FULL, which).decode(damaged, "damaged.png");
                    result = "decoded";
                } catch (InvalidImageException e) {
                    result = "InvalidImageException " + e.getMessage();
                }
                System.out.println(which.name().toLowerCase(java.util.Locale.ROOT) + ": " + result);
                System.out.flush();
            }
        }
    }

    /**
     * A JVM where the natives cannot load (an architecture the jar has no library for) decodes
     * through ImageIO with the default options, and refuses when NATIVE is forced.
     */
    @Test
    void fallsBackToJavaWhenTheNativesCannotLoad() throws Exception {
        Path image = FIXTURES.resolve("images/horses.jpg");
        String expected = sha256(decoder(FULL, DecodeOptions.Decoder.JAVA).decode(Files.readAllBytes(image), "x"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dos.arch=sparc",
                FallbackMain.class.getName(), image.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).startsWith("unavailable: Leptonica's natives for")
                .contains("auto: " + expected)
                .contains("native: IllegalStateException");
    }

    /** Run by {@link #fallsBackToJavaWhenTheNativesCannotLoad} in a JVM of its own. */
    public static final class FallbackMain {
        public static void main(String[] args) throws Exception {
            byte[] bytes = Files.readAllBytes(Path.of(args[0]));
            System.out.println("unavailable: " + new LeptonicaImageDecoder().unavailableReason());
            System.out.println("auto: " + sha256(decoder(FULL, DecodeOptions.Decoder.AUTO).decode(bytes, "x")));
            try {
                decoder(FULL, DecodeOptions.Decoder.NATIVE).decode(bytes, "x");
                System.out.println("native: decoded");
            } catch (IllegalStateException e) {
                System.out.println("native: IllegalStateException " + e.getMessage());
            }
        }
    }

    private static boolean allOpaque(byte[] alpha) {
        for (byte a : alpha) {
            if (a != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** A photo written as an RGBA PNG (colour type 6) whose alpha is 255 everywhere, as many wallpapers are. */
    private static byte[] opaqueRgbaPng() throws IOException {
        java.awt.image.BufferedImage photo = javax.imageio.ImageIO.read(FIXTURES.resolve("images/astronaut.png").toFile());
        java.awt.image.BufferedImage argb = new java.awt.image.BufferedImage(photo.getWidth(), photo.getHeight(),
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        argb.createGraphics().drawImage(photo, 0, 0, null);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(argb, "png", out);
        byte[] png = out.toByteArray();
        assertThat(png[25]).as("colour type").isEqualTo((byte) 6);
        return png;
    }

    /**
     * A fixture written again by ImageIO: as gray of {@code bits} bits (its top bits; ImageIO writes a
     * gray-ramp palette as gray), and Adam7-interlaced or not. Metadata such as eXIf is dropped.
     */
    private static byte[] rewritten(byte[] png, int bits, boolean interlaced) throws IOException {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        if (bits < 8) {
            int n = 1 << bits;
            byte[] ramp = new byte[n];
            for (int i = 0; i < n; i++) {
                ramp[i] = (byte) (i * 255 / (n - 1));
            }
            java.awt.image.BufferedImage gray = new java.awt.image.BufferedImage(image.getWidth(), image.getHeight(),
                    java.awt.image.BufferedImage.TYPE_BYTE_BINARY, new java.awt.image.IndexColorModel(bits, n, ramp, ramp, ramp));
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    gray.getRaster().setSample(x, y, 0, image.getRaster().getSample(x, y, 0) >> (8 - bits));
                }
            }
            image = gray;
        }
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("png").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(interlaced ? javax.imageio.ImageWriteParam.MODE_DEFAULT : javax.imageio.ImageWriteParam.MODE_DISABLED);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream stream = javax.imageio.ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] written = out.toByteArray();
        assertThat(written[24]).as("bit depth").isEqualTo((byte) bits);
        assertThat(written[28]).as("interlace method").isEqualTo((byte) (interlaced ? 1 : 0));
        return written;
    }

    private static byte[] format(String name) throws IOException {
        return Files.readAllBytes(FIXTURES.resolve("formats").resolve(name));
    }

    static String sha256(RgbImage image) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image.toByteArray()));
    }

    /** A WebP whose image is VP8 (lossy), directly or after a VP8X header and its chunks. */
    private static boolean isLossyWebP(byte[] b) {
        return b.length > 16 && new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("WEBP")
                && new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains("VP8 ");
    }

    static double meanDifference(RgbImage a, RgbImage b) {
        long sum = 0;
        int n = a.width() * a.height() * 3;
        for (int i = 0; i < n; i++) {
            sum += Math.abs(a.sampleAt(i) - b.sampleAt(i));
        }
        return (double) sum / n;
    }

    static int maxDifference(RgbImage a, RgbImage b) {
        int max = 0;
        for (int i = 0; i < a.width() * a.height() * 3; i++) {
            max = Math.max(max, Math.abs(a.sampleAt(i) - b.sampleAt(i)));
        }
        return max;
    }

    /** Largest difference of 16x16-block means (blocks in relative coordinates, so sizes may differ). */
    private static int blockDifference(RgbImage a, RgbImage b) {
        double max = 0;
        for (int by = 0; by < 16; by++) {
            for (int bx = 0; bx < 16; bx++) {
                for (int c = 0; c < 3; c++) {
                    max = Math.max(max, Math.abs(blockMean(a, bx, by, c) - blockMean(b, bx, by, c)));
                }
            }
        }
        return (int) Math.ceil(max);
    }

    private static double blockMean(RgbImage img, int bx, int by, int c) {
        int x0 = bx * img.width() / 16;
        int x1 = Math.max(x0 + 1, (bx + 1) * img.width() / 16);
        int y0 = by * img.height() / 16;
        int y1 = Math.max(y0 + 1, (by + 1) * img.height() / 16);
        double sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                sum += img.sample(x, y, c);
            }
        }
        return sum / ((x1 - x0) * (y1 - y0));
    }
}
