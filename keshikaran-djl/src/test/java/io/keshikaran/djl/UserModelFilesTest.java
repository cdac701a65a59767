package io.keshikaran.djl;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
import io.keshikaran.ModelPreset;
import io.keshikaran.preprocess.Layout;
import io.keshikaran.preprocess.PreprocessingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Models brought as files, on both engines: a good model with its {@code keshikaran-model.json}
 * works like the bundled one, and each kind of bad model fails with an error that names the file
 * and says what is wrong.
 */
class UserModelFilesTest {
    private static final String BUNDLED = "io/keshikaran/models/mobilenet_v2/";
    private static ModelDescription mobilenet;

    @TempDir
    static Path dir;

    @BeforeAll
    static void copyTheBundledModelAsAUserWould() throws Exception {
        for (String file : List.of("model.onnx", "model.pt", "keshikaran-model.json")) {
            copyResource(BUNDLED + file, dir.resolve(file));
        }
        try (Classifier c = Classifier.builder().optModel("mobilenet_v2").build()) {
            mobilenet = c.description();
        }
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = UserModelFilesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Files.copy(in, target);
        }
    }

    /** The engine that runs a file is chosen by its extension. */
    private static String engineFor(String extension) {
        return extension.equals(".onnx") ? "onnxruntime" : "pytorch";
    }

    @ParameterizedTest
    @ValueSource(strings = {".onnx", ".pt"})
    void aModelFileWithItsDescriptorWorksLikeTheBundledModel(String extension) throws Exception {
        Path image = Fixtures.image("dog.jpg");
        try (Classifier bundled = Classifier.builder().optModel("mobilenet_v2").optEngine(engineFor(extension)).build();
             Classifier user = Classifier.builder().optModelPath(dir.resolve("model" + extension)).build()) {
            assertThat(user.model().engine()).isEqualTo(engineFor(extension));
            assertThat(user.description().labels()).isEqualTo(bundled.description().labels());
            Classification a = bundled.classify(image);
            Classification b = user.classify(image);
            assertThat(b.probabilities()).isEqualTo(a.probabilities());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".onnx", ".pt"})
    void missingFileIsNamed(String extension) {
        Path missing = dir.resolve("nope" + extension);
        assertThatThrownBy(() -> Classifier.builder().optModelPath(missing).build())
                .isInstanceOf(ModelException.class)
                .hasMessage(missing + ": model file not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {".onnx", ".pt"})
    void fileInTheWrongFormatIsNamed(String extension, @TempDir Path other) throws Exception {
        String format = extension.equals(".onnx") ? "onnx" : "torchscript";
        Path text = Files.writeString(other.resolve("text" + extension), "this is not a model");
        assertThatThrownBy(() -> Classifier.builder().optModelPath(text).optModelDescription(mobilenet).build())
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith(text + ": not a valid " + format + " model: ");
        // The other engine's file, renamed: a real model, but not in the format its name promises.
        Path swapped = other.resolve("swapped" + extension);
        Files.copy(dir.resolve(extension.equals(".onnx") ? "model.pt" : "model.onnx"), swapped);
        assertThatThrownBy(() -> Classifier.builder().optModelPath(swapped).optModelDescription(mobilenet).build())
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith(swapped + ": not a valid " + format + " model: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {".onnx", ".pt"})
    void inputSizeThatDoesNotMatchTheDescriptionIsNamed(String extension) {
        Path model = dir.resolve("model" + extension);
        ModelDescription wrongSize = mobilenet.toBuilder().setPreprocessing(PreprocessingSpec.nsfwjs(300)).build();
        assertThatThrownBy(() -> Classifier.builder().optModelPath(model).optModelDescription(wrongSize).build())
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith(model + ": the model does not accept the described input [1, 300, 300, 3]");
    }

    @ParameterizedTest
    @ValueSource(strings = {".onnx", ".pt"})
    void layoutThatDoesNotMatchTheDescriptionIsNamed(String extension) {
        Path model = dir.resolve("model" + extension);
        ModelDescription nchw = mobilenet.toBuilder()
                .setPreprocessing(mobilenet.preprocessing().toBuilder().optLayout(Layout.NCHW).build()).build();
        assertThatThrownBy(() -> Classifier.builder().optModelPath(model).optModelDescription(nchw).build())
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith(model + ": the model does not accept the described input [1, 3, 224, 224] (NCHW");
    }

    @Test
    void torchScriptShapeErrorsQuoteTheModelsOwnMessage() {
        Path model = dir.resolve("model.pt");
        ModelDescription wrongSize = mobilenet.toBuilder().setPreprocessing(PreprocessingSpec.nsfwjs(300)).build();
        assertThatThrownBy(() -> Classifier.builder().optModelPath(model).optModelDescription(wrongSize).build())
                .hasMessageEndingWith("keshikaran model mobilenet_v2 expects a float input [N, 224, 224, 3], got [1, 300, 300, 3]");
    }

    @ParameterizedTest
    @ValueSource(strings = {".onnx", ".pt"})
    void outputWithTheWrongNumberOfLabelsIsNamed(String extension) {
        Path model = dir.resolve("model" + extension);
        ModelDescription threeLabels = mobilenet.toBuilder()
                .setLabels(List.of("a", "b", "c")).setScoreLabels(List.of("c")).build();
        assertThatThrownBy(() -> Classifier.builder().optModelPath(model).optModelDescription(threeLabels).build())
                .isInstanceOf(ModelException.class)
                .hasMessage(model + ": the model outputs 5 values per image but the description has 3 labels [a, b, c]");
    }

    @Test
    void modelWithoutADescriptionSaysHowToDescribeIt(@TempDir Path other) throws Exception {
        Path lonely = Files.copy(dir.resolve("model.onnx"), other.resolve("lonely.onnx"));
        assertThatThrownBy(() -> Classifier.builder().optModelPath(lonely).build())
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith(lonely + ": no model description: put a keshikaran-model.json beside it");
    }

    @Test
    void aTorchScriptFileWithAPresetNeedsNoDescriptor(@TempDir Path other) throws Exception {
        Path pt = Files.copy(dir.resolve("model.pt"), other.resolve("nsfw.pt"));
        try (Classifier bundled = Classifier.builder().optModel("mobilenet_v2").optEngine("pytorch").build();
             Classifier user = Classifier.builder().optModelPath(pt).optPreset(ModelPreset.NSFWJS).build()) {
            assertThat(user.model().engine()).isEqualTo("pytorch");
            assertThat(user.model().id()).isEqualTo("nsfw@nsfwjs");
            Path image = Fixtures.image("dog.jpg");
            assertThat(user.classify(image).probabilities()).isEqualTo(bundled.classify(image).probabilities());
        }
    }

    @Test
    void descriptorWithAnUnknownPresetListsTheKnownOnes(@TempDir Path other) throws Exception {
        Path model = Files.copy(dir.resolve("model.onnx"), other.resolve("model.onnx"));
        Path descriptor = Files.writeString(other.resolve("keshikaran-model.json"), "{\"preset\": \"clip\"}");
        assertThatThrownBy(() -> Classifier.builder().optModelPath(model).build())
                .isInstanceOf(ModelException.class)
                .hasMessage(descriptor + ": field 'preset': unknown preset 'clip'; known presets: "
                        + ModelPreset.ids());
    }

    @Test
    void invalidDescriptorIsNamedWithTheField(@TempDir Path other) throws Exception {
        Path model = Files.copy(dir.resolve("model.onnx"), other.resolve("model.onnx"));
        String json = Files.readString(dir.resolve("keshikaran-model.json")).replace("\"NHWC\"", "\"HWCN\"");
        Path descriptor = Files.writeString(other.resolve("keshikaran-model.json"), json);
        assertThatThrownBy(() -> Classifier.builder().optModelPath(model).build())
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith(descriptor + ": field 'layout' is 'HWCN', expected one of [NHWC, NCHW]");
    }

    @Test
    void aFolderGivenAsTheModelIsAModelErrorThatSaysSo() {
        assertThatThrownBy(() -> Classifier.builder().optModelPath(dir).build())
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("is a folder, not a model file");
    }

    @Test
    void aFileWithAnUnknownExtensionIsAModelErrorNamingTheExtensionsEachEngineLoads() throws Exception {
        Path image = Fixtures.image("dog.jpg");
        assertThatThrownBy(() -> Classifier.builder().optModelPath(image).build())
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(image.toString())
                .hasMessageContaining(".onnx (onnxruntime)")
                .hasMessageContaining(".pt (pytorch)");
        assertThatThrownBy(() -> Classifier.builder().optModelPath(dir.resolve("model.pt")).optEngine("onnxruntime").build())
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("model.pt: not a model file engine onnxruntime loads: the file name must end in .onnx");
    }
}
