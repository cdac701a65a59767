package io.keshikaran.benchmarks;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classifier;
import io.keshikaran.image.ImageInput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code classifyAll} throughput in images per second, decode included: the 21 fixtures (PNG and
 * JPEG, 96x69 to 1920x1080) three times over, from memory, so disk speed does not count. Varies
 * the three knobs: batch size, decoding threads, and ONNX Runtime's intra-op threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BatchThroughputBenchmark {
    static final int COPIES = 3;
    /** 21 fixtures x 3; must match the folder. */
    static final int IMAGES = 63;

    @Param({"mobilenet_v2"})
    String model;

    @Param({"1", "4", "8", "16"})
    int batchSize;

    @Param({"1", "2"})
    int decodeThreads;

    @Param({"1", "2"})
    int intraOpThreads;

    private Classifier classifier;
    private List<BenchImages.Encoded> images;
    private BatchOptions options;

    @Setup
    public void setUp() throws Exception {
        classifier = Classifier.builder().optModel(model).optIntraOpThreads(intraOpThreads).build();
        List<BenchImages.Encoded> fixtures = BenchImages.read(BenchImages.list(BenchImages.fixtureImages()));
        images = new ArrayList<>();
        for (int i = 0; i < COPIES; i++) {
            images.addAll(fixtures);
        }
        if (images.size() != IMAGES) {
            throw new IllegalStateException("expected " + IMAGES + " images, found " + images.size()
                    + ": update BatchThroughputBenchmark.IMAGES");
        }
        options = BatchOptions.defaults().withBatchSize(batchSize).withDecodeThreads(decodeThreads);
    }

    @TearDown
    public void tearDown() {
        classifier.close();
    }

    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public void classifyAll(Blackhole blackhole) {
        classifier.classifyAll(images.stream().map(e -> ImageInput.of(e.bytes(), e.name())), options, r -> {
            if (!r.isSuccess()) {
                throw new IllegalStateException(r.toString());
            }
            blackhole.consume(r);
        });
    }
}
