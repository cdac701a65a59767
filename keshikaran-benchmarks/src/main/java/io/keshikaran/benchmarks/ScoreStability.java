package io.keshikaran.benchmarks;

import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelDescription;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.preprocess.ResizeMethod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Score stability across resolutions (issue 11): each photo is scored at full size and at 1/2 and
 * 1/4 size (made by tools/bench/score-stability.sh with an antialiasing filter), through several
 * downsizing chains; for each chain, the median and maximum |score(1/2) - score(1)| and
 * |score(1/4) - score(1)| over the photos.
 *
 * <pre>
 * java -cp keshikaran-benchmarks/target/benchmarks.jar io.keshikaran.benchmarks.ScoreStability DIR [MODEL]
 * </pre>
 * DIR holds {@code full/}, {@code half/} and {@code quarter/} with the same file names.
 */
public final class ScoreStability {
    private ScoreStability() {
    }

    private record Chain(String name, DecodeOptions decode, ResizeMethod resize) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String model = args.length > 1 ? args[1] : "mobilenet_v2_mid";
        DecodeOptions reduced = DecodeOptions.builder().optMaxFrames(1).build();
        DecodeOptions full = reduced.toBuilder().optResolution(DecodeOptions.Resolution.FULL).build();
        DecodeOptions javaReduced = reduced.toBuilder().optDecoder(DecodeOptions.Decoder.JAVA).build();
        List<Chain> chains = List.of(
                new Chain("full decode + bilinear (nsfwjs, fidelity mode)", full, null),
                new Chain("ImageIO subsampled decode + bilinear (previous default)", javaReduced, null),
                new Chain("DCT-scaled decode + bilinear (default)", reduced, null),
                new Chain("full decode + antialiased resize (Pillow bilinear)", full, ResizeMethod.BILINEAR),
                new Chain("DCT-scaled decode + antialiased resize", reduced, ResizeMethod.BILINEAR),
                new Chain("full decode + antialiased bicubic (Pillow bicubic)", full, ResizeMethod.BICUBIC),
                new Chain("DCT-scaled decode + antialiased bicubic", reduced, ResizeMethod.BICUBIC));
        List<String> names = new ArrayList<>();
        try (var files = Files.list(dir.resolve("full"))) {
            files.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
        }
        System.out.printf(Locale.ROOT, "%d photos, model %s%n%n", names.size(), model);
        System.out.println("| chain | median \\|Δ\\| ½ | max \\|Δ\\| ½ | median \\|Δ\\| ¼ | max \\|Δ\\| ¼ | worst file "
                + "| mean \\|score − nsfwjs chain's\\| at full size |");
        System.out.println("|---|---|---|---|---|---|---|");
        ModelDescription base;
        try (Classifier c = Classifier.builder().optModel(model).build()) {
            base = c.description();
        }
        double[] reference = null;
        for (Chain chain : chains) {
            Classifier.Builder b = Classifier.builder().optModel(model).optDecodeOptions(chain.decode);
            if (chain.resize != null) {
                b.optModelDescription(base.toBuilder()
                        .setPreprocessing(base.preprocessing().toBuilder().optResize(chain.resize).build()).build());
            }
            double[] half = new double[names.size()];
            double[] quarter = new double[names.size()];
            double[] atFull = new double[names.size()];
            String worst = "";
            double worstDelta = -1;
            try (Classifier c = b.build()) {
                for (int i = 0; i < names.size(); i++) {
                    String n = names.get(i);
                    double s1 = score(c, dir.resolve("full").resolve(n));
                    atFull[i] = s1;
                    half[i] = Math.abs(score(c, dir.resolve("half").resolve(n)) - s1);
                    quarter[i] = Math.abs(score(c, dir.resolve("quarter").resolve(n)) - s1);
                    if (Math.max(half[i], quarter[i]) > worstDelta) {
                        worstDelta = Math.max(half[i], quarter[i]);
                        worst = String.format(Locale.ROOT, "%s (%.3f)", n, worstDelta);
                    }
                }
            }
            if (reference == null) {
                reference = atFull; // the first chain is nsfwjs's own
            }
            double shift = 0;
            for (int i = 0; i < atFull.length; i++) {
                shift += Math.abs(atFull[i] - reference[i]) / atFull.length;
            }
            System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %s | %.4f |%n", chain.name,
                    median(half), max(half), median(quarter), max(quarter), worst, shift);
        }
    }

    private static double score(Classifier c, Path file) throws InvalidImageException {
        return c.classify(file).score();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
