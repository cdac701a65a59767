package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.List;

import static io.keshikaran.internal.image.TestImages.format;
import static io.keshikaran.internal.image.TestImages.meanColour;
import static io.keshikaran.internal.image.TestImages.meanDiff;
import static io.keshikaran.internal.image.TestImages.pixel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Every file in fixtures/formats (made by tools/make-format-fixtures.sh) decodes to what it should.
 *
 * <p>Most files are derived from one 192x128 photo, whose lossless copy {@code png-named-as.jpg}
 * is the reference: lossless encodings must reproduce it exactly, lossy ones within their codec's
 * noise (measured: about 2.5 per sample for JPEG q90, 1 to 4 for WebP q80, up to 6 for GIF's
 * 128-colour palettes).
 */
class FormatFixturesTest {
    private static final ImageDecoder DECODER = ImageDecoder.withDefaults();
    private static final ImageDecoder KEEP_ALPHA_COLOUR = new ImageDecoder(ImageLimits.defaults(),
            DecodeOptions.builder().optTransparency(DecodeOptions.Transparency.KEEP_STORED_COLOR).build());
    private static final int[] WHITE = {255, 255, 255};
    private static final int[] BLACK = {0, 0, 0};

    private static RgbImage photo() throws InvalidImageException {
        return DECODER.decode(format("png-named-as.jpg"));
    }

    private static RgbImage decode(String name) throws InvalidImageException {
        return DECODER.decode(format(name));
    }

    private static DecodedImage frames(String name) throws InvalidImageException {
        return DECODER.decodeFrames(format(name));
    }

