package io.keshikaran.examples;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Example (c): the engine is a dependency, not code. {@link #run} names no engine; what runs it is
 * whichever engine is on the classpath:
 *
 * <pre>{@code
 * <!-- ONNX Runtime (recommended: the faster one here, and a smaller download) -->
 * <dependency>
 *   <groupId>ai.djl.onnxruntime</groupId>
 *   <artifactId>onnxruntime-engine</artifactId>
 *   <version>0.36.0</version>
 * </dependency>
 *
 * <!-- or PyTorch (libtorch 2.7.1, CPU): all three -->
 * <dependency>
 *   <groupId>ai.djl.pytorch</groupId>
 *   <artifactId>pytorch-engine</artifactId>
 *   <version>0.36.0</version>
 * </dependency>
 * <dependency>
 *   <groupId>ai.djl.pytorch</groupId>
 *   <artifactId>pytorch-jni</artifactId>
 *   <version>2.7.1-0.36.0</version>
 * </dependency>
 * <dependency>
 *   <groupId>ai.djl.pytorch</groupId>
 *   <artifactId>pytorch-native-cpu</artifactId>
 *   <version>2.7.1</version>
 *   <classifier>linux-x86_64</classifier>
 * </dependency>
 * }</pre>
 *
 * With ONNX Runtime the bundled {@code model.onnx} runs, with PyTorch the bundled {@code model.pt}
 * (the same weights; results agree within 1e-4). With both, ONNX Runtime is used unless
 * {@code -Dkeshikaran.engine=pytorch}, {@code KESHIKARAN_ENGINE=pytorch} or
 * {@code Classifier.builder().optEngine("pytorch")} says otherwise. With neither, {@code build()}
 * throws {@link io.keshikaran.EngineUnavailableException} naming the dependencies to add.
 *
 * <p>This module's build runs {@code EngineSwapTest} three times: with only ONNX Runtime, with only
 * PyTorch, and with no engine on the test classpath (see the surefire executions in its pom).
 */
public final class EngineSwap {
    private EngineSwap() {
    }

    /** Classifies {@code image} on whatever engine the classpath provides. */
    public static Classification run(Path image) throws Exception {
        try (Classifier classifier = Classifier.builder().build()) {
            return classifier.classify(image);
        }
    }

    /** Usage: {@code EngineSwap IMAGE}; prints {@code IMAGE: score on ENGINE}. */
    public static void main(String[] args) throws Exception {
        Classification c = run(Path.of(args[0]));
        System.out.printf(Locale.ROOT, "%s: %.2f on %s%n", c.source(), c.score(), c.model().engine());
    }
}
