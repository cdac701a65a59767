package io.keshikaran.examples;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;

import java.nio.file.Path;

/** Example (a): classify one image with the bundled default model. */
public final class ClassifyOneImage {
    private ClassifyOneImage() {
    }

    /** Classifies {@code image} and returns the result. */
    public static Classification run(Path image) throws Exception {
        try (Classifier classifier = Classifier.builder().build()) {
            return classifier.classify(image);
        }
    }

    /** Usage: {@code ClassifyOneImage IMAGE}. */
    public static void main(String[] args) throws Exception {
        Classification result = run(Path.of(args[0]));
        System.out.printf("%s: %.2f (%s)%n", result.source(), result.score(), result.topLabel());
    }
}
