package io.keshikaran.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.keshikaran.djl.TinyOnnxModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code --model FILE} with {@code --preset} and description options: a user's own model from the CLI. */
class PresetCommandTest {
    @TempDir
    static Path dir;
    private static Path userModel;

    private static Path dog() {
        return Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "images", "dog.jpg");
    }

    /** The bundled MobileNetV2 copied to a folder of its own, without its description: a user's ONNX file. */
    @BeforeAll
    static void copyAModel() throws Exception {
        userModel = dir.resolve("my-nsfw-model.onnx");
        try (InputStream in = PresetCommandTest.class.getClassLoader()
                .getResourceAsStream("io/keshikaran/models/mobilenet_v2/model.onnx")) {
            Files.copy(in, userModel);
        }
    }

    @Test
    void aUsersOnnxModelWithItsFamilysPresetWorks() throws Exception {
        JsonNode bundled = CliRun.of("--json", "--model", "mobilenet_v2", dog().toString()).onlyJson();
        JsonNode user = CliRun.of("--json", "--model", userModel.toString(), "--preset", "nsfwjs", dog().toString()).onlyJson();
        assertThat(user.path("model").asText()).isEqualTo("my-nsfw-model@nsfwjs");
        assertThat(user.path("probabilities")).isEqualTo(bundled.path("probabilities"));
        assertThat(user.path("score").asDouble()).isEqualTo(bundled.path("score").asDouble());
    }

    @Test
    void optionsOverrideThePreset() throws Exception {
        JsonNode c = CliRun.of("--json", "--model", userModel.toString(), "--preset", "nsfwjs", "--score-labels", "Porn",
                dog().toString()).onlyJson();
        assertThat(c.path("score").asDouble()).isCloseTo(c.path("probabilities").path("Porn").asDouble(), within(1e-6));
    }

    @Test
    void optionsAloneCanDescribeAModel() throws Exception {
        JsonNode bundled = CliRun.of("--json", "--model", "mobilenet_v2", dog().toString()).onlyJson();
        JsonNode c = CliRun.of("--json", "--model", userModel.toString(), "--input-size", "224", "--layout", "nhwc",
                "--resize", "bilinear_align_corners", "--labels", "Drawing,Hentai,Neutral,Porn,Sexy",
                "--score-labels", "Hentai,Porn,Sexy", dog().toString()).onlyJson();
        assertThat(c.path("model").asText()).isEqualTo("my-nsfw-model@unversioned");
        assertThat(c.path("probabilities")).isEqualTo(bundled.path("probabilities"));
    }

    @Test
    void aYahooStyleModelRunsWithTheYahooPreset() throws Exception {
        // Channels-first BGR input named "data", softmax over SFW, NSFW: open_nsfw's signature.
        TinyOnnxModel tiny = new TinyOnnxModel("data", new long[] {-1, 3, 224, 224},
                new float[][] {{0.05f, -0.04f}, {-0.03f, 0.06f}, {0.02f, 0.01f}}, new float[] {0.2f, -0.1f},
                TinyOnnxModel.Head.SOFTMAX);
        Path model = tiny.write(dir.resolve("open_nsfw.onnx"));
        // A flat grey survives the resize, the JPEG round trip and the crop unchanged: each channel is
        // 90 minus its mean (B 104, G 117, R 123).
        Path grey = dir.resolve("grey.png");
        BufferedImage image = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(90, 90, 90));
        g.fillRect(0, 0, 320, 200);
        g.dispose();
        ImageIO.write(image, "png", grey.toFile());
        double[] expected = tiny.expected(new double[] {90 - 104, 90 - 117, 90 - 123});

        JsonNode c = CliRun.of("--json", "--model", model.toString(), "--preset", "yahoo_open_nsfw", grey.toString()).onlyJson();
        assertThat(c.path("model").asText()).isEqualTo("open_nsfw@yahoo_open_nsfw");
        assertThat(c.path("probabilities").path("SFW").asDouble()).isCloseTo(expected[0], within(1e-5));
        assertThat(c.path("probabilities").path("NSFW").asDouble()).isCloseTo(expected[1], within(1e-5));
        assertThat(c.path("score").asDouble()).isCloseTo(expected[1], within(1e-5));
    }

    @Test
    void aModelWithoutADescriptionSaysHowToDescribeIt() {
        CliRun run = CliRun.of("--model", userModel.toString(), dog().toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.MODEL_ERROR);
        assertThat(run.err()).contains(userModel + ": no model description").contains("preset");
    }

    @Test
    void aPresetThatDoesNotFitTheModelIsAModelError() {
        CliRun run = CliRun.of("--model", userModel.toString(), "--preset", "yahoo_open_nsfw", dog().toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.MODEL_ERROR);
        assertThat(run.err()).contains(userModel + ": the model does not accept the described input [1, 3, 224, 224]");
    }

    @Test
    void invalidDescriptionOptionsAreUsageErrors() {
        CliRun unknown = CliRun.of("--model", userModel.toString(), "--preset", "clip", dog().toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("unknown preset 'clip'; known presets: nsfwjs, yahoo_open_nsfw");
        CliRun crop = CliRun.of("--model", userModel.toString(), "--preset", "nsfwjs", "--crop", "big", dog().toString());
        assertThat(crop.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(crop.err()).contains("--crop must be a size like 224 or 256x256, got 'big'");
        CliRun incomplete = CliRun.of("--model", userModel.toString(), "--labels", "a,b", dog().toString());
        assertThat(incomplete.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(incomplete.err()).contains("describe it with --preset FAMILY, or at least --input-size and --labels");
    }
}
