package io.keshikaran.internal.model;

import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
import io.keshikaran.ModelPreset;
import io.keshikaran.OutputActivation;
import io.keshikaran.preprocess.CropMode;
import io.keshikaran.preprocess.Layout;
import io.keshikaran.preprocess.PreprocessingSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Descriptor parsing without an engine: the real bundled descriptors (read from keshikaran-models'
 * sources through a class loader, as the library reads them from the jar), presets with overrides,
 * and each kind of invalid descriptor, whose message names the descriptor and the field. The end-to-end
 * cases (a model file with its descriptor on both engines) are keshikaran-djl's UserModelFilesTest and
 * PresetModelTest.
 */
class ModelDescriptorsTest {
    /** keshikaran-models' resources, the folder its jar is made of. */
    private static final Path MODELS = Path.of("..", "keshikaran-models", "src", "main", "resources");
    private static final String MOBILENET = "{\"name\": \"m\", \"input\": {\"height\": 224, \"width\": 224},"
            + " \"output\": {\"labels\": [\"a\", \"b\"]}, \"score\": {\"labels\": [\"b\"]}}";
    private static URLClassLoader models;

    @BeforeAll
    static void openTheModelsFolder() throws IOException {
        assertThat(MODELS.resolve(BundledModels.INDEX)).as("keshikaran-models sources").exists();
        models = new URLClassLoader(new URL[] {MODELS.toUri().toURL()}, null);
    }

    @AfterAll
    static void close() throws IOException {
        models.close();
    }

