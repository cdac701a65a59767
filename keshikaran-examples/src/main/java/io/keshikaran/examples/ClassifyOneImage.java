package io.keshikaran.examples;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Example (a): classify one image with the bundled default model. The whole usage is the body of
 * {@link #run}: build a classifier, classify, close.
 *
 * <p>In an application, build the classifier once and share it: loading the model takes far
 * longer than classifying an image, and a classifier is thread-safe.
 */
public final class ClassifyOneImage {
    private ClassifyOneImage() {
    }

    /** Classifies {@code image} and returns the result. */
    public static Classification run(Path image) throws Exception {
        try (Classifier classifier = Classifier.builder().build()) {
            return classifier.classify(image);
        }
    }

    /** Usage: {@code ClassifyOneImage IMAGE}; prints {@code IMAGE: score (top label)}. */
    public static void main(String[] args) throws Exception {
        Classification result = run(Path.of(args[0]));
        System.out.printf(Locale.ROOT, "%s: %.2f (%s)%n", result.source(), result.score(), result.topLabel());
    }
}
