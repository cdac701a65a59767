package io.keshikaran.djl;

import ai.djl.Model;
import io.keshikaran.EngineUnavailableException;
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
        OnnxRuntimeNatives.useCache(classLoader());
        NativeTempFolders.beforeStart();
    }

    @Override
    void afterEngineStart() {
        OnnxRuntimeNatives.engineStarted();
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
    Map<String, Object> loadOptions(Model model, int intraOpThreads) {
        Map<String, Object> options = threads("intraOpNumThreads", intraOpThreads);
        // Predictors run concurrently from the pool; one inter-op thread per call avoids
        // oversubscribing the cores.
        options.put("interOpNumThreads", "1");
        options.put("sessionOptions", sessionOptions(model));
        return options;
    }

    /**
     * ONNX Runtime's session options with memory patterns off. A memory pattern is a plan, kept per
     * input shape, that allocates all of a run's intermediate tensors as one block from the CPU
     * arena; batches form from whatever is decoded (1 to 8 images), so each size planned its own
     * block and the arena, which never shrinks, held all of them: about 90 MiB more resident for
     * no measurable speed (docs/performance.md, "Memory"). The arena itself stays: without it
     * every run allocates and frees its tensors, 1.5-2x slower. DJL only ever turns the option on,
     * so it is set on a {@code SessionOptions} object of our own, made through the model's class
     * loader (keshikaran-djl does not compile against ONNX Runtime); DJL adds the thread counts.
     */
    private static AutoCloseable sessionOptions(Model model) {
        try {
            Class<?> type = Class.forName("ai.onnxruntime.OrtSession$SessionOptions", true,
                    model.getClass().getClassLoader());
            AutoCloseable options = (AutoCloseable) type.getConstructor().newInstance();
            type.getMethod("setMemoryPatternOptimization", boolean.class).invoke(options, false);
            return options;
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new EngineUnavailableException("ONNX Runtime's session options cannot be created: " + e, e);
        }
    }
}
