package io.keshikaran.benchmarks;

import io.keshikaran.djl.BenchmarkSessions;
import io.keshikaran.internal.image.ImageDecoder;
import io.keshikaran.preprocess.FloatTensor;
import io.keshikaran.preprocess.Preprocessor;
import io.keshikaran.spi.InferenceSession;
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

import java.util.concurrent.TimeUnit;

/**
 * Single-image inference latency, decode excluded: one preprocessed {@code [1, h, w, 3]} tensor
 * into the ONNX Runtime session, the probabilities out. One caller thread.
 *
 * <p>{@code intraOpThreads} 0 leaves the choice to ONNX Runtime (one thread per core, pinned); the
 * provider's default is the cores divided by the pool size (1 with the default pool of one
 * predictor per core, 2 with {@code optPoolSize(1)} on 2 cores).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InferenceLatencyBenchmark {
    @Param({"mobilenet_v2"})
    String model;

    @Param({"0", "1", "2"})
    int intraOpThreads;

    private InferenceSession session;
    private FloatTensor input;

    @Setup
    public void setUp() throws Exception {
        BenchmarkSessions.Opened opened = BenchmarkSessions.open(model, intraOpThreads, 1);
        session = opened.session();
        input = Preprocessor.of(opened.description().preprocessing())
                .preprocess(ImageDecoder.withDefaults().decode(BenchImages.fixtureImages().resolve("dog.jpg")));
    }

    @TearDown
    public void tearDown() {
        session.close();
    }

    @Benchmark
    public float[][] engine() {
        return session.run(input);
    }
}
