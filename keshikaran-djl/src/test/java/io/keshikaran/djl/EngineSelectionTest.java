package io.keshikaran.djl;

import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.ModelException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Which engine runs: with both on the classpath ONNX Runtime is preferred, and the builder option,
 * the {@code keshikaran.engine} system property and the {@code KESHIKARAN_ENGINE} variable override
 * it, in that order. A missing engine is reported as exactly the dependencies to add.
 */
class EngineSelectionTest {
    private static final String ORT_ENGINE = "ai.djl.onnxruntime:onnxruntime-engine:0.36.0";
    private static final String PYTORCH_ALL = "ai.djl.pytorch:pytorch-engine:0.36.0, ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 "
            + "and ai.djl.pytorch:pytorch-native-cpu:2.7.1:" + PyTorchProvider.platformClassifier();
    private static final String[] ORT_CLASSES = {"ai.djl.onnxruntime.", "ai.onnxruntime."};
    private static final String[] PYTORCH_CLASSES = {"ai.djl.pytorch.", "jnilib/", "native/lib/pytorch"};

    @AfterEach
    void clear() {
        System.clearProperty(Classifier.ENGINE_PROPERTY);
    }

    @Test
    void onnxRuntimeIsPreferredWhenBothArePresent() throws Exception {
        try (Classifier c = Classifier.builder().build()) {
            assertThat(c.model().engine()).isEqualTo("onnxruntime");
        }
    }

    @Test
    void builderOptionChoosesTheEngine() throws Exception {
        try (Classifier c = Classifier.builder().optEngine("PyTorch").build()) {
            assertThat(c.model().engine()).isEqualTo("pytorch");
            assertThat(c.model().id()).isEqualTo(Classifier.DEFAULT_MODEL + "@nsfwjs-4.4.0");
        }
    }

    @Test
    void systemPropertyChoosesTheEngineAndTheBuilderOptionWins() throws Exception {
        System.setProperty(Classifier.ENGINE_PROPERTY, "pytorch");
        try (Classifier c = Classifier.builder().build()) {
            assertThat(c.model().engine()).isEqualTo("pytorch");
        }
        try (Classifier c = Classifier.builder().optEngine("onnxruntime").build()) {
            assertThat(c.model().engine()).isEqualTo("onnxruntime");
        }
    }

    @Test
    void unknownEngineListsTheKnownOnes() {
        assertThatThrownBy(() -> Classifier.builder().optEngine("tensorflow").build())
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessage("unknown engine 'tensorflow'; known engines: onnxruntime, pytorch");
    }

    @Test
    void withNoEngineTheErrorNamesWhatToAddForEach() {
        assertThatThrownBy(() -> buildWithHidden(null, concat(ORT_CLASSES, PYTORCH_CLASSES)))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessage("no inference engine on the classpath: onnxruntime: add " + ORT_ENGINE
                        + " to the classpath; or pytorch: add " + PYTORCH_ALL + " to the classpath");
    }

    @Test
    void aPartialPyTorchSetupNamesOnlyTheMissingPiece() {
        String[] hidden = concat(ORT_CLASSES, new String[] {"jnilib/"});
        assertThatThrownBy(() -> buildWithHidden(null, hidden))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageEndingWith("or pytorch: add ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 to the classpath");
        String[] noNatives = concat(ORT_CLASSES, new String[] {"native/lib/pytorch"});
        assertThatThrownBy(() -> buildWithHidden(null, noNatives))
                .hasMessageEndingWith("or pytorch: add ai.djl.pytorch:pytorch-native-cpu:2.7.1:"
                        + PyTorchProvider.platformClassifier() + " to the classpath");
    }

    @Test
    void anExcludedOnnxRuntimeLibraryIsNamed() {
        assertThatThrownBy(() -> buildWithHidden("onnxruntime", "ai.onnxruntime."))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessage("engine onnxruntime was requested but is not usable: add com.microsoft.onnxruntime:onnxruntime "
                        + "to the classpath");
    }

    @Test
    void requestingAnEngineThatIsNotInstalledSaysWhatToAdd() {
        assertThatThrownBy(() -> buildWithHidden("pytorch", PYTORCH_CLASSES))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessage("engine pytorch was requested but is not usable: add " + PYTORCH_ALL + " to the classpath");
    }

