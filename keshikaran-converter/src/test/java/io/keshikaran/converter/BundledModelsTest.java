package io.keshikaran.converter;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the files this converter produced for {@code keshikaran-models}: each descriptor's recorded SHA-256
 * matches its {@code model.onnx}, and the model reproduces nsfwjs's own outputs ({@code fixtures/expected}) on the
 * shared fixture images, decoded with ImageIO (which gives the same RGB bytes as nsfwjs's decoder on them; each
 * image's RGB hash is checked first) and preprocessed as nsfwjs does. Skipped when the bundled files or the
 * fixtures are absent.
 */
class BundledModelsTest {

    /** nsfwjs agreement the library promises is 1e-3 per class; the converted graph itself is far closer. */
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v2", "inception_v3", "mobilenet_v2_mid"})
    void bundledModelMatchesDescriptorAndNsfwjs(String name) throws IOException, OrtException {
        Path dir = Path.of(System.getProperty("keshikaran.bundled.models", "")).resolve(name);
        assumeTrue(Files.isRegularFile(dir.resolve("model.onnx")), "no bundled model at " + dir);
        byte[] onnx = Files.readAllBytes(dir.resolve("model.onnx"));
        JsonNode descriptor = SyntheticModel.JSON.readTree(dir.resolve("keshikaran-model.json").toFile());
        assertThat(descriptor.at("/provenance/outputs/model.onnx").asText()).isEqualTo(NpmPackage.sha256(onnx));
        assertThat(descriptor.get("name").asText()).isEqualTo(name);
        int size = descriptor.at("/input/height").asInt();
        assertThat(size).isEqualTo(name.equals("inception_v3") ? 299 : 224);

        Path fixtures = Path.of(System.getProperty("keshikaran.fixtures", ""));
        Path expectedFile = fixtures.resolve("expected/nsfwjs-4.4.0.json");
        assumeTrue(Files.isRegularFile(expectedFile), "no nsfwjs reference outputs at " + expectedFile);
        JsonNode expected = SyntheticModel.JSON.readTree(expectedFile.toFile());
        assertThat(expected.get("labels").toString()).isEqualTo(descriptor.at("/output/labels").toString());

        List<String> compared = new ArrayList<>();
        double maxDiff = 0;
        try (OrtSession session = Onnx.session(onnx, true)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.at("/models/" + name).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Path image = fixtures.resolve("images").resolve(e.getKey());
                NsfwjsPreprocessing.Rgb rgb = NsfwjsPreprocessing.decode(image);
                String rgbSha = expected.at("/images/" + e.getKey() + "/rgbSha256").asText();
                if (!NpmPackage.sha256(rgb.pixels()).equals(rgbSha)) {
                    continue; // ImageIO decodes this one differently: a decoder question, not a model one
                }
                float[] out = Onnx.run(session, NsfwjsPreprocessing.preprocess(rgb, size), 1, size, size, 3).values();
                double sum = 0;
                for (int c = 0; c < 5; c++) {
                    double diff = Math.abs(out[c] - e.getValue().get(c).asDouble());
                    assertThat(diff).as("%s %s class %d", name, e.getKey(), c).isLessThan(TOLERANCE);
                    maxDiff = Math.max(maxDiff, diff);
                    sum += out[c];
                }
                assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                compared.add(e.getKey());
            }
        }
        System.out.printf("%s: %d fixture images, max |onnx - nsfwjs| = %.3g%n", name, compared.size(), maxDiff);
        assertThat(compared).hasSizeGreaterThanOrEqualTo(10);
    }
}
