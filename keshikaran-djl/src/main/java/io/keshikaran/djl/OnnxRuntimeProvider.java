package io.keshikaran.djl;

import io.keshikaran.spi.ClassifierOptions;

import java.util.List;
import java.util.Map;

/**
 * Runs ONNX models on DJL's ONNX Runtime engine. Preferred when several engines are present,
 * because it is the fastest CPU engine here (about 5 ms per MobileNetV2 image on 2 cores).
 * Needs {@code ai.djl.onnxruntime:onnxruntime-engine} on the classpath.
 */
public final class OnnxRuntimeProvider extends DjlClassifierProvider {
    /**
     * For {@link java.util.ServiceLoader} only. Not API: the class is public only because a provider
     * on the class path must be a public class with a public no-argument constructor; it is left
     * out of the published Javadoc. Use {@code Classifier.builder().optEngine("onnxruntime")}.
     */
    public OnnxRuntimeProvider() {
    }

    /** This engine's name: {@value}. */
    static final String NAME = "onnxruntime";

    @Override
    public String engineName() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    String djlEngineName() {
        return "OnnxRuntime";
    }

    @Override
    List<Requirement> requirements() {
        return List.of(
                new Requirement("ai.djl.onnxruntime:onnxruntime-engine:0.36.0", "ai.djl.onnxruntime.engine.OrtEngineProvider"),
                // A transitive dependency of the engine; named in case a build excluded it.
                new Requirement("com.microsoft.onnxruntime:onnxruntime", "ai.onnxruntime.OrtEnvironment", true));
    }

    @Override
    void beforeEngineStart(ClassifierOptions options) {
        NativeTempFolders.beforeStart();
    }

    @Override
    void afterEngineStart() {
        NativeTempFolders.afterStart();
    }

    @Override
    String formatKey() {
        return "onnx";
    }

    @Override
    String fileExtension() {
        return ".onnx";
    }

    @Override
    Map<String, String> loadOptions(int intraOpThreads) {
        Map<String, String> options = threads("intraOpNumThreads", intraOpThreads);
        // Predictors run concurrently from the pool; one inter-op thread per call avoids
        // oversubscribing the cores.
        options.put("interOpNumThreads", "1");
        return options;
    }
}
