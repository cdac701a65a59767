package io.keshikaran.benchmarks;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How much reduced-resolution decoding (the default) changes the probabilities compared with
 * full decoding, and what it saves in decode time. For every image and bundled model: both
 * decoded sizes, decode times (median of 3), both scores, and the largest per-class difference;
 * then, over the images that were actually decoded smaller, the max and mean absolute difference
 * per class and of the score. As a yardstick, the same statistics for a one-pixel shift: the
 * full-resolution image with its first row and column cut off, classified at full resolution.
 * nsfwjs's resize (bilinear, align corners, no antialiasing) samples a large image sparsely, so
 * the model's inputs, and some scores, move noticeably with any small change of the pixel grid.
 *
 * <pre>
 * java -cp keshikaran-benchmarks/target/benchmarks.jar io.keshikaran.benchmarks.DecodeFidelity [DIR...]
 * </pre>
 * Default folders: fixtures/images and tools/bench/out/large (fixtures upscaled by
 * tools/bench/make-bench-images.sh).
 */
public final class DecodeFidelity {
    private static final String[] MODELS = {"mobilenet_v2", "inception_v3"};

    private DecodeFidelity() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files = new ArrayList<>();
        if (args.length == 0) {
            files.addAll(BenchImages.list(BenchImages.fixtureImages()));
            Path large = BenchImages.generatedImages().resolve("large");
            if (Files.isDirectory(large)) {
                files.addAll(BenchImages.list(large));
            }
        } else {
            for (String a : args) {
                files.addAll(BenchImages.list(Path.of(a)));
            }
        }
        DecodeOptions full = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.FULL).build();
        DecodeOptions reduced = DecodeOptions.builder().optResolution(DecodeOptions.Resolution.REDUCED).build();
        for (String model : MODELS) {
            try (Classifier cFull = Classifier.builder().optModel(model).optDecodeOptions(full).build();
                 Classifier cReduced = Classifier.builder().optModel(model).optDecodeOptions(reduced).build()) {
                List<String> labels = cFull.description().labels();
                int size = cFull.description().preprocessing().resizeWidth();
                ImageDecoder dFull = new ImageDecoder(ImageLimits.defaults(), full).withTargetSize(size, size);
                ImageDecoder dReduced = new ImageDecoder(ImageLimits.defaults(), reduced).withTargetSize(size, size);
                System.out.printf(Locale.ROOT, "%n== %s (input %dx%d) ==%n", model, size, size);
                System.out.printf(Locale.ROOT, "%-34s %11s %11s %9s %9s %7s %7s %8s%n", "image", "full", "reduced",
                        "full ms", "red. ms", "score", "score'", "max|dp|");
                double[] maxShift = new double[labels.size()];
                double[] sumShift = new double[labels.size()];
                double maxShiftScore = 0;
                double sumShiftScore = 0;
                double[] maxDiff = new double[labels.size()];
                double[] sumDiff = new double[labels.size()];
                double maxScore = 0;
                double sumScore = 0;
                int reducedCount = 0;
                int topChanged = 0;
                int thresholdFlips = 0;
                for (Path f : files) {
                    byte[] bytes = Files.readAllBytes(f);
                    String name = f.getFileName().toString();
                    Timed tf = time(dFull, bytes, name);
                    Timed tr = time(dReduced, bytes, name);
                    Classification a = cFull.classify(bytes, name);
                    Classification b = cReduced.classify(bytes, name);
                    double worst = 0;
                    boolean smaller = tr.image.width() < tf.image.width();
                    for (int i = 0; i < labels.size(); i++) {
                        double d = Math.abs(a.probability(labels.get(i)) - b.probability(labels.get(i)));
                        worst = Math.max(worst, d);
                        if (smaller) {
                            maxDiff[i] = Math.max(maxDiff[i], d);
                            sumDiff[i] += d;
                        }
                    }
                    if (smaller) {
                        Classification shifted = cFull.classify(shift(tf.image), name);
                        for (int i = 0; i < labels.size(); i++) {
                            double d = Math.abs(a.probability(labels.get(i)) - shifted.probability(labels.get(i)));
                            maxShift[i] = Math.max(maxShift[i], d);
                            sumShift[i] += d;
                        }
                        maxShiftScore = Math.max(maxShiftScore, Math.abs(a.score() - shifted.score()));
                        sumShiftScore += Math.abs(a.score() - shifted.score());
                        reducedCount++;
                        double ds = Math.abs(a.score() - b.score());
                        maxScore = Math.max(maxScore, ds);
                        sumScore += ds;
                        if (!top(a, labels).equals(top(b, labels))) {
                            topChanged++;
                        }
                        if ((a.score() >= 0.5) != (b.score() >= 0.5)) {
                            thresholdFlips++;
                        }
                    }
                    System.out.printf(Locale.ROOT, "%-34s %11s %11s %9.1f %9.1f %7.4f %7.4f %8.4f%n",
                            shorten(f), tf.image.width() + "x" + tf.image.height(),
                            tr.image.width() + "x" + tr.image.height(), tf.millis, tr.millis, a.score(), b.score(), worst);
                }
                System.out.printf(Locale.ROOT, "%d of %d images decoded smaller.%n", reducedCount, files.size());
                if (reducedCount > 0) {
                    System.out.printf(Locale.ROOT, "  %-10s %28s   %28s%n", "", "reduced vs full decoding", "1-pixel shift (yardstick)");
                    for (int i = 0; i < labels.size(); i++) {
                        System.out.printf(Locale.ROOT, "  P(%-7s)  max |diff| %.4f  mean %.4f   max |diff| %.4f  mean %.4f%n",
                                labels.get(i), maxDiff[i], sumDiff[i] / reducedCount, maxShift[i], sumShift[i] / reducedCount);
                    }
                    System.out.printf(Locale.ROOT, "  score       max |diff| %.4f  mean %.4f   max |diff| %.4f  mean %.4f%n",
                            maxScore, sumScore / reducedCount, maxShiftScore, sumShiftScore / reducedCount);
                    System.out.printf(Locale.ROOT, "  top class changed on %d, score crossed 0.5 on %d of %d%n",
                            topChanged, thresholdFlips, reducedCount);
                }
            }
        }
    }

    private record Timed(RgbImage image, double millis) {
    }

    private static Timed time(ImageDecoder decoder, byte[] bytes, String name) throws Exception {
        RgbImage image = decoder.decode(bytes, name);
        double[] t = new double[3];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            image = decoder.decode(bytes, name);
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return new Timed(image, t[1]);
    }

    /** The image without its first row and column. */
    private static RgbImage shift(RgbImage image) {
        int w = image.width() - 1;
        int h = image.height() - 1;
        byte[] src = image.toByteArray();
        byte[] dst = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, ((y + 1) * image.width() + 1) * 3, dst, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, dst);
    }

    private static String top(Classification c, List<String> labels) {
        String best = labels.get(0);
        for (String l : labels) {
            if (c.probability(l) > c.probability(best)) {
                best = l;
            }
        }
        return best;
    }

    private static String shorten(Path f) {
        Path parent = f.getParent();
        return (parent != null ? parent.getFileName() + "/" : "") + f.getFileName();
    }
}
