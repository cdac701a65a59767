package io.keshikaran.spark;

import io.keshikaran.Classifier;
import io.keshikaran.ModelException;
import io.keshikaran.image.ImageLimits;

import java.io.Serializable;
import java.util.Objects;

/**
 * Everything needed to load a {@link Classifier} on an executor. Serializable, so it travels with
 * the task; equal configs share one classifier per JVM (see {@link ExecutorClassifiers}).
 *
 * @param model          bundled model name
 * @param engine         engine name, or {@code null} for the library's automatic choice
 * @param intraOpThreads threads per inference inside the engine, 0 for the engine's default
 * @param poolSize       concurrent inferences, 0 for the library's default (the number of cores)
 * @param maxFileBytes   {@link ImageLimits#maxFileBytes()}
 * @param maxPixels      {@link ImageLimits#maxPixels()}
 */
record ClassifierConfig(String model, String engine, int intraOpThreads, int poolSize,
                        long maxFileBytes, long maxPixels) implements Serializable {
    private static final long serialVersionUID = 1L;

    ClassifierConfig {
        Objects.requireNonNull(model, "model");
        new ImageLimits(maxFileBytes, maxPixels); // validates
    }

    ImageLimits imageLimits() {
        return new ImageLimits(maxFileBytes, maxPixels);
    }

    /** Loads the model; the caller owns (and must close) the result. */
    Classifier load(ClassLoader classLoader) throws ModelException {
        Classifier.Builder builder = Classifier.builder()
                .optModel(model)
                .optImageLimits(imageLimits())
                .optClassLoader(classLoader);
        if (engine != null) {
            builder.optEngine(engine);
        }
        if (intraOpThreads > 0) {
            builder.optIntraOpThreads(intraOpThreads);
        }
        if (poolSize > 0) {
            builder.optPoolSize(poolSize);
        }
        return builder.build();
    }
}
