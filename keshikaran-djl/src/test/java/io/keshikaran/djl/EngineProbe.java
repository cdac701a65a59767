package io.keshikaran.djl;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Run in a fresh JVM by {@link EngineSelectionTest}: builds a classifier as configured by the
 * environment (optionally with {@code optEngine(args[1])}), classifies {@code args[0]}, and prints
 * what ran and which native engines the process mapped.
 */
public final class EngineProbe {
    private EngineProbe() {
    }

    public static void main(String[] args) throws Exception {
        Classifier.Builder builder = Classifier.builder();
        if (args.length > 1) {
            builder.optEngine(args[1]);
        }
        try (Classifier classifier = builder.build()) {
            Classification c = classifier.classify(Path.of(args[0]));
            String maps = Files.readString(Path.of("/proc/self/maps"));
            System.out.printf(Locale.ROOT, "engine=%s score=%.6f libtorch=%b onnxruntime=%b offline=%b%n",
                    c.model().engine(), c.score(), maps.contains("libtorch"), maps.contains("libonnxruntime"),
                    ai.djl.util.Utils.isOfflineMode());
        }
    }
}
