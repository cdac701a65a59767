package io.keshikaran.spi;

import io.keshikaran.ModelDescription;
import io.keshikaran.preprocess.FloatTensor;

/**
 * A loaded model inside an engine: float tensor in, one output vector per batch item out.
 *
 * <p>Implementations must be thread-safe: the classifier calls {@link #run} from many threads at
 * once. After {@link #close()}, {@code run} must throw {@link IllegalStateException} rather than
 * wait. Closing releases the engine's native memory (model weights, sessions); a
 * session that is never closed keeps it until the JVM exits.
 */
public interface InferenceSession extends AutoCloseable {

    /**
     * Runs the model on a batch.
     *
     * @param batch the input, {@code [n, ...]} as produced by the model's preprocessor
     * @return {@code n} raw output vectors, before any {@link io.keshikaran.OutputActivation}
     * @throws io.keshikaran.InferenceException if the engine fails
     */
    float[][] run(FloatTensor batch);

    /**
     * The model's description, as resolved by the provider (bundled descriptor, the caller's
     * override, or a preset): preprocessing, labels, activation, score labels.
     *
     * @return the description
     */
    ModelDescription description();

    /**
     * The engine's name, such as {@code onnxruntime}.
     *
     * @return the engine's name, such as {@code onnxruntime}
     */
    String engineName();

    /** Releases the native resources. Idempotent. */
    @Override
    void close();
}
