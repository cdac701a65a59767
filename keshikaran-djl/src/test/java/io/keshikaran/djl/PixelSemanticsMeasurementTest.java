package io.keshikaran.djl;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures how the model's output moves with the pixel-semantics choices, and checks that the
 * defaults are the choices the measurement favours. The printed tables are the numbers in
 * docs/images.md.
 *
 * <p>Transparency: fixtures/formats/alpha holds opaque originals and RGBA copies with a controlled
 * transparent area (a frame, a soft-edged cut-out, a left-to-right fade) whose stored colour under
 * fully transparent pixels is black. The reference is the model's output on the opaque original:
 * the fill that disturbs it least is the best default.
 *
 * <p>Orientation: every photo in fixtures/images turned a quarter (what a phone's EXIF 6/8 file
 * stores) against upright, which is what applying the tag restores.
 */
class PixelSemanticsMeasurementTest {
    private static final List<String> MODELS = List.of("mobilenet_v2", "inception_v3");
    private static final Map<String, Classifier> CLASSIFIERS = new LinkedHashMap<>();

    /** The choices compared, as decode options. */
    private static final Map<String, DecodeOptions> TRANSPARENCY = new LinkedHashMap<>();

    static {
        DecodeOptions.Transparency composite = DecodeOptions.Transparency.COMPOSITE;
        DecodeOptions.Transparency fill = DecodeOptions.Transparency.FILL_TRANSPARENT;
        TRANSPARENCY.put("composite-white", options(composite, 0xFFFFFF));
        TRANSPARENCY.put("composite-gray", options(composite, 0x808080));
        TRANSPARENCY.put("composite-black", options(composite, 0x000000));
        TRANSPARENCY.put("stored", options(DecodeOptions.Transparency.KEEP_STORED_COLOR, 0));
        TRANSPARENCY.put("fill-white", options(fill, 0xFFFFFF));
        TRANSPARENCY.put("fill-gray", options(fill, 0x808080));
    }

    private static DecodeOptions options(DecodeOptions.Transparency transparency, int background) {
        return DecodeOptions.builder().optTransparency(transparency).optBackground(background).build();
    }

    @BeforeAll
    static void load() throws Exception {
        for (String model : MODELS) {
            CLASSIFIERS.put(model, Classifier.builder().optModel(model).optEngine("onnxruntime").build());
        }
    }

    @AfterAll
    static void close() {
        CLASSIFIERS.values().forEach(Classifier::close);
    }

    /** Total variation distance between two probability maps: half the L1 distance, 0..1. */
    static double distance(Classification a, Classification b) {
        double sum = 0;
        for (String label : a.probabilities().keySet()) {
            sum += Math.abs(a.probability(label) - b.probability(label));
        }
        return sum / 2;
    }

