package io.keshikaran.internal.image;

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
