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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One shared classifier called from 4 threads at once with {@code classify(byte[])}, as a web
 * service would: how the predictor pool size and intra-op threads should be set on 2 cores.
 * Images per second, decode included; the threads cycle through the fixtures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(4)
public class ConcurrentClassifyBenchmark {
    @Param({"mobilenet_v2"})
    String model;

    @Param({"1", "2"})
    int poolSize;

    @Param({"1", "2"})
    int intraOpThreads;

    private Classifier classifier;
    private List<BenchImages.Encoded> images;
    private final AtomicInteger next = new AtomicInteger();

    @Setup
    public void setUp() throws Exception {
        classifier = Classifier.builder().optModel(model).optPoolSize(poolSize).optIntraOpThreads(intraOpThreads).build();
        images = BenchImages.read(BenchImages.list(BenchImages.fixtureImages()));
    }

    @TearDown
    public void tearDown() {
        classifier.close();
    }

    @Benchmark
    public Classification classify() throws InvalidImageException {
        BenchImages.Encoded e = images.get(Math.floorMod(next.getAndIncrement(), images.size()));
        return classifier.classify(e.bytes(), e.name());
    }
}
