package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** keshikaran-api alone has no native decoder on its classpath: the pure-Java fallback. */
class NativeDecodersTest {
    private static final Path FIXTURES = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"));

    @Test
    void withoutANativeDecoderAutoUsesImageIoAndNativeIsRefused() throws Exception {
        byte[] jpeg = Files.readAllBytes(FIXTURES.resolve("images/horses.jpg"));
        RgbImage auto = ImageDecoder.withDefaults().decode(jpeg, "horses.jpg");
        RgbImage java = new ImageDecoder(ImageLimits.defaults(),
                DecodeOptions.builder().optDecoder(DecodeOptions.Decoder.JAVA).build()).decode(jpeg, "horses.jpg");
        assertThat(auto.toByteArray()).isEqualTo(java.toByteArray());
        ImageDecoder forced = new ImageDecoder(ImageLimits.defaults(),
                DecodeOptions.builder().optDecoder(DecodeOptions.Decoder.NATIVE).build());
        assertThatThrownBy(() -> forced.decode(jpeg, "horses.jpg"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keshikaran-leptonica");
    }

    @Test
    void heifAndAvifWithoutKeshikaranVideoNameWhatToAdd() {
        for (String name : new String[] {"heif-photo.heic", "avif-grid-2x2.avif"}) {
            Path file = FIXTURES.resolve("formats/heif").resolve(name);
            String format = name.endsWith(".heic") ? "HEIF" : "AVIF";
            // Until now ImageIO's "not a recognised image format": say what decodes it instead.
            assertThatThrownBy(() -> ImageDecoder.withDefaults().decode(file))
                    .isInstanceOf(InvalidImageException.class)
                    .hasMessage(file + ": " + format + " images need keshikaran-video's decoder (FFmpeg), which is not"
                            + " on the classpath: add keshikaran-video")
                    .satisfies(e -> assertThat(((InvalidImageException) e).kind())
                            .isEqualTo(InvalidImageException.Kind.UNSUPPORTED_FORMAT));
        }
    }

    @Test
    void theSystemPropertyIsReadAndABadValueNamed() throws Exception {
        byte[] jpeg = Files.readAllBytes(FIXTURES.resolve("images/horses.jpg"));
        String old = System.getProperty(DecodeOptions.Decoder.PROPERTY);
        try {
            System.setProperty(DecodeOptions.Decoder.PROPERTY, "native");
            assertThatThrownBy(() -> ImageDecoder.withDefaults().decode(jpeg, "horses.jpg"))
                    .isInstanceOf(IllegalStateException.class);
            System.setProperty(DecodeOptions.Decoder.PROPERTY, "java");
            assertThat(ImageDecoder.withDefaults().decode(jpeg, "horses.jpg").width()).isPositive();
            System.setProperty(DecodeOptions.Decoder.PROPERTY, "fast");
            assertThatThrownBy(() -> ImageDecoder.withDefaults().decode(jpeg, "horses.jpg"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("keshikaran.decoder=fast");
        } finally {
            if (old == null) {
                System.clearProperty(DecodeOptions.Decoder.PROPERTY);
            } else {
                System.setProperty(DecodeOptions.Decoder.PROPERTY, old);
            }
        }
    }
}
