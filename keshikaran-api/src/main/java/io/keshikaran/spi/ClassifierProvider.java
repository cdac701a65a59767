package io.keshikaran.spi;

import io.keshikaran.ModelException;

import java.util.Optional;
import java.util.Set;

/**
 * An inference engine that can load models, found with {@link java.util.ServiceLoader}. Register an
 * implementation in {@code META-INF/services/io.keshikaran.spi.ClassifierProvider}.
 *
 * <p>A backend only loads the model and runs it ({@link InferenceSession}); decoding,
 * preprocessing, batching and scoring are keshikaran's own pipeline, the same for every backend.
 *
 * <p>{@code Classifier.builder()} picks a provider: an explicit engine name (builder option, system
 * property {@code keshikaran.engine} or environment variable {@code KESHIKARAN_ENGINE}) wins;
 * otherwise the available provider with the highest {@link #priority()} that
 * {@linkplain #canLoad can load} the model.
 */
public interface ClassifierProvider {

    /**
     * The engine's name, as used in {@code optEngine}, such as {@code onnxruntime}.
     *
     * @return the engine's name, as used in {@code optEngine}, such as {@code onnxruntime}
     */
    String engineName();

    /**
     * Preference among available providers when the caller named none; higher wins.
     *
     * @return preference among available providers when the caller named none; higher wins
     */
    int priority();

    /**
     * Empty when this provider can run; otherwise what is missing, phrased as what to add, such
     * as {@code "add ai.djl.onnxruntime:onnxruntime-engine:0.36.0 to the classpath"}.
     *
     * @return empty when this provider can run; otherwise what is missing, phrased as what to add, such as {@code "add ai.djl.onnxruntime:onnxruntime-engine:0.36.0 to the classpath"}
     */
    Optional<String> unavailableReason();

    /**
     * Whether this provider can load the requested model (for example, by its file format).
     *
     * @param options the requested model
     * @return true if {@link #load} should be tried with these options
     */
    boolean canLoad(ClassifierOptions options);

    /**
     * The model file extensions this provider loads, lower case with the dot, such as {@code .onnx}.
     * Used to explain why a model file fits no engine; empty if the provider does not say.
     *
     * @return the extensions, possibly empty
     */
    default Set<String> modelFileExtensions() {
        return Set.of();
    }

    /**
     * Loads the model, checks that it fits its description, and returns it ready to run.
     *
     * @param options the model to load and the engine settings (pool size, intra-op threads)
     * @return the loaded model, with its resolved {@link InferenceSession#description()}; the
     *         caller owns it and must close it
     * @throws ModelException if the model is missing, invalid, or does not fit its description
     */
    InferenceSession load(ClassifierOptions options) throws ModelException;
}
