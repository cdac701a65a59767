package io.keshikaran.djl;

import com.fasterxml.jackson.databind.JsonNode;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * keshikaran's probabilities against nsfwjs 4.4.0's own, computed by tools/nsfwjs-reference on the
 * same fixture files.
 *
 * <p>Tolerance: 1e-3 per class for every fixture, PNG and JPEG alike. That is justified for JPEG
 * only because {@link #decodesTheSamePixelsAsTheReference} proves, by hashing the decoded RGB
 * buffers, that keshikaran's decoder and nsfwjs's (libjpeg-turbo via sharp) see identical pixels
 * for every fixture; the remaining difference is float arithmetic inside the two engines.
 *
 * <p>The classifiers use {@link DecodeOptions#nsfwjsCompatible()}, the fidelity mode: it decodes
 * every pixel, as nsfwjs does. The default reduced-resolution decoding would see fewer pixels of
 * the 1920x1080 fixture (docs/performance.md measures by how much that moves the probabilities).
 */
class NsfwjsFidelityTest {
    static final double TOLERANCE = 1e-3;
    private static final List<String> MODELS = List.of("mobilenet_v2", "inception_v3", "mobilenet_v2_mid");
    private static final Map<String, Classifier> CLASSIFIERS = new HashMap<>();

    @BeforeAll
    static void load() throws Exception {
        for (String model : MODELS) {
            CLASSIFIERS.put(model, Classifier.builder().optModel(model).optEngine("onnxruntime")
                    .optDecodeOptions(DecodeOptions.nsfwjsCompatible()).build());
        }
    }

    @AfterAll
    static void close() {
        CLASSIFIERS.values().forEach(Classifier::close);
    }

    static Stream<Arguments> cases() {
        return MODELS.stream().flatMap(m -> Fixtures.imagesFor(m).stream().map(image -> Arguments.of(m, image)));
    }

    @Test
    void coversAtLeastTwelveImagesOfBothFormatsPerModel() {
        for (String model : MODELS) {
            List<String> images = Fixtures.imagesFor(model);
            assertThat(images).hasSizeGreaterThanOrEqualTo(12);
            assertThat(images).anyMatch(n -> n.endsWith(".png"));
            assertThat(images).anyMatch(n -> n.endsWith(".jpg") || n.endsWith(".jpeg"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesNsfwjs(String model, String image) throws Exception {
        JsonNode expected = Fixtures.expected().path("models").path(model).path(image);
        List<String> labels = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
        Classification c = CLASSIFIERS.get(model).classify(Fixtures.image(image));
        for (int i = 0; i < labels.size(); i++) {
            assertThat((double) c.probability(labels.get(i)))
                    .as("%s %s P(%s)", model, image, labels.get(i))
                    .isCloseTo(expected.get(i).asDouble(), within(TOLERANCE));
        }
        double expectedScore = expected.get(1).asDouble() + expected.get(3).asDouble() + expected.get(4).asDouble();
        assertThat(c.score()).isCloseTo(Math.min(1, expectedScore), within(3 * TOLERANCE));
        assertThat(c.model().name()).isEqualTo(model);
        assertThat(c.model().engine()).isEqualTo("onnxruntime");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void decodesTheSamePixelsAsTheReference(String image) throws Exception {
        JsonNode info = Fixtures.expected().path("images").path(image);
        // Every path: the default (keshikaran's own PNG decoder for PNGs, the native one for the
        // rest), the native decoder alone (keshikaran-leptonica) and ImageIO.
        for (DecodeOptions.Decoder which : List.of(DecodeOptions.Decoder.AUTO, DecodeOptions.Decoder.NATIVE,
                DecodeOptions.Decoder.JAVA)) {
            RgbImage decoded = new ImageDecoder(ImageLimits.defaults(),
                    DecodeOptions.builder().optDecoder(which).build()).decode(Fixtures.image(image));
            assertThat(decoded.width()).isEqualTo(info.path("width").asInt());
            assertThat(decoded.height()).isEqualTo(info.path("height").asInt());
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(decoded.toByteArray()));
            assertThat(sha).as("RGB hash of %s decoded by %s", image, which).isEqualTo(info.path("rgbSha256").asText());
        }
    }

    static Stream<String> images() {
        return Stream.of(Fixtures.expected().path("images").fieldNames()).flatMap(it -> {
            List<String> names = new java.util.ArrayList<>();
            it.forEachRemaining(names::add);
            return names.stream();
        });
    }
}
