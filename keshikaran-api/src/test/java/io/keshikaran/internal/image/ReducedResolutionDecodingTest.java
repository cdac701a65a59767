package io.keshikaran.internal.image;

import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DecodeOptions.Resolution}: large stills decoded smaller when the decoder knows the target
 * size, never below twice that size, exactly the pixels a full decode has at those positions; full
 * decoding on request, for small images, and without a target size.
 */
class ReducedResolutionDecodingTest {
    private static final DecodeOptions REDUCED = DecodeOptions.defaults();
    private static final DecodeOptions FULL = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.FULL).build();
    /** A real photo (fixtures/images/horses.jpg, 1024x664) scaled to 2000x1200. */
    private static BufferedImage large;

    @BeforeAll
    static void makeLargePhoto() throws IOException {
        large = TestImages.largePhoto(2000, 1200);
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    @Test
    void defaultsAreReducedAndNsfwjsCompatibleIsFull() {
        assertThat(DecodeOptions.defaults().resolution()).isEqualTo(DecodeOptions.Resolution.REDUCED);
        assertThat(DecodeOptions.nsfwjsCompatible().resolution()).isEqualTo(DecodeOptions.Resolution.FULL);
        assertThat(FULL).isNotEqualTo(REDUCED);
        assertThat(FULL.toBuilder().build()).isEqualTo(FULL);
        assertThat(FULL.toString()).contains("resolution=FULL");
    }

    @Test
    void stepKeepsAtLeastTwiceTheTargetOnBothSides() {
        assertThat(ImageDecoder.subsampling(5472, 3648, 224, 224)).isEqualTo(8);   // 684x456
        assertThat(ImageDecoder.subsampling(5472, 3648, 299, 299)).isEqualTo(6);   // 912x608
        assertThat(ImageDecoder.subsampling(1920, 1080, 224, 224)).isEqualTo(2);   // 960x540
        assertThat(ImageDecoder.subsampling(1024, 768, 224, 224)).isEqualTo(1);
        assertThat(ImageDecoder.subsampling(895, 100_000, 224, 224)).isEqualTo(1);
        assertThat(ImageDecoder.subsampling(4000, 4000, 100, 300)).isEqualTo(6);   // the larger side counts
        assertThat(ImageDecoder.subsampling(5472, 3648, 0, 0)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg"})
    void reducedDecodingKeepsEverySecondPixelOfTheFullDecode(String format) throws Exception {
        byte[] encoded = encode(large, format);
        // ImageIO's subsampling (the path of pure-Java mode and of files the other decoders leave to
        // it); PngDecoderTest covers the box average of keshikaran's own PNG decoder.
        DecodeOptions.Decoder imageIo = DecodeOptions.Decoder.JAVA;
        RgbImage full = new ImageDecoder(ImageLimits.defaults(), FULL.toBuilder().optDecoder(imageIo).build())
                .withTargetSize(224, 224).decode(encoded, "big");
        RgbImage reduced = new ImageDecoder(ImageLimits.defaults(), REDUCED.toBuilder().optDecoder(imageIo).build())
                .withTargetSize(224, 224).decode(encoded, "big");
        assertThat(full.width()).isEqualTo(2000);
        assertThat(full.height()).isEqualTo(1200);
        // 1200 / 448 = 2: every second pixel of every second row.
        assertThat(reduced.width()).isEqualTo(1000);
        assertThat(reduced.height()).isEqualTo(600);
        for (int y = 0; y < reduced.height(); y += 7) {
            for (int x = 0; x < reduced.width(); x += 5) {
                for (int c = 0; c < 3; c++) {
                    assertThat(reduced.sample(x, y, c)).as("%s (%d,%d) channel %d", format, x, y, c)
                            .isEqualTo(full.sample(2 * x, 2 * y, c));
                }
            }
        }
    }

    @Test
    void withoutATargetSizeEveryPixelIsDecoded() throws Exception {
        RgbImage decoded = new ImageDecoder(ImageLimits.defaults(), REDUCED).decode(encode(large, "jpeg"), "big");
        assertThat(decoded.width()).isEqualTo(2000);
    }

    @Test
    void imagesUnderTwiceTheTargetAreDecodedInFull() throws Exception {
        Path fixture = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "images", "horses.jpg");
        ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults(), REDUCED).withTargetSize(299, 299);
        RgbImage reduced = decoder.decode(fixture);
        assertThat(reduced.width()).isEqualTo(1024);
        assertThat(reduced.toByteArray()).isEqualTo(ImageDecoder.withDefaults().decode(fixture).toByteArray());
    }

    @Test
    void targetSizeMustBePositive() {
        assertThatThrownBy(() -> ImageDecoder.withDefaults().withTargetSize(0, 224))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x224");
    }
}
