package io.keshikaran.spark;

import io.keshikaran.Classifier;

import java.io.Serializable;

/**
 * Configures the {@link Classifier.Builder} each executor loads its classifier with, using the
 * library's own options ({@code optModel}, {@code optEngine}, {@code optImageLimits},
 * {@code optDecodeOptions}, ...), so that Spark scores exactly as the library, the CLI and the server
 * do with the same settings. Serializable: it travels to the executors with the tasks, so a lambda
 * may capture only serializable values.
 *
 * <pre>{@code
 * KeshikaranScorer.builder()
 *         .optClassifier(b -> b.optModel("inception_v3").optImageLimits(ImageLimits.defaults().withMaxPixels(50_000_000)))
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface ClassifierSetup extends Serializable {

    /**
     * Sets options on the builder. Called on each executor, once per JVM and setup.
     *
     * @param builder a builder that already has {@code optIntraOpThreads(1)} and the executor's
     *                class loader; options set here win
     */
    void configure(Classifier.Builder builder);
}
