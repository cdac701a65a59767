package io.keshikaran.djl;

import com.fasterxml.jackson.databind.JsonNode;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.ModelException;
import io.keshikaran.ModelPreset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Bring-your-own models with a preset, end to end on ONNX Runtime. Only nsfwjs's weights exist here,
 * so each family gets a small model of the same input and output signature whose output is a known
 * function of the channel means of its input. The channel means come from each family's reference
 * preprocessing (tools/pillow-reference, run with Pillow and numpy), so the expected outputs are
 * computed without keshikaran's preprocessing. (keshikaran-api ModelPresetTest compares the tensors
 * themselves, sample by sample.)
 *
 * <p>Tolerance {@value #TOLERANCE}: ONNX Runtime's float32 ReduceMean over 150,000 to 440,000 values
 * is off by up to about 1e-4 after the small head amplifies it; a wrong layout, channel order,
 * normalisation, activation or label order moves outputs by far more than that (0.03 or more here).
 */
class PresetModelTest {
    static final double TOLERANCE = 5e-4;
    @TempDir
    static Path dir;

    /** A model with the family's signature. */
    static TinyOnnxModel modelFor(ModelPreset preset) {
        return switch (preset) {
            case NSFWJS -> new TinyOnnxModel("input", new long[] {-1, 224, 224, 3},
                    new float[][] {{2f, -1f, 0.5f, 3f, -2f}, {-1f, 2f, 1f, -3f, 0.5f}, {0.5f, 1f, -2f, 1f, 2f}},
                    new float[] {0.1f, -0.2f, 0.3f, 0f, -0.1f}, TinyOnnxModel.Head.SOFTMAX);
            // Caffe's blob is "data" and its softmax "prob"; values are 0..255 minus the mean, hence small weights.
            case YAHOO_OPEN_NSFW -> new TinyOnnxModel("data", new long[] {-1, 3, 224, 224},
                    new float[][] {{0.05f, -0.04f}, {-0.03f, 0.06f}, {0.02f, 0.01f}},
                    new float[] {0.2f, -0.1f}, TinyOnnxModel.Head.SOFTMAX);
            case KLEAMP1E_2022 -> new TinyOnnxModel("input_1", new long[] {-1, 384, 384, 3},
                    new float[][] {{3f}, {-2f}, {1.5f}}, new float[] {-0.4f}, TinyOnnxModel.Head.SIGMOID);
            case FALCONSAI_VIT -> new TinyOnnxModel("pixel_values", new long[] {-1, 3, 224, 224},
                    new float[][] {{1.5f, -1f}, {-2f, 2.5f}, {0.5f, 1f}}, new float[] {0.3f, -0.3f},
                    TinyOnnxModel.Head.LOGITS);
        };
    }

    static Stream<JsonNode> referenceCases() {
        List<JsonNode> cases = new ArrayList<>();
        ReferenceImages.expected().path("presets").forEach(cases::add);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void aUsersModelWithAPresetGivesTheReferenceOutput(JsonNode c) throws Exception {
        ModelPreset preset = ModelPreset.fromId(c.path("preset").asText());
        TinyOnnxModel tiny = modelFor(preset);
        Path file = tiny.write(dir.resolve(preset.id() + "-model.onnx"));
        double[] means = new double[3];
        for (int i = 0; i < 3; i++) {
            means[i] = c.path("channelMeans").get(i).asDouble();
        }
        double[] expected = tiny.expected(means);
        if (preset.description().activation() == io.keshikaran.OutputActivation.SOFTMAX) {
            expected = TinyOnnxModel.softmax(expected);
        }
        try (Classifier classifier = Classifier.builder().optModelPath(file).optPreset(preset)
                .optEngine("onnxruntime").build()) {
            Classification result = classifier.classify(ReferenceImages.source(c.path("image").asText()), "image");
            assertThat(result.model().name()).isEqualTo(preset.id() + "-model");
            assertThat(result.model().version()).isEqualTo(preset.id());
            List<String> labels = preset.description().labels();
            assertThat(result.probabilities()).containsOnlyKeys(labels);
            double score = 0;
            for (int i = 0; i < labels.size(); i++) {
                assertThat((double) result.probability(labels.get(i))).as("%s P(%s)", preset, labels.get(i))
                        .isCloseTo(expected[i], within(TOLERANCE));
                if (preset.description().scoreLabels().contains(labels.get(i))) {
                    score += expected[i];
                }
            }
            assertThat(result.score()).isCloseTo(score, within(TOLERANCE));
        }
    }

    @Test
    void aDescriptorCanNameAPresetAndOverrideParts() throws Exception {
        // nsfwjs's InceptionV3 takes 299x299: the preset plus a different size.
        Path folder = Files.createDirectories(dir.resolve("inception-like"));
        TinyOnnxModel tiny = new TinyOnnxModel("input", new long[] {-1, 299, 299, 3},
                modelFor(ModelPreset.NSFWJS).weights, modelFor(ModelPreset.NSFWJS).bias, TinyOnnxModel.Head.SOFTMAX);
        Path file = tiny.write(folder.resolve("inception.onnx"));
        Files.writeString(folder.resolve("keshikaran-model.json"),
                "{ \"preset\": \"nsfwjs\", \"input\": { \"height\": 299, \"width\": 299 }, \"score\": { \"labels\": [\"Porn\"] } }");
        try (Classifier classifier = Classifier.builder().optModelPath(file).build()) {
            assertThat(classifier.description().preprocessing().inputShape()).containsExactly(1, 299, 299, 3);
            assertThat(classifier.model().name()).isEqualTo("inception");
            assertThat(classifier.description().labels()).isEqualTo(ModelPreset.NSFWJS.description().labels());
            // A flat mid grey: every channel mean is 128 / 255 after preprocessing.
            Classification c = classifier.classify(ModelPresetTestImages.solid(50, 70, 128), "grey");
            double[] expected = tiny.expected(new double[] {128 / 255.0, 128 / 255.0, 128 / 255.0});
            assertThat((double) c.probability("Porn")).isCloseTo(expected[3], within(TOLERANCE));
            assertThat(c.score()).isCloseTo(c.probability("Porn"), within(1e-7));
        }
    }

    @Test
    void aPresetWhoseLayoutDoesNotFitTheModelIsNamed() throws Exception {
        Path nhwc = modelFor(ModelPreset.NSFWJS).write(dir.resolve("nhwc.onnx"));
        assertThatThrownBy(() -> Classifier.builder().optModelPath(nhwc).optPreset(ModelPreset.YAHOO_OPEN_NSFW).build())
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith(nhwc + ": the model does not accept the described input [1, 3, 224, 224] (NCHW, 224x224)");
    }

    @Test
    void aPresetWithOtherLabelsThanTheModelIsNamed() throws Exception {
        Path fiveClasses = modelFor(ModelPreset.NSFWJS).write(dir.resolve("five.onnx"));
        ModelPreset twoLabels = ModelPreset.FALCONSAI_VIT;
        Path nchw = new TinyOnnxModel("x", new long[] {-1, 3, 224, 224}, modelFor(ModelPreset.NSFWJS).weights,
                modelFor(ModelPreset.NSFWJS).bias, TinyOnnxModel.Head.LOGITS).write(dir.resolve("five-nchw.onnx"));
        assertThatThrownBy(() -> Classifier.builder().optModelPath(nchw).optPreset(twoLabels).build())
                .isInstanceOf(ModelException.class)
                .hasMessage(nchw + ": the model outputs 5 values per image but the description has 2 labels [normal, nsfw]");
        assertThat(fiveClasses).exists();
    }
}
