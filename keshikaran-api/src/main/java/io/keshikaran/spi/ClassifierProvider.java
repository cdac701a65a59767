package io.keshikaran.spi;

import io.keshikaran.Classifier;
import io.keshikaran.ModelException;

import java.util.Optional;

/**
 * A backend that can build {@link Classifier}s, found with {@link java.util.ServiceLoader}.
 * Register an implementation in {@code META-INF/services/io.keshikaran.spi.ClassifierProvider}.
 *
 * <p>{@link Classifier#builder()} picks a provider: an explicit engine name (builder option, system
 * property {@value Classifier#ENGINE_PROPERTY} or environment variable
 * {@value Classifier#ENGINE_ENV}) wins; otherwise the available provider with the highest
 * {@link #priority()} that {@linkplain #canLoad can load} the model.
 */
public interface ClassifierProvider {

    /** The engine's name, as used in {@code optEngine}, such as {@code onnxruntime}. */
    String engineName();

    /** Preference among available providers when the caller named none; higher wins. */
    int priority();

    /**
     * Empty when this provider can run; otherwise what is missing, phrased as what to add, such
     * as {@code "add ai.djl.onnxruntime:onnxruntime-engine:0.36.0 to the classpath"}.
     */
    Optional<String> unavailableReason();

    /** Whether this provider can load the requested model (for example, by its file format). */
    boolean canLoad(ClassifierOptions options);

    /**
     * Loads the model and returns a ready classifier.
     *
     * @throws ModelException if the model is missing, invalid, or does not fit its description
     */
    Classifier create(ClassifierOptions options) throws ModelException;
}
