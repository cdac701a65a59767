package io.keshikaran.benchmarks;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;
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

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * Big photos: decoding alone, and a whole {@code classify(byte[])}, with full-resolution decoding
 * and with the default reduced decoding (ImageIO source subsampling down to at least twice the
 * model's input size). The files come from tools/bench/make-bench-images.sh (not in git):
 * {@code photo-20mp.jpg} is a fixture upscaled to 5472x3648 with noise (7 MB), and
 * {@code large/astronaut.png} a PNG fixture upscaled 4x to 2048x2048.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class LargeImageBenchmark {
    @Param({"photo-20mp.jpg", "large/astronaut.png"})
    String file;

    @Param({"FULL", "REDUCED"})
    DecodeOptions.Resolution resolution;

    private byte[] bytes;
    private ImageDecoder decoder;
    private Classifier classifier;

    @Setup
    public void setUp() throws Exception {
        bytes = Files.readAllBytes(BenchImages.generatedImages().resolve(file));
        DecodeOptions options = DecodeOptions.builder().optResolution(resolution).build();
        classifier = Classifier.builder().optDecodeOptions(options).build();
        int size = classifier.description().preprocessing().resizeWidth();
        decoder = new ImageDecoder(ImageLimits.defaults(), options).withTargetSize(size, size);
    }

    @TearDown
    public void tearDown() {
        classifier.close();
    }

    @Benchmark
    public RgbImage decode() throws InvalidImageException {
        return decoder.decode(bytes, file);
    }

    @Benchmark
    public Classification classify() throws InvalidImageException {
        return classifier.classify(bytes, file);
    }
}