    private static ModelDescriptors.Descriptor parse(String json) throws ModelException {
        return ModelDescriptors.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "d.json");
    }

    @Test
    void everyBundledDescriptorIsValidAndNamesItsFiles() throws Exception {
        List<String> names = BundledModels.names(models);
        assertThat(names).containsExactly("mobilenet_v2", "inception_v3", "mobilenet_v2_mid");
        for (String name : names) {
            ModelDescriptors.Descriptor d = BundledModels.descriptor(name, models).orElseThrow();
            assertThat(d.description().name()).isEqualTo(name);
            assertThat(d.description().labels()).isEqualTo(ModelPreset.NSFWJS.description().labels());
            assertThat(d.description().scoreLabels()).containsExactly("Hentai", "Porn", "Sexy");
            assertThat(d.file("onnx")).contains("model.onnx");
            assertThat(models.getResource(BundledModels.resource(name, d.file("onnx").get()))).as(name).isNotNull();
            assertThat(d.file("tflite")).isEmpty();
        }
        ModelDescription mobilenet = BundledModels.descriptor("mobilenet_v2", models).orElseThrow().description();
        assertThat(mobilenet.version()).isEqualTo("nsfwjs-4.4.0");
        assertThat(mobilenet.license()).isEqualTo("MIT");
        assertThat(mobilenet.activation()).isEqualTo(OutputActivation.NONE);
        assertThat(mobilenet.preprocessing()).isEqualTo(PreprocessingSpec.nsfwjs(224));
        assertThat(BundledModels.descriptor("inception_v3", models).orElseThrow().description().preprocessing())
                .isEqualTo(PreprocessingSpec.nsfwjs(299));
    }

    @Test
    void theBundledLookupFindsOnlyBundledModels() throws Exception {
        assertThat(BundledModels.descriptor("no_such_model", models)).isEmpty();
        // Names that would leave the model's folder are not looked up at all.
        for (String name : List.of("../models/mobilenet_v2", "mobilenet_v2/..", "", ".", "a\\b")) {
            assertThat(BundledModels.descriptor(name, models)).as(name).isEmpty();
        }
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThat(BundledModels.names(empty)).isEmpty();
            assertThat(BundledModels.descriptor("mobilenet_v2", empty)).isEmpty();
        }
    }

    @Test
    void thePublicLookupUsesTheContextClassLoader() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(models);
        try {
            assertThat(ModelDescription.bundled("mobilenet_v2").map(ModelDescription::name)).contains("mobilenet_v2");
            assertThat(ModelDescription.bundled("nope")).isEmpty();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void aPresetTakesOverridesAndTheFileName() throws Exception {
        String json = "{ \"preset\": \"nsfwjs\", \"input\": { \"height\": 299, \"width\": 299 },"
                + " \"score\": { \"labels\": [\"Porn\"] } }";
        ModelDescription d = ModelDescriptors.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                "d.json", "inception").description();
        ModelDescription nsfwjs = ModelPreset.NSFWJS.description();
        assertThat(d.name()).isEqualTo("inception");
        assertThat(d.preprocessing()).isEqualTo(PreprocessingSpec.nsfwjs(299));
        assertThat(d.labels()).isEqualTo(nsfwjs.labels());
        assertThat(d.scoreLabels()).containsExactly("Porn");
        assertThat(d.license()).isEqualTo(nsfwjs.license());
        // Without a file name the preset names the model.
        assertThat(parse("{\"preset\": \"yahoo_open_nsfw\"}").description().toString())
                .isEqualTo(ModelPreset.YAHOO_OPEN_NSFW.description().toString());
        // A preset's centre crop is kept when only the input size changes.
        PreprocessingSpec yahoo = parse("{\"preset\": \"yahoo_open_nsfw\", \"input\": {\"resizeHeight\": 300}}")
                .description().preprocessing();
        assertThat(yahoo.crop()).isEqualTo(CropMode.CENTER);
        assertThat(yahoo.resizeHeight()).isEqualTo(300);
        assertThat(yahoo.resizeWidth()).isEqualTo(256);
        assertThat(yahoo.layout()).isEqualTo(Layout.NCHW);
    }

    @Test
    void defaultsApplyWithoutAPreset() throws Exception {
        ModelDescription d = parse(MOBILENET).description();
        assertThat(d.name()).isEqualTo("m");
        assertThat(d.version()).isEqualTo("unversioned");
        assertThat(d.source()).isEqualTo("unknown");
        assertThat(d.preprocessing()).isEqualTo(PreprocessingSpec.nsfwjs(224));
        assertThat(d.activation()).isEqualTo(OutputActivation.NONE);
        assertThat(parse(MOBILENET.replace(", \"score\": {\"labels\": [\"b\"]}", "")).description().scoreLabels())
                .containsExactly("a", "b");
        // Enum values are read leniently, as the CLI reads them.
        assertThat(parse(MOBILENET.replace("\"width\": 224", "\"width\": 224, \"layout\": \" nchw \"")).description()
                .preprocessing().layout()).isEqualTo(Layout.NCHW);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`[]`                                                   | a model descriptor must be a JSON object",
        "`{\"name\": \"m\"}`                                    | missing object 'input'",
        "`{\"name\": \"m\", \"input\": {}, \"output\": {}}`     | field 'height' must be an integer",
        "`{\"input\": {\"height\": 1, \"width\": 1}, \"output\": {\"labels\": [\"a\"]}}` | missing field 'name'",
        "`{\"preset\": \"clip\"}`                               | field 'preset': unknown preset 'clip'; known presets: nsfwjs, yahoo_open_nsfw, kleamp1e_2022, falconsai_vit",
        "`{\"preset\": 3}`                                      | field 'preset' must be a string",
        "`{\"preset\": \"nsfwjs\", \"input\": []}`              | field 'input' must be an object",
        "`{\"preset\": \"nsfwjs\", \"input\": {\"height\": \"299\"}}` | field 'height' must be an integer",
        "`{\"preset\": \"nsfwjs\", \"input\": {\"height\": 299.0}}`   | field 'height' must be an integer",
        "`{\"preset\": \"nsfwjs\", \"input\": {\"height\": 3000000000}}` | field 'height' must be an integer",
        "`{\"preset\": \"nsfwjs\", \"input\": {\"layout\": \"HWCN\"}}` | field 'layout' is 'HWCN', expected one of [NHWC, NCHW]",
        "`{\"preset\": \"nsfwjs\", \"input\": {\"layout\": 1}}` | field 'layout' is '1', expected one of [NHWC, NCHW]",
        "`{\"preset\": \"nsfwjs\", \"input\": {\"pixelDivisor\": \"255\"}}` | field 'pixelDivisor' must be a number",
        "`{\"preset\": \"nsfwjs\", \"input\": {\"mean\": 0.5}}`  | field 'mean' must be an array of numbers",
        "`{\"preset\": \"nsfwjs\", \"input\": {\"std\": [1, \"1\", 1]}}` | field 'std' must be an array of numbers",
        "`{\"preset\": \"nsfwjs\", \"output\": {\"labels\": [\"a\", 2]}}` | field 'labels' must be an array of strings",
        "`{\"preset\": \"nsfwjs\", \"output\": {\"labels\": [\"a\", \"a\"]}}` | model nsfwjs: labels must be non-blank and unique, got [a, a]",
        "`{\"preset\": \"nsfwjs\", \"score\": {\"labels\": [\"Cat\"]}}` | model nsfwjs: score label 'Cat' is not one of the labels [Drawing, Hentai, Neutral, Porn, Sexy]",
        "`{\"preset\": \"nsfwjs\", \"input\": {\"resizeWidth\": 256}}` | field 'resizeWidth' differs from the input size, which needs \"crop\": \"CENTER\" (without a crop the image is resized straight to the input size)",
        "`{\"preset\": \"nsfwjs\", \"files\": {\"onnx\": 1}}`    | field 'onnx' must be a string",
        "`{\"preset\": \"nsfwjs\", \"files\": \"model.onnx\"}`  | field 'files' must be an object",
    })
    void anInvalidDescriptorIsNamedWithTheField(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ModelException.class).hasMessage("d.json: " + message);
    }

    @Test
    void invalidJsonIsNamedWithLineAndColumn() {
        assertThatThrownBy(() -> parse("{\n  \"preset\": \"nsfwjs\",\n}"))
                .isInstanceOf(ModelException.class)
                .hasMessage("d.json: not a valid JSON model descriptor: unexpected '}', expected a string key "
                        + "at line 3, column 1");
        assertThatThrownBy(() -> parse("{\"preset\": \"nsfwjs\"} trailing"))
                .hasMessage("d.json: not a valid JSON model descriptor: unexpected 't' after the JSON value "
                        + "at line 1, column 22");
        assertThatThrownBy(() -> parse(""))
                .hasMessage("d.json: not a valid JSON model descriptor: empty document, expected a JSON value "
                        + "at line 1, column 1");
    }

    @Test
    void aHugeFileIsRefusedBeforeParsing() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return ' ';
            }
        };
        assertThatThrownBy(() -> ModelDescriptors.read(endless, "big.json"))
                .isInstanceOf(ModelException.class)
                .hasMessage("big.json: model descriptor is larger than " + ModelDescriptors.MAX_BYTES + " bytes");
    }

    @Test
    void theDescriptorBesideAModelFileIsNamedAfterTheFile(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("my-model.v2.onnx");
        assertThat(ModelDescription.besideModelFile(model)).isEmpty();
        Path descriptor = Files.writeString(dir.resolve(ModelDescriptors.FILE_NAME), "{\"preset\": \"falconsai_vit\"}");
        Optional<ModelDescription> d = ModelDescription.besideModelFile(model);
        assertThat(d.map(ModelDescription::name)).contains("my-model.v2");
        assertThat(d.get().labels()).containsExactly("normal", "nsfw");
        // Read on its own, the file takes the preset's name.
        assertThat(ModelDescription.fromFile(descriptor).name()).isEqualTo(ModelPreset.FALCONSAI_VIT.description().name());
        Files.writeString(descriptor, "{\"preset\": \"falconsai_vit\", \"input\": {\"layout\": \"HWCN\"}}");
        assertThatThrownBy(() -> ModelDescription.besideModelFile(model))
                .isInstanceOf(ModelException.class)
                .hasMessage(descriptor + ": field 'layout' is 'HWCN', expected one of [NHWC, NCHW]");
        try (InputStream in = Files.newInputStream(descriptor)) {
            assertThatThrownBy(() -> ModelDescription.read(in, "mine"))
                    .hasMessage("mine: field 'layout' is 'HWCN', expected one of [NHWC, NCHW]");
        }
    }

    @Test
    void aMissingDescriptorFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ModelDescription.fromFile(missing))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith(missing + ": cannot read model descriptor: ");
    }

    @Test
    void descriptorsMatchTheDocumentedExample() throws Exception {
        // The example in docs/model-descriptor.md, minus its placeholder hashes, is a valid descriptor.
        String doc = Files.readString(Path.of("..", "docs", "model-descriptor.md"));
        int start = doc.indexOf("```json\n{\n  \"name\"") + "```json\n".length();
        String example = doc.substring(start, doc.indexOf("```", start));
        ModelDescriptors.Descriptor d = parse(example);
        assertThat(d.description().name()).isEqualTo("mobilenet_v2");
        assertThat(d.files()).isEqualTo(Map.of("onnx", "model.onnx", "torchscript", "model.pt"));
    }
}
