package io.keshikaran.djl;

import io.keshikaran.Classifier;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Load time and warm latency of each bundled model on each engine; not a test, run by hand:
 *
 * <pre>
 * mvn -o test -pl keshikaran-djl -Dtest=EngineBenchmark -Dkeshikaran.benchmark=true \
 *     [-Dkeshikaran.benchmark.extra=DIR]   # also time DIR/&lt;model&gt;/model.pt (e.g. a float32 variant)
 * </pre>
 *
 * One predictor and one intra-op thread per engine, so the engines are compared on equal terms and
 * the numbers are not at the mercy of other processes' threads. Each run classifies an already
 * decoded image (preprocessing included, decoding excluded): 10 warm-up runs, then the engines take
 * turns for 20 rounds of 5 runs; the median and the 90th percentile are printed.
 */
@EnabledIfSystemProperty(named = "keshikaran.benchmark", matches = "true")
class EngineBenchmark {

    @Test
    void loadAndLatencyPerEngine() throws Exception {
        RgbImage image = new ImageDecoder(io.keshikaran.image.ImageLimits.defaults(), DecodeOptions.nsfwjsCompatible())
                .decode(Fixtures.image("dog.jpg"));
        String extra = System.getProperty("keshikaran.benchmark.extra");
        for (String model : EngineParityTest.bundledModels()) {
            List<String> names = new ArrayList<>();
            List<Classifier> classifiers = new ArrayList<>();
            for (String engine : List.of("onnxruntime", "pytorch")) {
                long t0 = System.nanoTime();
                Classifier c = Classifier.builder().optModel(model).optEngine(engine).optPoolSize(1)
                        .optIntraOpThreads(1).build();
                long loadMs = (System.nanoTime() - t0) / 1_000_000;
                names.add(engine + String.format(Locale.ROOT, " (load %d ms)", loadMs));
                classifiers.add(c);
            }
            if (extra != null && Files.isRegularFile(Path.of(extra, model, "model.pt"))) {
                long t0 = System.nanoTime();
                Classifier c = Classifier.builder().optModelPath(Path.of(extra, model, "model.pt")).optPoolSize(1)
                        .optIntraOpThreads(1).build();
                long loadMs = (System.nanoTime() - t0) / 1_000_000;
                names.add("pytorch " + extra + String.format(Locale.ROOT, " (load %d ms)", loadMs));
                classifiers.add(c);
            }
            for (Classifier c : classifiers) {
                for (int i = 0; i < 10; i++) {
                    c.classify(image, "warm-up");
                }
            }
            double[][] times = new double[classifiers.size()][100];
            for (int round = 0; round < 20; round++) {
                for (int k = 0; k < classifiers.size(); k++) {
                    for (int i = 0; i < 5; i++) {
                        long t0 = System.nanoTime();
                        classifiers.get(k).classify(image, "run");
                        times[k][round * 5 + i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            for (int k = 0; k < classifiers.size(); k++) {
                double[] t = times[k].clone();
                Arrays.sort(t);
                System.out.printf(Locale.ROOT, "benchmark %s on %s: median %.1f ms, p90 %.1f ms%n",
                        model, names.get(k), t[t.length / 2], t[(int) (t.length * 0.9)]);
                classifiers.get(k).close();
            }
        }
    }
}
