package io.keshikaran.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Description options without a preset apply over the model's own description: the bundled model's,
 * or the {@code keshikaran-model.json} beside a model file (both read through
 * {@code ModelDescription.bundled} and {@code ModelDescription.besideModelFile}).
 */
class DescriptionOptionsTest {
    private static final String BUNDLED = "io/keshikaran/models/mobilenet_v2/";
    @TempDir
    static Path dir;
    private static Path described;

    private static Path dog() {
        return Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "images", "dog.jpg");
    }

    /** The bundled MobileNetV2 with its descriptor, copied as a user would. */
    @BeforeAll
    static void copyAModelWithItsDescriptor() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("described"));
        for (String file : new String[] {"model.onnx", "keshikaran-model.json"}) {
            try (InputStream in = DescriptionOptionsTest.class.getClassLoader().getResourceAsStream(BUNDLED + file)) {
                Files.copy(in, folder.resolve(file));
            }
        }
        described = folder.resolve("model.onnx");
    }

    @Test
    void optionsApplyOverTheBundledModelsDescription() throws Exception {
        JsonNode plain = CliRun.of("--json", "--model", "mobilenet_v2", dog().toString()).onlyJson();
        JsonNode porn = CliRun.of("--json", "--model", "mobilenet_v2", "--score-labels", "Porn", dog().toString())
                .onlyJson();
        assertThat(porn.path("model").asText()).isEqualTo(plain.path("model").asText()).isEqualTo("mobilenet_v2@nsfwjs-4.4.0");
        assertThat(porn.path("probabilities")).isEqualTo(plain.path("probabilities"));
        assertThat(porn.path("score").asDouble()).isCloseTo(porn.path("probabilities").path("Porn").asDouble(), within(1e-6));
        assertThat(porn.path("score").asDouble()).isNotCloseTo(plain.path("score").asDouble(), within(1e-6));
    }

    @Test
    void optionsApplyOverTheDescriptorBesideAModelFile() throws Exception {
        JsonNode bundled = CliRun.of("--json", "--model", "mobilenet_v2", dog().toString()).onlyJson();
        JsonNode c = CliRun.of("--json", "--model", described.toString(), "--score-labels", "Porn", dog().toString())
                .onlyJson();
        assertThat(c.path("model").asText()).isEqualTo("mobilenet_v2@nsfwjs-4.4.0");
        assertThat(c.path("probabilities")).isEqualTo(bundled.path("probabilities"));
        assertThat(c.path("score").asDouble()).isCloseTo(c.path("probabilities").path("Porn").asDouble(), within(1e-6));
    }

    @Test
    void anInvalidDescriptorIsReportedWithTheModel(@TempDir Path other) throws Exception {
        Path model = Files.copy(described, other.resolve("model.onnx"));
        Path descriptor = Files.writeString(other.resolve("keshikaran-model.json"),
                Files.readString(described.resolveSibling("keshikaran-model.json")).replace("\"NHWC\"", "\"HWCN\""));
        CliRun run = CliRun.of("--model", model.toString(), "--score-labels", "Porn", dog().toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.MODEL_ERROR);
        assertThat(run.err()).contains(descriptor + ": field 'layout' is 'HWCN', expected one of [NHWC, NCHW]");
    }
}
