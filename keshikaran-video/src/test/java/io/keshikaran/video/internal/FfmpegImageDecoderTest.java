package io.keshikaran.video.internal;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;
import io.keshikaran.spi.NativeImageDecoder;
import io.keshikaran.testkit.BoxAverage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HEIF and AVIF stills through FFmpeg, against libheif's decode of the same files (made by
 * tools/make-format-fixtures.sh, fixtures/formats/heif) and against each other: the
 * {@code irot}/{@code imir} files hold the same coded picture as {@code avif-photo.avif}, so their
 * pixels must be its pixels exactly turned and mirrored.
 */
class FfmpegImageDecoderTest {
    static final NativeImageDecoder FFMPEG = new FfmpegImageDecoder();

    static Path heif(String name) {
        return Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "formats", "heif", name);
    }

    static byte[] bytes(String name) throws Exception {
        return Files.readAllBytes(heif(name));
    }

    /** The file decoded at full size, as keshikaran's image decoder gives it. */
    static RgbImage decode(String name) throws Exception {
        return ImageDecoder.withDefaults().decode(heif(name));
    }

    /** libheif's decode (ImageMagick), committed as lossless WebP. */
    static RgbImage reference(String name) throws Exception {
        return ImageDecoder.withDefaults().decode(heif(name.replaceAll("\\.[a-z]+$", "") + ".ref.webp"));
    }

    static double[] difference(RgbImage a, RgbImage b) {
        assertThat(a.width()).isEqualTo(b.width());
        assertThat(a.height()).isEqualTo(b.height());
        byte[] x = a.toByteArray();
        byte[] y = b.toByteArray();
        long sum = 0;
        int max = 0;
        for (int i = 0; i < x.length; i++) {
            int d = Math.abs((x[i] & 0xFF) - (y[i] & 0xFF));
            sum += d;
            max = Math.max(max, d);
        }
        return new double[] {sum / (double) x.length, max};
    }

    /**
     * The native memory reserved: the codec's full-size frames at HEVC's or libaom's rate, and
     * swscale's RGB image reduced, or whole when the file has an alpha plane (a translucent image
     * is returned at full size, so its RGB image is too).
     */
    @Test
    void nativeMemoryCountsTheFullSizeImageOfFilesWithAlpha() throws Exception {
        for (String name : List.of("heif-photo.heic", "avif-photo.avif", "heif-alpha.heic", "avif-alpha.avif")) {
            byte[] file = bytes(name);
            NativeImageDecoder.Header header = FFMPEG.probe(file);
            long full = (long) header.width() * header.height();
            long reduced = (long) (header.width() / 4) * (header.height() / 4);
            int rate = name.endsWith(".avif") ? FfmpegImageDecoder.AV1_BYTES_PER_NATIVE_PIXEL
                    : FfmpegImageDecoder.HEVC_BYTES_PER_NATIVE_PIXEL;
            long rgb = name.contains("alpha") ? full : reduced;
            assertThat(FFMPEG.nativeMemory(file, header, 4)).as(name)
                    .isEqualTo(full * rate + rgb * FfmpegImageDecoder.RGB_BYTES_PER_NATIVE_PIXEL);
        }
    }

    @Test
    void isFoundByServiceLoaderNextToLeptonica() {
        assertThat(ServiceLoader.load(NativeImageDecoder.class).stream().map(p -> p.type().getSimpleName()))
                .contains("FfmpegImageDecoder");
        assertThat(FFMPEG.unavailableReason()).isNull();
    }

    /**
     * iPhones tag their HEICs Display P3 ({@code colr prof}): the probe hands the profile over and
     * keshikaran's image decoder converts the decoded colours to sRGB, as for a tagged JPEG. The
     * fixtures hold the photo converted to P3, so converted they come back to the untagged file.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heif-photo-p3.heic heif-photo.heic", "avif-photo-p3.avif avif-photo.avif"})
    void aDisplayP3ProfileIsAppliedToTheDecodedColours(String pair) throws Exception {
        String tagged = pair.split(" ")[0];
        String untagged = pair.split(" ")[1];
        byte[] icc = FFMPEG.probe(bytes(tagged)).iccProfile();
        assertThat(icc).isNotNull();
        assertThat(new String(icc, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("Display P3");

        byte[] stored = FFMPEG.decode(bytes(tagged), FFMPEG.probe(bytes(tagged)), 1).rgb();
        byte[] plain = decode(untagged).toByteArray();
        long sum = 0;
        for (int i = 0; i < plain.length; i++) {
            sum += Math.abs((stored[i] & 0xFF) - (plain[i] & 0xFF));
        }
        double ignored = sum / (double) plain.length;
        double converted = difference(decode(tagged), decode(untagged))[0];
        assertThat(ignored).as("P3 samples read as sRGB").isGreaterThan(2.0);
        assertThat(converted).as("converted to sRGB").isLessThan(ignored / 2);
    }

    @Test
    void probeReadsTheDisplayedSizeFromTheBoxesAndDeclinesOtherFormats() throws Exception {
        assertThat(FFMPEG.probe(bytes("heif-photo.heic"))).isEqualTo(new NativeImageDecoder.Header("HEIF", 192, 128, null));
        assertThat(FFMPEG.probe(bytes("avif-photo.avif")).format()).isEqualTo("AVIF");
        assertThat(FFMPEG.probe(bytes("avif-grid-2x2.avif")).width()).isEqualTo(192);
        // irot 1 turns it a quarter: the displayed size.
        NativeImageDecoder.Header turned = FFMPEG.probe(bytes("avif-irot-1.avif"));
        assertThat(new int[] {turned.width(), turned.height()}).containsExactly(128, 192);
        Path jpeg = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "formats", "jpeg-baseline.jpg");
        assertThat(FFMPEG.probe(Files.readAllBytes(jpeg))).isNull();
        Path mp4 = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "videos", "with-audio.mp4");
        assertThat(FFMPEG.probe(Files.readAllBytes(mp4))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"heif-photo.heic", "avif-photo.avif", "avif-photo-10bit.avif"})
    void pixelsAreCloseToLibheifsDecode(String name) throws Exception {
        RgbImage ours = decode(name);
        double[] d = difference(ours, reference(name));
        System.out.printf(Locale.ROOT, "%s against libheif: mean %.2f, max %.0f%n", name, d[0], d[1]);
        // Measured: mean 1.3-1.4, largest 35-39 (colour edges: libheif and swscale upsample
        // chroma differently); a wrong matrix or range would move the mean by 5 or more.
        assertThat(d[0]).as("mean absolute difference").isLessThan(2.0);
        assertThat(d[1]).as("largest difference").isLessThanOrEqualTo(48);
    }

    @Test
    void irotAndImirTurnAndMirrorTheStoredPictureExactly() throws Exception {
        RgbImage stored = decode("avif-photo.avif");
        byte[] s = stored.toByteArray();
        int w = stored.width();
        int h = stored.height();
        // irot 1: a quarter turn anti-clockwise.
        assertThat(decode("avif-irot-1.avif").toByteArray()).isEqualTo(Rotation.rotate(s, w, h, 270));
        assertThat(decode("avif-imir-0.avif").toByteArray()).isEqualTo(Rotation.mirror(s, w, h, true));
        assertThat(decode("avif-imir-1.avif").toByteArray()).isEqualTo(Rotation.mirror(s, w, h, false));
        // In the order of the file's associations: irot, then imir (libheif agrees, see the script).
        assertThat(decode("avif-irot-1-imir-0.avif").toByteArray())
                .isEqualTo(Rotation.mirror(Rotation.rotate(s, w, h, 270), h, w, true));
        RgbImage turned = decode("avif-irot-1-imir-0.avif");
        assertThat(new int[] {turned.width(), turned.height()}).containsExactly(128, 192);
    }

    @Test
    void aGridDecodesToTheSamePictureAsTheWholeImage() throws Exception {
        double[] d = difference(decode("avif-grid-2x2.avif"), decode("avif-photo.avif"));
        System.out.printf(Locale.ROOT, "2x2 grid against the whole image: mean %.2f, max %.0f%n", d[0], d[1]);
        // Two lossy encodes of one picture (measured: mean 2.1, largest 23; tiles are coded
        // separately, so their edges differ most), against a misplaced picture's difference:
        assertThat(d[0]).isLessThan(3.0);
        double[] misplaced = difference(decode("avif-grid-2x2.avif"), decode("avif-imir-1.avif"));
        System.out.printf(Locale.ROOT, "2x2 grid against the mirrored image: mean %.2f%n", misplaced[0]);
        assertThat(misplaced[0]).isGreaterThan(5 * d[0]);
    }

    @Test
    void aHeicGridDecodesLikeTheWholeImageAndItsIrotTurnsIt() throws Exception {
        // Assembled by tools/make-heic-grid.py from four HEIC tiles, as iPhones store photos.
        RgbImage grid = decode("heif-grid-2x2.heic");
        double[] d = difference(grid, decode("heif-photo.heic"));
        System.out.printf(Locale.ROOT, "HEIC 2x2 grid against the whole image: mean %.2f, max %.0f%n", d[0], d[1]);
        assertThat(d[0]).isLessThan(3.0);
        // irot 3: three quarter turns anti-clockwise, one clockwise, on the grid item.
        RgbImage turned = decode("heif-grid-2x2-irot-3.heic");
        assertThat(new int[] {turned.width(), turned.height()}).containsExactly(128, 192);
        assertThat(turned.toByteArray()).isEqualTo(Rotation.rotate(grid.toByteArray(), 192, 128, 90));
        // The same tiles with a smaller output size: the grid's top-left 180x120, as iPhones crop.
        RgbImage cropped = decode("heif-grid-2x2-cropped.heic");
        assertThat(new int[] {cropped.width(), cropped.height()}).containsExactly(180, 120);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 180; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(cropped.sample(x, y, c)).as("%d,%d", x, y).isEqualTo(grid.sample(x, y, c));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heif-photo.heic", "avif-photo.avif", "avif-grid-2x2.avif", "avif-irot-1-imir-0.avif",
        "heif-grid-2x2-irot-3.heic"})
    void reducedDecodingIsTheBoxAverageOfTheFullDecode(String name) throws Exception {
        byte[] file = bytes(name);
        NativeImageDecoder.Header header = FFMPEG.probe(file);
        NativeImageDecoder.Pixels full = FFMPEG.decode(file, header, 1);
        for (int r : new int[] {2, 4, 8}) {
            NativeImageDecoder.Pixels reduced = FFMPEG.decode(file, header, r);
            assertThat(reduced.width()).isEqualTo(header.width() / r);
            assertThat(reduced.height()).isEqualTo(header.height() / r);
            RgbImage average = boxAverage(full, r);
            double[] d = difference(new RgbImage(reduced.width(), reduced.height(), reduced.rgb()), average);
            System.out.printf(Locale.ROOT, "%s reduced by %d against the box average: mean %.2f, max %.0f%n", name, r, d[0], d[1]);
            assertThat(d[0]).isLessThan(1.5);
        }
    }

    static RgbImage boxAverage(NativeImageDecoder.Pixels full, int r) {
        return new RgbImage(full.width() / r, full.height() / r, BoxAverage.of(full, r));
    }

    @Test
    void concurrentDecodesEachReadTheirOwnFile() throws Exception {
        // One read and one seek callback serve every decode, finding the file by FFmpeg's opaque
        // pointer: parallel decodes of different files must each get their own pixels.
        String[] names = {"heif-photo.heic", "avif-photo.avif", "avif-grid-2x2.avif", "avif-irot-1.avif", "truncated.heic"};
        java.util.Map<String, Object> expected = new java.util.HashMap<>();
        for (String n : names) {
            expected.put(n, outcome(n));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String n = names[i % names.length];
                futures.add(pool.submit(() -> {
                    assertThat(outcome(n)).as(n).isEqualTo(expected.get(n));
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The decoded samples, or the error message. */
    private static Object outcome(String name) throws Exception {
        try {
            RgbImage image = decode(name);
            return image.width() + "x" + image.height() + "/" + Arrays.hashCode(image.toByteArray());
        } catch (InvalidImageException e) {
            return e.getMessage();
        }
    }

    static Stream<Arguments> translucentFilesAndTransparency() {
        return Stream.of("avif-alpha.avif", "heif-alpha.heic", "avif-alpha-grid-2x2.avif").flatMap(f ->
                Arrays.stream(DecodeOptions.Transparency.values()).map(t -> Arguments.of(f, t)));
    }

    /**
     * {@code avif-alpha.avif} and {@code heif-alpha.heic} are {@code png-rgba.png}'s picture (black
     * under its transparent pixels) with its alpha as an auxiliary item (AVIF's and HEVC's alpha
     * URN). Every transparency option must give what it gives for the PNG, up to the codec's loss;
     * with the alpha ignored, as before, COMPOSITE and FILL_TRANSPARENT showed the black instead
     * of the background.
     */
    @ParameterizedTest
    @MethodSource("translucentFilesAndTransparency")
    void theAlphaPlaneIsAppliedAsForTheSamePng(String file, DecodeOptions.Transparency transparency) throws Exception {
        DecodeOptions options = DecodeOptions.builder().optTransparency(transparency).optBackground(0x3366CC)
                .optResolution(DecodeOptions.Resolution.FULL).build();
        ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults(), options);
        ImageDecoder storedColours = new ImageDecoder(ImageLimits.defaults(),
                options.toBuilder().optTransparency(DecodeOptions.Transparency.KEEP_STORED_COLOR).build());
        RgbImage decoded = decoder.decode(heif(file));
        RgbImage stored = storedColours.decode(heif(file));
        // The codec's own loss, on the colours without any alpha (no option involves alpha there).
        double codecLoss = difference(stored, storedColours.decode(heif("../png-rgba.png")))[0];
        assertThat(codecLoss).isLessThan(3);
        if (transparency != DecodeOptions.Transparency.KEEP_STORED_COLOR) {
            assertThat(difference(decoded, decoder.decode(heif("../png-rgba.png")))[0])
                    .as("mean difference to the PNG").isLessThan(codecLoss + 0.5);
            assertThat(difference(decoded, stored)[0]).as("the background shows where the stored black did").isGreaterThan(20);
        }
    }

    /** irot turns the alpha plane with the colours: the same coded pictures as avif-alpha.avif, turned. */
    @ParameterizedTest
    @EnumSource(value = DecodeOptions.Transparency.class, names = {"COMPOSITE", "FILL_TRANSPARENT"})
    void theAlphaPlaneTurnsWithTheColours(DecodeOptions.Transparency transparency) throws Exception {
        ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.builder()
                .optTransparency(transparency).optResolution(DecodeOptions.Resolution.FULL).build());
        RgbImage plain = decoder.decode(heif("avif-alpha.avif"));
        RgbImage turned = decoder.decode(heif("avif-alpha-irot-1.avif"));
        assertThat(turned.toByteArray()).isEqualTo(Rotation.rotate(plain.toByteArray(), 192, 128, 270));
    }

    @Test
    void aTranslucentImageComesAtFullSizeWithItsAlphaPlane() throws Exception {
        byte[] file = bytes("avif-alpha.avif");
        NativeImageDecoder.Pixels pixels = FFMPEG.decode(file, FFMPEG.probe(file), 4);
        assertThat(pixels.width()).as("not reduced: the transparency option applies first").isEqualTo(192);
        assertThat(pixels.height()).isEqualTo(128);
        assertThat(pixels.alpha()).hasSize(192 * 128).contains((byte) 0, (byte) 0xFF);
    }

    @Test
    void anImageWithoutAlphaIsStillReduced() throws Exception {
        byte[] file = bytes("avif-photo.avif");
        NativeImageDecoder.Pixels pixels = FFMPEG.decode(file, FFMPEG.probe(file), 4);
        assertThat(pixels.width()).isEqualTo(48);
        assertThat(pixels.alpha()).isNull();
    }

    @Test
    void anUnrecognisedInputsErrorListsHeifAndAvifAmongTheSupportedFormats() {
        byte[] noImage = new byte[64];
        new java.util.Random(5).nextBytes(noImage);
        assertThatThrownBy(() -> ImageDecoder.withDefaults().decode(noImage, "random.bin"))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageMatching("random\\.bin: not a recognised image format \\(supported: avif, .*heif, jpeg, png.*\\)");
    }

    @Test
    void overThePixelLimitIsRefusedFromTheBoxes() {
        ImageDecoder small = new ImageDecoder(ImageLimits.defaults().withMaxPixels(10_000));
        assertThatThrownBy(() -> small.decode(heif("avif-grid-2x2.avif")))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("AVIF is 192x128 = 24576 pixels, over the limit of 10000 pixels")
                .satisfies(e -> assertThat(((InvalidImageException) e).kind()).isEqualTo(InvalidImageException.Kind.TOO_LARGE));
    }

    @Test
    void aTruncatedFileIsRefusedNamingTheInputAndTheReason() {
        Path file = heif("truncated.heic");
        assertThatThrownBy(() -> ImageDecoder.withDefaults().decode(file))
                .isInstanceOf(InvalidImageException.class)
                .hasMessage(file + ": corrupt HEIF data: truncated: the coded image ends past the end of the file (9489 bytes)")
                .satisfies(e -> assertThat(((InvalidImageException) e).kind()).isEqualTo(InvalidImageException.Kind.CORRUPT));
    }

    @Test
    void anUnsupportedPrimaryItemIsAnUnsupportedFormat() throws Exception {
        byte[] file = bytes("heif-photo.heic");
        String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        int infe = text.indexOf("infe");
        int type = text.indexOf("hvc1", infe);
        byte[] other = file.clone();
        System.arraycopy("unci".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, other, type, 4);
        assertThatThrownBy(() -> ImageDecoder.withDefaults().decode(other, "other.heic"))
                .isInstanceOf(InvalidImageException.class)
                .hasMessage("other.heic: unsupported HEIF data: primary item of type 'unci' is not supported (hvc1, av01, grid)")
                .satisfies(e -> assertThat(((InvalidImageException) e).kind())
                        .isEqualTo(InvalidImageException.Kind.UNSUPPORTED_FORMAT));
    }

    @Test
    void decoderJavaNamesWhatDecodesHeif() {
        ImageDecoder java = new ImageDecoder(ImageLimits.defaults(),
                DecodeOptions.builder().optDecoder(DecodeOptions.Decoder.JAVA).build());
        Path file = heif("heif-photo.heic");
        assertThatThrownBy(() -> java.decode(file))
                .isInstanceOf(InvalidImageException.class)
                .hasMessage(file + ": HEIF images need keshikaran-video's decoder (FFmpeg), which DecodeOptions.Decoder.JAVA turns off")
                .satisfies(e -> assertThat(((InvalidImageException) e).kind()).isEqualTo(InvalidImageException.Kind.UNSUPPORTED_FORMAT));
    }
}