    private record Stats(double meanScoreDelta, double maxScoreDelta, double meanDistance, int topLabelChanges, int n) {
        static Stats of(List<double[]> rows) {
            double sumScore = 0;
            double maxScore = 0;
            double sumDist = 0;
            int changes = 0;
            for (double[] r : rows) {
                sumScore += r[0];
                maxScore = Math.max(maxScore, r[0]);
                sumDist += r[1];
                changes += (int) r[2];
            }
            return new Stats(sumScore / rows.size(), maxScore, sumDist / rows.size(), changes, rows.size());
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "mean |Δscore| %.4f, max |Δscore| %.4f, mean TV distance %.4f, top label changed %d/%d",
                    meanScoreDelta, maxScoreDelta, meanDistance, topLabelChanges, n);
        }
    }

    @Test
    void fillingTransparentPixelsWithWhiteAgreesBestWithTheOpaqueOriginals() throws Exception {
        Path alpha = Fixtures.root().resolve("formats/alpha");
        List<Path> transparent;
        try (Stream<Path> files = Files.list(alpha)) {
            transparent = files.filter(p -> p.getFileName().toString().matches(".*-(frame|cutout|fade)\\.png")).sorted().toList();
        }
        assertThat(transparent).hasSizeGreaterThanOrEqualTo(24);
        StringBuilder report = new StringBuilder("Transparency: model output on the RGBA fixture vs on its opaque original ("
                + transparent.size() + " fixtures)\n");
        Map<String, Map<String, Stats>> summaries = new LinkedHashMap<>();
        for (String model : MODELS) {
            Classifier classifier = CLASSIFIERS.get(model);
            Map<String, Map<String, List<double[]>>> rows = new LinkedHashMap<>();
            for (Path file : transparent) {
                String name = file.getFileName().toString();
                String pattern = name.substring(name.lastIndexOf('-') + 1, name.length() - 4);
                Path original = alpha.resolve(name.substring(0, name.lastIndexOf('-')) + ".png");
                Classification truth = classifier.classify(original);
                for (Map.Entry<String, DecodeOptions> choice : TRANSPARENCY.entrySet()) {
                    RgbImage pixels = new ImageDecoder(ImageLimits.defaults(), choice.getValue()).decode(file);
                    Classification c = classifier.classify(pixels, name);
                    double[] row = {Math.abs(c.score() - truth.score()), distance(c, truth),
                        c.topLabel().equals(truth.topLabel()) ? 0 : 1};
                    rows.computeIfAbsent(choice.getKey(), k -> new LinkedHashMap<>())
                            .computeIfAbsent("all", k -> new ArrayList<>()).add(row);
                    rows.get(choice.getKey()).computeIfAbsent(pattern, k -> new ArrayList<>()).add(row);
                }
            }
            report.append(model).append(":\n");
            Map<String, Stats> overall = new LinkedHashMap<>();
            rows.forEach((choice, byPattern) -> {
                byPattern.forEach((pattern, list) -> report.append(String.format(Locale.ROOT, "  %-15s %-6s %s%n",
                        choice, pattern, Stats.of(list))));
                overall.put(choice, Stats.of(byPattern.get("all")));
            });
            summaries.put(model, overall);
        }
        System.out.print(report);
        // The default must be the choice that moves the output least, for both models and measures.
        summaries.forEach((model, overall) -> {
            Stats best = overall.get("fill-white");
            overall.forEach((choice, stats) -> {
                assertThat(best.meanDistance()).as("%s: fill-white vs %s (TV distance)", model, choice)
                        .isLessThanOrEqualTo(stats.meanDistance());
                assertThat(best.meanScoreDelta()).as("%s: fill-white vs %s (score)", model, choice)
                        .isLessThanOrEqualTo(stats.meanScoreDelta());
            });
        });
        assertThat(DecodeOptions.defaults().background()).isEqualTo(0xFFFFFF);
        assertThat(DecodeOptions.defaults().transparency()).isEqualTo(DecodeOptions.Transparency.FILL_TRANSPARENT);
    }

    @Test
    void sidewaysPhotosMoveTheOutputWhichAppliedOrientationAvoids() throws Exception {
        List<Path> photos;
        try (Stream<Path> files = Files.list(Fixtures.root().resolve("images"))) {
            photos = files.filter(p -> p.toString().matches(".*\\.(png|jpg)$")).sorted().toList();
        }
        StringBuilder report = new StringBuilder("Orientation: model output on a photo turned 90° (stored as EXIF 6 files are) vs upright ("
                + photos.size() + " photos)\n");
        ImageDecoder decoder = ImageDecoder.withDefaults();
        for (String model : MODELS) {
            Classifier classifier = CLASSIFIERS.get(model);
            List<double[]> rows = new ArrayList<>();
            for (Path photo : photos) {
                RgbImage upright = decoder.decode(photo);
                Classification truth = classifier.classify(upright, photo.toString());
                Classification sideways = classifier.classify(rotate90(upright), photo.toString());
                rows.add(new double[] {Math.abs(sideways.score() - truth.score()), distance(sideways, truth),
                    sideways.topLabel().equals(truth.topLabel()) ? 0 : 1});
            }
            Stats stats = Stats.of(rows);
            report.append(String.format(Locale.ROOT, "  %s: ignoring the tag: %s; applying it: 0 by construction%n", model, stats));
            // Ignoring orientation visibly changes what the model says; applying it restores upright.
            assertThat(stats.meanDistance()).isGreaterThan(0.01);
        }
        System.out.print(report);
        assertThat(DecodeOptions.defaults().orientation()).isEqualTo(DecodeOptions.Orientation.APPLY);
    }

    /** The image turned a quarter clockwise. */
    static RgbImage rotate90(RgbImage image) {
        int w = image.width();
        int h = image.height();
        byte[] src = image.toByteArray();
        byte[] out = new byte[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int d = (x * h + (h - 1 - y)) * 3;
                int s = (y * w + x) * 3;
                out[d] = src[s];
                out[d + 1] = src[s + 1];
                out[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(h, w, out);
    }
}
