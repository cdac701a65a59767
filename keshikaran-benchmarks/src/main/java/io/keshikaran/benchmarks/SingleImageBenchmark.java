package io.keshikaran.benchmarks;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end latency of one {@code classify(Path)} call with the default classifier: read, decode,
 * preprocess, infer, score. One caller thread. Images: a small JPEG (194x222), a mid-size one
 * (512x600) and the largest fixture (1920x1080 JPEG).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SingleImageBenchmark {
    @Param({"mobilenet_v2"})
    String model;

    @Param({"dog.jpg", "grace-hopper.jpg", "wallpaper-spacefun.jpg"})
    String image;

    private Classifier classifier;
    private Path file;

    @Setup
    public void setUp() throws Exception {
        classifier = Classifier.builder().optModel(model).build();
        file = BenchImages.fixtureImages().resolve(image);
    }

    @TearDown
    public void tearDown() {
        classifier.close();
    }

    @Benchmark
    public Classification classify() throws InvalidImageException {
        return classifier.classify(file);
    }
}
