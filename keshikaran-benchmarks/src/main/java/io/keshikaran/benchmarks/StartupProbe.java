package io.keshikaran.benchmarks;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a cold start's time goes, for the CLI's start-to-first-score: milliseconds since the JVM
 * started at {@code main}; DJL's ONNX Runtime engine start (native library extraction and
 * loading); {@code Classifier.builder().build()} (model read, session creation, the load-time
 * check run); the first {@code classify} (ImageIO start-up, decode, preprocess, inference).
 *
 * <pre>
 * java -cp keshikaran-benchmarks/target/benchmarks.jar io.keshikaran.benchmarks.StartupProbe fixtures/images/dog.jpg
 * </pre>
 */
public final class StartupProbe {
    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long atMain = System.currentTimeMillis();
        long e0 = System.nanoTime();
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.onnx.disable_alternative", "true");
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
        long t0 = System.nanoTime();
        try (Classifier classifier = Classifier.builder().build()) {
            long built = System.nanoTime();
            Classification c = classifier.classify(Path.of(args.length > 0 ? args[0] : "fixtures/images/dog.jpg"));
            long classified = System.nanoTime();
            Classification again = classifier.classify(Path.of(args.length > 0 ? args[0] : "fixtures/images/dog.jpg"));
            long second = System.nanoTime();
            System.out.printf(Locale.ROOT, "JVM start to main      %5d ms%n", atMain - jvmStart);
            System.out.printf(Locale.ROOT, "DJL + ORT engine start %5d ms%n", (t0 - e0) / 1_000_000);
            System.out.printf(Locale.ROOT, "build classifier       %5d ms%n", (built - t0) / 1_000_000);
            System.out.printf(Locale.ROOT, "first classify         %5d ms  (score %.2f)%n", (classified - built) / 1_000_000, c.score());
            System.out.printf(Locale.ROOT, "second classify        %5d ms  (score %.2f)%n", (second - classified) / 1_000_000, again.score());
            System.out.printf(Locale.ROOT, "JVM start to 1st score %5d ms%n", atMain - jvmStart + (classified - e0) / 1_000_000);
        }
    }
}