    // ---- Formats ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file,                     format, largest mean difference from the photo
        "png-named-as.jpg,           PNG,  0",
        "png-interlaced.png,         PNG,  0",
        "png-16bit.png,              PNG,  0",
        "webp-lossless.webp,         WEBP, 0",
        "bmp-24.bmp,                 BMP,  0",
        "jpeg-baseline.jpg,          JPEG, 4",
        "jpeg-progressive.jpg,       JPEG, 4",
        "jpeg-444.jpg,               JPEG, 4",
        "webp-lossy.webp,            WEBP, 5",
        "png-palette.png,            PNG,  8",
        "gif-static.gif,             GIF,  8",
        "bmp-8bit-palette.bmp,       BMP,  8",
    })
    void opaqueFormatsDecodeToThePhoto(String file, String format, double tolerance) throws Exception {
        DecodedImage image = frames(file);
        assertThat(image.format()).isEqualTo(format);
        assertThat(image.isAnimated()).isFalse();
        assertThat(image.frames()).hasSize(1);
        assertThat(image.first().width()).isEqualTo(192);
        assertThat(image.first().height()).isEqualTo(128);
        assertThat(meanDiff(image.first(), photo())).as(file).isLessThanOrEqualTo(tolerance);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jpeg-gray.jpg", "png-gray.png"})
    void grayImagesHaveEqualChannelsCloseToTheGrayPhoto(String file) throws Exception {
        RgbImage gray = decode(file);
        for (int y = 0; y < gray.height(); y++) {
            for (int x = 0; x < gray.width(); x++) {
                assertThat(gray.sample(x, y, 1)).isEqualTo(gray.sample(x, y, 0));
                assertThat(gray.sample(x, y, 2)).isEqualTo(gray.sample(x, y, 0));
            }
        }
        // Both files hold the same gray picture, one lossless.
        assertThat(meanDiff(gray, decode("png-gray.png"))).isLessThan(3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jpeg-cmyk.jpg", "jpeg-ycck.jpg"})
    void cmykAndYcckJpegsAreConvertedToRgb(String file) throws Exception {
        RgbImage image = decode(file);
        assertThat(image.width()).isEqualTo(192);
        // The fixtures were made with the naive RGB->CMYK formula that TwelveMonkeys' profile-less
        // conversion inverts, so they come back close to the photo; treating the four channels as
        // anything else (inverted Adobe CMYK, YCCK as CMYK) is off by 50 and more.
        assertThat(meanDiff(image, photo())).as(file).isLessThan(5);
    }

    @Test
    void pngIccProfileIsAppliedAndGivesBackTheSrgbColours() throws Exception {
        // png-adobergb.png stores the photo converted to Adobe RGB (1998) with that profile embedded.
        RgbImage converted = decode("png-adobergb.png");
        assertThat(meanDiff(converted, photo())).isLessThan(1.0);
        assertThat(meanDiff(storedSamples("png-adobergb.png"), photo())).as("profile ignored").isGreaterThan(4.0);

        // keshikaran's PNG decoder takes an opaque PNG with a profile and converts what it decoded:
        // at full size ImageIO's pixels exactly, reduced the block means of those.
        byte[] png = Files.readAllBytes(format("png-adobergb.png"));
        DecodeOptions full = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.FULL).build();
        RgbImage ownFull = new ImageDecoder(ImageLimits.defaults(), full).decode(png, "adobergb.png");
        RgbImage imageIo = new ImageDecoder(ImageLimits.defaults(), full.toBuilder().optDecoder(DecodeOptions.Decoder.JAVA).build())
                .decode(png, "adobergb.png");
        assertThat(ownFull.toByteArray()).isEqualTo(imageIo.toByteArray());
        RgbImage reduced = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.builder().optResolution(DecodeOptions.Resolution.REDUCED).build())
                .withTargetSize(16, 16).decode(png, "adobergb.png");
        assertThat(reduced.width()).isEqualTo(imageIo.width() / 4);
        byte[] blockMeans = BoxAverage.reduce(imageIo.toByteArray(), imageIo.width(), imageIo.height(), 4);
        double difference = 0;
        for (int i = 0; i < blockMeans.length; i++) {
            difference += Math.abs((blockMeans[i] & 0xFF) - reduced.sampleAt(i));
        }
        assertThat(difference / blockMeans.length).as("converted after averaging").isLessThan(1.0);
    }

    /**
     * A translucent PNG with an RGB profile: keshikaran's PNG decoder converts each row before the
     * transparency option blends it with the (sRGB) background, as ImageIO's path does (convert,
     * then composite): the same bytes at full size under every option, for RGBA, a palette with
     * tRNS and an RGB colour key. The profile is png-adobergb.png's iCCP chunk, put in.
     */
    @ParameterizedTest
    @ValueSource(strings = {"png-rgba.png", "png-palette-trns.png", "png-rgb-trns.png"})
    void translucentPngsWithAProfileAreConvertedBeforeCompositing(String file) throws Exception {
        byte[] png = withChunkOf(Files.readAllBytes(format(file)), Files.readAllBytes(format("png-adobergb.png")), "iCCP");
        assertThat(PngDecoder.probe(png)).as("taken by keshikaran's decoder").isNotNull();
        for (DecodeOptions.Transparency t : DecodeOptions.Transparency.values()) {
            DecodeOptions full = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.FULL).optTransparency(t).build();
            RgbImage own = new ImageDecoder(ImageLimits.defaults(), full).decode(png, file);
            RgbImage imageIo = new ImageDecoder(ImageLimits.defaults(), full.toBuilder().optDecoder(DecodeOptions.Decoder.JAVA).build())
                    .decode(png, file);
            assertThat(own.toByteArray()).as("%s %s", file, t).isEqualTo(imageIo.toByteArray());
            RgbImage untagged = new ImageDecoder(ImageLimits.defaults(), full).decode(format(file));
            assertThat(meanDiff(own, untagged)).as("%s %s: profile applied", file, t).isGreaterThan(1.0);
        }
    }

    /** {@code png} with the first {@code type} chunk of {@code donor} inserted after its IHDR. */
    private static byte[] withChunkOf(byte[] png, byte[] donor, String type) {
        int at = 8;
        while (!new String(donor, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals(type)) {
            at += 12 + java.nio.ByteBuffer.wrap(donor, at, 4).getInt();
        }
        int length = 12 + java.nio.ByteBuffer.wrap(donor, at, 4).getInt();
        int afterIhdr = 8 + 12 + 13;
        byte[] out = new byte[png.length + length];
        System.arraycopy(png, 0, out, 0, afterIhdr);
        System.arraycopy(donor, at, out, afterIhdr, length);
        System.arraycopy(png, afterIhdr, out, afterIhdr + length, png.length - afterIhdr);
        return out;
    }

    @Test
    void jpegIccProfileIsApplied() throws Exception {
        double[] photo = meanColour(photo());
        double[] converted = meanColour(decode("jpeg-adobergb.jpg"));
        double[] stored = meanColour(storedSamples("jpeg-adobergb.jpg"));
        for (int c = 0; c < 3; c++) {
            assertThat(converted[c]).as("channel %d", c).isCloseTo(photo[c], within(1.5));
        }
        // Ignoring the profile would shift the mean colour by several levels (measured: 3 to 6).
        assertThat(Math.abs(stored[0] - photo[0]) + Math.abs(stored[1] - photo[1]) + Math.abs(stored[2] - photo[2]))
                .isGreaterThan(6);
    }

    /** The samples as stored, ignoring any profile, through the JDK's own raster read. */
    private static RgbImage storedSamples(String file) throws Exception {
        try (var in = javax.imageio.ImageIO.createImageInputStream(format(file).toFile())) {
            var readers = javax.imageio.ImageIO.getImageReaders(in);
            while (readers.hasNext()) {
                var reader = readers.next();
                if (!reader.getClass().getName().startsWith("com.sun.")) {
                    continue; // the JDK's readers ignore PNG iCCP; its JPEG raster read skips colour conversion
                }
                reader.setInput(in);
                if (file.endsWith(".png")) {
                    return RgbImage.from(reader.read(0));
                }
                var raster = reader.readRaster(0, null);
                byte[] rgb = new byte[raster.getWidth() * raster.getHeight() * 3];
                int[] px = new int[raster.getNumBands()];
                boolean ycc = file.endsWith(".jpg");
                for (int y = 0, o = 0; y < raster.getHeight(); y++) {
                    for (int x = 0; x < raster.getWidth(); x++) {
                        raster.getPixel(x, y, px);
                        int[] v = ycc ? yccToRgb(px) : px;
                        rgb[o++] = (byte) v[0];
                        rgb[o++] = (byte) v[1];
                        rgb[o++] = (byte) v[2];
                    }
                }
                return new RgbImage(raster.getWidth(), raster.getHeight(), rgb);
            }
        }
        throw new AssertionError("no JDK reader for " + file);
    }

    private static int[] yccToRgb(int[] ycc) {
        double y = ycc[0];
        double cb = ycc[1] - 128;
        double cr = ycc[2] - 128;
        return new int[] {clamp(y + 1.402 * cr), clamp(y - 0.344136 * cb - 0.714136 * cr), clamp(y + 1.772 * cb)};
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    @Test
    void formatIsDetectedFromContentNotFromTheName() throws Exception {
        assertThat(frames("png-named-as.jpg").format()).isEqualTo("PNG");
    }

    // ---- Transparency ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file,                 exact inside the frame?
        "png-rgba.png,           true",
        "png-16bit-rgba.png,     true",
        "webp-lossless-alpha.webp, true",
        "bmp-32-alpha.bmp,       true",
        "webp-lossy-alpha.webp,  false",
        "png-palette-trns.png,   false",
        "gif-transparent.gif,    false",
    })
    void fullyTransparentPixelsBecomeWhiteByDefault(String file, boolean exact) throws Exception {
        RgbImage image = decode(file);
        // Outside the rounded frame (32..159 x 20..107) the fixtures are fully transparent.
        assertThat(pixel(image, 0, 0)).as(file + " corner").containsExactly(WHITE);
        assertThat(pixel(image, 191, 127)).as(file + " corner").containsExactly(WHITE);
        // Well inside the frame they are opaque photo pixels.
        double inside = meanDiff(image, photo(), 60, 40, 130, 90);
        assertThat(inside).as(file + " inside").isLessThanOrEqualTo(exact ? 0 : 8);
    }

    @Test
    void keepingTheStoredColourShowsWhatTheFileHidesUnderTransparency() throws Exception {
        // The fixtures store black under fully transparent pixels, as premultiplying tools do.
        assertThat(pixel(KEEP_ALPHA_COLOUR.decode(format("png-rgba.png")), 0, 0)).containsExactly(BLACK);
        assertThat(pixel(KEEP_ALPHA_COLOUR.decode(format("png-gray-alpha.png")), 0, 0)).containsExactly(BLACK);
        // A tRNS colour key: the top 16 rows are magenta, which the key makes transparent.
        assertThat(pixel(KEEP_ALPHA_COLOUR.decode(format("png-rgb-trns.png")), 5, 5)).containsExactly(255, 0, 255);
        assertThat(pixel(decode("png-rgb-trns.png"), 5, 5)).containsExactly(WHITE);
        assertThat(meanDiff(decode("png-rgb-trns.png"), photo(), 0, 16, 192, 128)).isZero();
    }

    @Test
    void semiTransparentPixelsKeepTheirColourByDefault() throws Exception {
        // png-rgba.png's frame edge is blurred (alpha between 0 and 255) over photo pixels.
        RgbImage image = decode("png-rgba.png");
        RgbImage photo = photo();
        int semi = 0;
        for (int x = 20; x < 40; x++) {
            if (!java.util.Arrays.equals(pixel(image, x, 64), WHITE)) {
                assertThat(pixel(image, x, 64)).containsExactly(pixel(photo, x, 64));
                semi++;
            }
        }
        assertThat(semi).isGreaterThan(3);
    }

    @Test
    void compositingBlendsSemiTransparentPixels() throws Exception {
        ImageDecoder onWhite = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.builder()
                .optTransparency(DecodeOptions.Transparency.COMPOSITE).build());
        RgbImage white = onWhite.decode(format("png-rgba.png"));
        ImageDecoder onBlack = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.builder()
                .optTransparency(DecodeOptions.Transparency.COMPOSITE).optBackground(0x000000).build());
        RgbImage black = onBlack.decode(format("png-rgba.png"));
        RgbImage photo = photo();
        // The frame's edge is blurred: find a pixel with partial alpha and check the blend formula
        // c*a + bg*(1-a) holds for both backgrounds at once (which gives a without knowing it).
        int checked = 0;
        for (int x = 20; x < 40; x++) {
            int y = 64;
            for (int c = 0; c < 3; c++) {
                int w = white.sample(x, y, c);
                int b = black.sample(x, y, c);
                double alpha = 1 - (w - b) / 255.0;
                if (alpha > 0.1 && alpha < 0.9) {
                    assertThat((double) b).isCloseTo(photo.sample(x, y, c) * alpha, within(1.5));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(5);
    }

    // ---- EXIF orientation ------------------------------------------------------------------------

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsAppliedByDefault(int orientation) throws Exception {
        RgbImage image = decode("jpeg-exif-orientation-" + orientation + ".jpg");
        assertThat(image.width()).isEqualTo(192);
        assertThat(image.height()).isEqualTo(128);
        assertThat(meanDiff(image, photo())).isLessThan(4);
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void exifOrientationCanBeIgnored(int orientation) throws Exception {
        ImageDecoder ignoring = new ImageDecoder(ImageLimits.defaults(),
                DecodeOptions.builder().optOrientation(DecodeOptions.Orientation.IGNORE).build());
        RgbImage stored = ignoring.decode(format("jpeg-exif-orientation-" + orientation + ".jpg"));
        assertThat(stored.width()).isEqualTo(orientation >= 5 ? 128 : 192);
        RgbImage applied = ImageAccess.bridge().oriented(stored, orientation);
        assertThat(meanDiff(applied, decode("jpeg-exif-orientation-" + orientation + ".jpg"))).isZero();
        if (orientation < 5) {
            assertThat(meanDiff(stored, photo())).isGreaterThan(20);
        }
    }

    @Test
    void pngAndWebpExifOrientationIsAppliedToo() throws Exception {
        assertThat(meanDiff(decode("png-exif-orientation-6.png"), photo())).isZero();
        RgbImage webp = decode("webp-exif-orientation-6.webp");
        assertThat(webp.width()).isEqualTo(192);
        assertThat(meanDiff(webp, photo())).isLessThan(5);
    }

    // ---- Animation -------------------------------------------------------------------------------

    @Test
    void animatedWebpFramesAreCompositedOntoTheCanvas() throws Exception {
        DecodedImage anim = frames("webp-animated.webp");
        assertThat(anim.format()).isEqualTo("WEBP");
        assertThat(anim.isAnimated()).isTrue();
        assertThat(anim.frames()).extracting(DecodedImage.Frame::index).containsExactly(0, 1, 2);
        RgbImage f0 = anim.frames().get(0).image();
        RgbImage f1 = anim.frames().get(1).image();
        RgbImage f2 = anim.frames().get(2).image();
        // Lossless: frame 0 is the photo exactly; frame 2 is stored as the 64x48 dog patch at
        // +96+64 only, so outside it the composited frame must equal frame 1 exactly.
        assertThat(meanDiff(f0, photo())).isZero();
        assertThat(meanDiff(f1, photo())).isGreaterThan(30);
        assertThat(f2.width()).isEqualTo(192);
        assertThat(meanDiff(f2, f1, 0, 0, 192, 64)).isZero();
        assertThat(meanDiff(f2, f1, 0, 64, 96, 128)).isZero();
        assertThat(meanDiff(f2, f1, 96, 64, 160, 112)).isGreaterThan(20);
        // The lossy version shows the same pictures within codec noise.
        DecodedImage lossy = frames("webp-animated-lossy.webp");
        for (int i = 0; i < 3; i++) {
            assertThat(meanDiff(lossy.frames().get(i).image(), anim.frames().get(i).image())).as("frame %d", i).isLessThan(6);
        }
    }

    /**
     * An animated WebP with an ICC profile: its frames are converted from it one by one (here by
     * TwelveMonkeys; keshikaran-leptonica's NativeAnimatedWebPTest checks the native path against
     * these frames), and an sRGB profile leaves the stored colours as they are.
     */
    @Test
    void animatedWebpWithAnIccProfileIsConvertedFrameByFrame() throws Exception {
        DecodedImage plain = frames("webp-animated.webp");
        DecodedImage srgb = frames("webp-animated-srgb.webp");
        DecodedImage adobe = frames("webp-animated-adobergb.webp");
        assertThat(adobe.frames()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(srgb.frames().get(i).image().toByteArray()).as("sRGB frame %d", i)
                    .isEqualTo(plain.frames().get(i).image().toByteArray());
            assertThat(meanDiff(adobe.frames().get(i).image(), plain.frames().get(i).image())).as("converted frame %d", i)
                    .isGreaterThan(2);
        }
    }

    @Test
    void animatedPngFramesAreCompositedOntoTheCanvas() throws Exception {
        DecodedImage apng = frames("png-animated.png");
        DecodedImage webp = frames("webp-animated.webp");
        assertThat(apng.format()).isEqualTo("PNG");
        assertThat(apng.isAnimated()).isTrue();
        assertThat(apng.frames()).extracting(DecodedImage.Frame::index).containsExactly(0, 1, 2);
        // Both lossless, from the same three pictures: frame 2, stored as the dog patch alone,
        // equals the picture only when drawn over frame 1 on the canvas.
        for (int i = 0; i < 3; i++) {
            assertThat(apng.frames().get(i).image().toByteArray()).as("frame %d", i)
                    .isEqualTo(webp.frames().get(i).image().toByteArray());
        }
        assertThat(meanDiff(apng.frames().get(0).image(), photo())).isZero();
        // Java-only decoding reads every frame too: ImageIO alone would read the default image.
        ImageDecoder javaOnly = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.builder().optDecoder(DecodeOptions.Decoder.JAVA).build());
        assertThat(javaOnly.decodeFrames(format("png-animated.png")).frames()).hasSize(3);
    }

    @Test
    void animatedGifFramesAreCompositedOntoTheCanvas() throws Exception {
        DecodedImage gif = frames("gif-animated.gif");
        DecodedImage webp = frames("webp-animated.webp");
        assertThat(gif.format()).isEqualTo("GIF");
        assertThat(gif.isAnimated()).isTrue();
        assertThat(gif.frames()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            // Same three pictures as the lossless WebP, through 128-colour palettes.
            assertThat(meanDiff(gif.frames().get(i).image(), webp.frames().get(i).image())).as("frame %d", i).isLessThan(8);
        }
    }

    @Test
    void gifDisposalMethodsAreHonoured() throws Exception {
        DecodedImage gif = frames("gif-animated-disposal.gif");
        RgbImage photo = photo();
        RgbImage f0 = gif.frames().get(0).image();
        RgbImage f1 = gif.frames().get(1).image();
        RgbImage f2 = gif.frames().get(2).image();
        assertThat(meanDiff(f0, photo)).isLessThan(8);
        // Frame 0 is disposed to background (transparent, here white): frame 1 is its dog patch at
        // +16+16 on white.
        assertThat(pixel(f1, 100, 100)).containsExactly(WHITE);
        assertThat(meanDiff(f1, photo, 16, 16, 80, 64)).isGreaterThan(20);
        // Frame 1 is disposed to previous (all transparent again): frame 2 is the cat patch at
        // +128+80 alone.
        assertThat(pixel(f2, 30, 30)).containsExactly(WHITE);
        assertThat(meanDiff(f2, f1, 128, 80, 176, 112)).isGreaterThan(20);
        assertThat(pixel(f2, 150, 95)).isNotEqualTo(WHITE);
    }

    @Test
    void frameSamplingTakesEveryNthFrameUpToTheLimit() throws Exception {
        ImageDecoder everySecond = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.builder().optFrameStep(2).build());
        assertThat(everySecond.decodeFrames(format("webp-animated.webp")).frames())
                .extracting(DecodedImage.Frame::index).containsExactly(0, 2);
        ImageDecoder firstTwo = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.builder().optMaxFrames(2).build());
        DecodedImage two = firstTwo.decodeFrames(format("gif-animated.gif"));
        assertThat(two.frames()).extracting(DecodedImage.Frame::index).containsExactly(0, 1);
        assertThat(two.isAnimated()).isTrue();
        ImageDecoder firstOnly = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.nsfwjsCompatible());
        DecodedImage one = firstOnly.decodeFrames(format("gif-animated.gif"));
        assertThat(one.frames()).hasSize(1);
        assertThat(one.isAnimated()).as("still an animation, even if one frame is sampled").isTrue();
        // decode() returns the first frame only.
        assertThat(meanDiff(DECODER.decode(format("gif-animated.gif")), frames("gif-animated.gif").first())).isZero();
    }

    @Test
    void animationsStopSamplingWhenThePixelBudgetIsSpent() throws Exception {
        // Each frame costs its own pixels plus, when sampled, the canvas's (192x128 = 24576).
        ImageDecoder budget = new ImageDecoder(new ImageLimits(1 << 20, 2 * 2 * 24576 + 10), DecodeOptions.defaults());
        DecodedImage image = budget.decodeFrames(format("webp-animated.webp"));
        assertThat(image.frames()).extracting(DecodedImage.Frame::index).containsExactly(0, 1);
        assertThat(image.isAnimated()).isTrue();
    }

    // ---- Limits and tiny images ---------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "png-claims-100000x100000.png, PNG is 100000x100000 = 10000000000 pixels",
        "jpeg-claims-65500x65500.jpg,  JPEG is 65500x65500 = 4290250000 pixels",
        "gif-claims-65535x65535.gif,   GIF is 65535x65535 = 4294836225 pixels",
        "webp-claims-16384x16384.webp, WEBP is 16384x16384 = 268435456 pixels",
        "bmp-claims-100000x100000.bmp, BMP is 100000x100000 = 10000000000 pixels",
    })
    void forgedHeadersAreRefusedFromTheHeader(String file, String reason) {
        long start = System.nanoTime();
        assertError(() -> decode(file), file, reason + ", over the limit of 100000000 pixels (ImageLimits.maxPixels)");
        // Reported, not asserted (no timing assertions): how long the refusal took.
        System.out.printf("%s refused in %.2f ms%n", file, (System.nanoTime() - start) / 1e6);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "tiny-1x1.png,  1, 1",
        "tiny-1x1.jpg,  1, 1",
        "tiny-1x1.webp, 1, 1",
        "tiny-1x64.png, 1, 64",
        "tiny-64x1.gif, 64, 1",
    })
    void verySmallImagesDecode(String file, int width, int height) throws Exception {
        RgbImage image = decode(file);
        assertThat(image.width()).isEqualTo(width);
        assertThat(image.height()).isEqualTo(height);
    }

    @Test
    void fileSizeLimitIsCheckedBeforeReading() {
        ImageDecoder small = new ImageDecoder(new ImageLimits(10_000, ImageLimits.DEFAULT_MAX_PIXELS));
        assertError(() -> small.decode(format("bmp-24.bmp")), "bmp-24.bmp", "73782 bytes, over the limit of 10000 bytes");
    }

    // ---- Bad input ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty.jpg                 | empty file",
        "truncated.jpg             | corrupt or truncated JPEG data: Corrupt JPEG data: premature end of data segment",
        "truncated-progressive.jpg | corrupt or truncated JPEG data",
        "truncated.png             | corrupt or truncated PNG data",
        "truncated.webp            | corrupt or truncated WEBP data",
        "truncated-animated.gif    | corrupt or truncated GIF data (frame 1)",
        "random.bin                | not a recognised image format (supported: bmp, gif, jpeg, png, webp)",
        "text.png                  | not an image (the content is text)",
        "directory.jpg             | is a directory",
        "missing.jpg               | no such file",
    })
    void badInputsGetOneLineNamingTheInputAndTheReason(String file, String reason) {
        assertError(() -> DECODER.decodeFrames(format(file)), file, reason);
        if (!file.contains("animated")) {
            assertError(() -> decode(file), file, reason);
        }
    }

    @Test
    void decodeLooksAtTheFirstFrameOnly() throws Exception {
        // decode() stops after frame 0, so the truncation in frame 1 goes unnoticed there.
        assertThat(decode("truncated-animated.gif").width()).isEqualTo(192);
    }

    @Test
    void everyFixtureIsCoveredByATest() throws Exception {
        // A guard against adding fixtures nobody checks: the names this class (and the fuzz test)
        // knows about, by prefix.
        List<String> known = List.of("png-", "jpeg-", "gif-", "webp-", "bmp-", "tiny-", "truncated", "empty.jpg",
                "random.bin", "text.png", "directory.jpg", "alpha", "README.md",
                "heif"); // HEIC and AVIF: keshikaran-video's FfmpegImageDecoderTest and NativeDecodersTest
        try (var files = java.nio.file.Files.list(TestImages.formats())) {
            files.map(p -> p.getFileName().toString())
                    .forEach(n -> assertThat(known).as(n).anyMatch(n::startsWith));
        }
    }

    interface Decode {
        Object run() throws Exception;
    }

    static void assertError(Decode decode, String file, String reason) {
        String source = format(file).toString();
        assertThatThrownBy(decode::run)
                .isInstanceOf(InvalidImageException.class)
                .hasMessageStartingWith(source + ": ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((InvalidImageException) e).source()).isEqualTo(source))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