    @Test
    void aTorchScriptFileWithoutPyTorchSaysWhatToAdd() {
        Path pt = Path.of("model.pt");
        assertThatThrownBy(() -> {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            ClassLoader loader = new HidingClassLoader(PYTORCH_CLASSES);
            Thread.currentThread().setContextClassLoader(loader);
            try {
                Classifier.builder().optClassLoader(loader).optModelPath(pt).build().close();
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }).isInstanceOf(EngineUnavailableException.class)
                .hasMessage("no available engine can load model model.pt (available: onnxruntime); pytorch: add "
                        + PYTORCH_ALL + " to the classpath");
    }

    private static final String ONNX_MODELS = "io/keshikaran/models/formats/onnx";
    private static final String TORCHSCRIPT_MODELS = "io/keshikaran/models/formats/torchscript";

    @Test
    void withoutAnyModelsArtifactTheErrorNamesTheOneForTheEngine() {
        assertThatThrownBy(() -> buildWithHidden(null, ONNX_MODELS, TORCHSCRIPT_MODELS))
                .isInstanceOf(ModelException.class)
                .hasMessage("bundled model 'mobilenet_v2_mid' needs io.keshikaran:keshikaran-models-onnx on the "
                        + "classpath for engine onnxruntime (or pass a model file with optModelPath)");
        assertThatThrownBy(() -> buildWithHidden("pytorch", TORCHSCRIPT_MODELS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("needs io.keshikaran:keshikaran-models-torchscript on the classpath for engine pytorch");
    }

    @Test
    void withOnlyTheTorchScriptModelsTheEngineThatCanRunThemIsChosen() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = new HidingClassLoader(ONNX_MODELS);
        Thread.currentThread().setContextClassLoader(loader);
        try (Classifier c = Classifier.builder().optClassLoader(loader).optModel("mobilenet_v2").build()) {
            assertThat(c.model().engine()).isEqualTo("pytorch");
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** A classifier built as if the hidden dependencies were not on the classpath. */
    private static void buildWithHidden(String engine, String... hidden) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = new HidingClassLoader(hidden);
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Classifier.Builder builder = Classifier.builder().optClassLoader(loader);
            if (engine != null) {
                builder.optEngine(engine);
            }
            builder.build().close();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    // ---- In a fresh JVM: what the process really loads. ----

    private record Probe(String engine, double score, boolean libtorch, boolean onnxruntime, boolean offline) {
    }

    private static final Pattern PROBE = Pattern.compile(
            "engine=(\\S+) score=(\\S+) libtorch=(\\S+) onnxruntime=(\\S+) offline=(\\S+)");

    /** Runs {@link EngineProbe} with both engines on the classpath and the given environment. */
    private static Probe probe(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", EngineProbe.class.getName(),
                Fixtures.image("dog.jpg").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove(Classifier.ENGINE_ENV);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        Matcher m = PROBE.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return new Probe(m.group(1), Double.parseDouble(m.group(2)), Boolean.parseBoolean(m.group(3)),
                Boolean.parseBoolean(m.group(4)), Boolean.parseBoolean(m.group(5)));
    }

    @Test
    void theOnnxRuntimePathNeverLoadsLibtorchEvenWithPyTorchOnTheClasspath() throws Exception {
        Probe ort = probe(Map.of());
        assertThat(ort.engine()).isEqualTo("onnxruntime");
        assertThat(ort.onnxruntime()).isTrue();
        assertThat(ort.libtorch()).as("libtorch mapped into the process").isFalse();
        assertThat(ort.offline()).isTrue();
    }

    @Test
    void theEnvironmentVariableChoosesTheEngineAndTheBuilderOptionWins() throws Exception {
        Probe pt = probe(Map.of(Classifier.ENGINE_ENV, "pytorch"));
        assertThat(pt.engine()).isEqualTo("pytorch");
        assertThat(pt.libtorch()).isTrue();
        assertThat(pt.onnxruntime()).as("onnxruntime mapped into the process").isFalse();
        assertThat(pt.offline()).isTrue();

        Probe ort = probe(Map.of(Classifier.ENGINE_ENV, "pytorch"), "onnxruntime");
        assertThat(ort.engine()).isEqualTo("onnxruntime");
        assertThat(ort.libtorch()).isFalse();
        assertThat(ort.score()).isCloseTo(pt.score(), within(3 * EngineParityTest.ENGINE_TOLERANCE));
    }
}
