package io.keshikaran.benchmarks;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.djl.BenchmarkSessions;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageInput;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;
import io.keshikaran.preprocess.FloatTensor;
import io.keshikaran.preprocess.Preprocessor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * keshikaran's side of tools/bench/compare.sh: the same measurements as
 * tools/nsfwjs-bench/bench.mjs, in one process, with the library's defaults.
 *
 * <pre>
 * java -cp keshikaran-benchmarks/target/benchmarks.jar io.keshikaran.benchmarks.FolderBench \
 *     --folder DIR --model mobilenet_v2|inception_v3 [--latency-images DIR] [--rounds N] [--json]
 * </pre>
 * <ul>
 *   <li>{@code modelMs}: the engine alone (one intra-op thread, as each predictor of a default
 *       classifier) on one preprocessed image, warm, median of the rounds;</li>
 *   <li>{@code imageMs}: {@code classify(RgbImage)} on each decoded latency image (preprocess with
 *       resize, engine, score), decode excluded: mean over images of each image's median;</li>
 *   <li>{@code folder}: {@code classifyAll} with {@link BatchOptions#defaults()} over every image
 *       file in the folder, decode and disk reads included (after one warm-up pass);</li>
 *   <li>{@code sequential}: the same folder with {@code classify(Path)} one file at a time on one
 *       thread, for comparison with tools that work that way.</li>
 * </ul>
 */
public final class FolderBench {
    private FolderBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        Path folder = Path.of(required(a, "--folder"));
        String model = a.getOrDefault("--model", "mobilenet_v2");
        Path latencyDir = Path.of(a.getOrDefault("--latency-images", folder.toString()));
        int rounds = Integer.parseInt(a.getOrDefault("--rounds", "20"));
        boolean json = a.containsKey("--json");

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "keshikaran");
        result.put("versions", "keshikaran 0.1.0-SNAPSHOT, DJL 0.36.0 onnxruntime, java " + System.getProperty("java.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        result.put("model", model);

        long t0 = System.nanoTime();
        try (Classifier classifier = Classifier.builder().optModel(model)
                // First frame only, as sharp (nsfwjs's decoder) reads animations.
                .optDecodeOptions(DecodeOptions.builder().optMaxFrames(1).build()).build()) {
            result.put("loadMs", round((System.nanoTime() - t0) / 1e6));

            // The engine alone on one core, as each predictor of a default classifier runs.
            BenchmarkSessions.Opened opened = BenchmarkSessions.open(model, 1, 1);
            try {
                Preprocessor pre = Preprocessor.of(opened.description().preprocessing());
                FloatTensor tensor = pre.preprocess(ImageDecoder.withDefaults().decode(BenchImages.list(latencyDir).get(0)));
                for (int i = 0; i < 10; i++) {
                    opened.session().run(tensor);
                }
                double[] times = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    long s = System.nanoTime();
                    opened.session().run(tensor);
                    times[i] = (System.nanoTime() - s) / 1e6;
                }
                result.put("modelMs", round(median(times)));
            } finally {
                opened.session().close();
            }

            // From decoded pixels: preprocessing (with resize) + engine + score.
            List<Path> latencyFiles = BenchImages.list(latencyDir);
            ImageDecoder decoder = ImageDecoder.withDefaults();
            double sum = 0;
            for (Path f : latencyFiles) {
                RgbImage img = decoder.decode(f);
                for (int i = 0; i < 3; i++) {
                    classifier.classify(img, f.toString());
                }
                double[] times = new double[Math.max(3, rounds / 4)];
                for (int i = 0; i < times.length; i++) {
                    long s = System.nanoTime();
                    classifier.classify(img, f.toString());
                    times[i] = (System.nanoTime() - s) / 1e6;
                }
                sum += median(times);
            }
            result.put("imageMs", round(sum / latencyFiles.size()));
            result.put("latencyImages", latencyFiles.size());

            // The whole folder, decode included: one warm-up pass, then the timed one.
            List<Path> files = BenchImages.list(folder);
            folderPass(classifier, files);
            long f0 = System.nanoTime();
            double meanScore = folderPass(classifier, files);
            double folderSeconds = (System.nanoTime() - f0) / 1e9;
            result.put("folderFiles", files.size());
            result.put("folderSeconds", round(folderSeconds));
            result.put("folderImagesPerSecond", round(files.size() / folderSeconds));
            result.put("meanScore", Math.round(meanScore * 1e4) / 1e4);

            long q0 = System.nanoTime();
            for (Path f : files) {
                Classification c = classifier.classify(f);
                if (c.score() < 0) {
                    throw new IllegalStateException();
                }
            }
            double seqSeconds = (System.nanoTime() - q0) / 1e9;
            result.put("sequentialImagesPerSecond", round(files.size() / seqSeconds));
            result.put("batchOptions", BatchOptions.defaults().toString());
        }
        if (json) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<String, Object> e : result.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append('"').append(e.getKey()).append("\": ");
                sb.append(e.getValue() instanceof String s ? '"' + s.replace("\"", "'") + '"' : e.getValue());
            }
            System.out.println(sb.append('}'));
        } else {
            result.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-26s %s%n", k, v));
        }
    }

    private static double folderPass(Classifier classifier, List<Path> files) {
        DoubleAdder scores = new DoubleAdder();
        AtomicLong failed = new AtomicLong();
        classifier.classifyAll(files.stream().map(ImageInput::of), BatchOptions.defaults()
                .withOrder(BatchOptions.Order.COMPLETION), r -> {
                    if (r.isSuccess()) {
                        scores.add(r.classification().orElseThrow().score());
                    } else {
                        failed.incrementAndGet();
                    }
                });
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " files failed");
        }
        return scores.sum() / files.size();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json")) {
                m.put("--json", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                m.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        return m;
    }

    private static String required(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("usage: FolderBench --folder DIR [--model mobilenet_v2|inception_v3] "
                    + "[--latency-images DIR] [--rounds N] [--json]");
        }
        return v;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
