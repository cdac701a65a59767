package io.keshikaran.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code keshikaran calibrate} end to end on a real labelled task the nsfwjs models were trained
 * for: drawings (positive) against photos (negative) from fixtures/images, scored by the Drawing
 * probability. There are no explicit images in this repository, so this checks the plumbing and the
 * numbers on a task the models genuinely do, not NSFW accuracy.
 */
class CalibrateCommandTest {
    /** The fixtures that are drawings or illustrations (fixtures/SOURCES.md); the others are photos. */
    static final List<String> DRAWINGS = List.of("cartoon-tree-owls.png", "cartoon-watermill.png", "dog-cartoon.png",
            "gift-clipart.png", "horse-silhouette.png", "wallpaper-spacefun.jpg");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path data;
    static Path drawings;
    static Path photos;
    /** Drawing probability per fixture, from the library directly (mobilenet_v2). */
    static final Map<String, Double> drawingScore = new HashMap<>();

    static Path fixtures() {
        return Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "images");
    }

    @BeforeAll
    static void layOut() throws Exception {
        drawings = Files.createDirectories(data.resolve("drawings"));
        photos = Files.createDirectories(data.resolve("photos"));
        try (var files = Files.list(fixtures()); Classifier classifier = Classifier.builder().optModel("mobilenet_v2").build()) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                Path copy = Files.copy(f, (DRAWINGS.contains(name) ? drawings : photos).resolve(name));
                Classification c = classifier.classify(copy);
                drawingScore.put(copy.toString(), (double) c.probability("Drawing"));
            }
        }
        assertThat(drawingScore).hasSize(21);
    }

    /** ROC AUC by its definition: the share of (positive, negative) pairs ordered right, ties counting half. */
    static double pairwiseAuc(Map<String, Double> scores, Path positiveDir) {
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        scores.forEach((file, s) -> (file.startsWith(positiveDir.toString()) ? pos : neg).add(s));
        double wins = 0;
        for (double p : pos) {
            for (double n : neg) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / (pos.size() * neg.size());
    }

    @Test
    void comparesModelsAndFormulasInJsonWritesPageAndThresholds(@TempDir Path out) throws Exception {
        Path broken = Files.writeString(photos.resolve("zz-broken.jpg"), "not a JPEG");
        Path page = out.resolve("calibration.html");
        Path props = out.resolve("thresholds.properties");
        try {
            CliRun run = CliRun.of("calibrate", "--positive", drawings.toString(), "--negative", photos.toString(),
                    "--model", "mobilenet_v2,mobilenet_v2_mid", "--score-labels", "Drawing,Drawing+Hentai",
                    "--review-recall", "0.8", "--reject-precision", "0.9", "--bootstrap", "300", "--json",
                    "-o", page.toString(), "--save-thresholds", props.toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.SOME_FAILED);
            assertThat(run.err()).contains(broken.toString()).contains("wrote " + page).contains("wrote " + props);
            JsonNode json = MAPPER.readTree(run.out());

            assertThat(json.get("images").get("scored").asInt()).isEqualTo(21);
            assertThat(json.get("errors")).hasSize(1);
            assertThat(json.get("errors").get(0).get("input").asText()).isEqualTo(broken.toString());
            assertThat(json.get("bootstrap").get("resamples").asInt()).isEqualTo(300);
            JsonNode results = json.get("results");
            assertThat(results).hasSize(4);
            List<String> combos = new ArrayList<>();
            results.forEach(r -> combos.add(r.get("model").asText() + " " + r.get("formula").asText()));
            assertThat(combos).containsExactly("mobilenet_v2 Drawing", "mobilenet_v2 Drawing+Hentai",
                    "mobilenet_v2_mid Drawing", "mobilenet_v2_mid Drawing+Hentai");

            JsonNode first = results.get(0);
            assertThat(first.get("positives").asInt()).isEqualTo(6);
            assertThat(first.get("negatives").asInt()).isEqualTo(15);
            // The same AUC as the library's own scores give, counted pair by pair.
            double auc = first.get("roc_auc").get("estimate").asDouble();
            assertThat(auc).isCloseTo(pairwiseAuc(drawingScore, drawings), within(1e-9));
            assertThat(auc).as("drawings vs photos is a task the model does, better than chance").isGreaterThan(0.6);
            for (JsonNode r : results) {
                for (String metric : List.of("roc_auc", "average_precision")) {
                    JsonNode ci = r.get(metric);
                    assertThat(ci.get("lower").asDouble()).isLessThanOrEqualTo(ci.get("upper").asDouble());
                    assertThat(ci.get("lower").asDouble()).isBetween(0.0, 1.0);
                    assertThat(ci.get("upper").asDouble()).isBetween(0.0, 1.0);
                }
                JsonNode roc = r.get("roc");
                assertThat(roc.get("fpr").size()).isEqualTo(roc.get("tpr").size()).isEqualTo(roc.get("thresholds").size());
                assertThat(roc.get("thresholds").get(0).isNull()).as("+infinity is null").isTrue();
                assertThat(roc.get("fpr").get(roc.get("fpr").size() - 1).asDouble()).isEqualTo(1.0);
                assertThat(r.get("pr").get("precision").size()).isEqualTo(r.get("pr").get("recall").size());
            }

            // The review point reaches the recall target; the reject point reaches the precision target.
            JsonNode review = first.get("review");
            assertThat(review.get("recall").asDouble()).isGreaterThanOrEqualTo(0.8);
            assertThat(review.get("tp").asInt() + review.get("fn").asInt()).isEqualTo(6);
            double reviewAt = review.get("threshold").asDouble();
            long flagged = drawingScore.values().stream().filter(s -> s >= reviewAt).count();
            assertThat(review.get("tp").asInt() + review.get("fp").asInt()).isEqualTo((int) flagged);
            JsonNode reject = first.get("reject");
            if (!reject.get("threshold").isNull()) {
                assertThat(reject.get("precision").asDouble()).isGreaterThanOrEqualTo(0.9);
                assertThat(reject.get("threshold").asDouble()).isGreaterThanOrEqualTo(reviewAt);
            }
            // Misclassified at the review threshold: negatives at or above it, positives below it, worst first.
            int expectedMisses = 0;
            for (Map.Entry<String, Double> e : drawingScore.entrySet()) {
                boolean positive = e.getKey().startsWith(drawings.toString());
                if (positive != e.getValue() >= reviewAt) {
                    expectedMisses++;
                }
            }
            assertThat(first.get("misclassified_count").asInt()).isEqualTo(expectedMisses);
            assertThat(first.get("misclassified")).isNotEmpty();
            double previous = Double.MAX_VALUE;
            for (JsonNode m : first.get("misclassified")) {
                double s = m.get("score").asDouble();
                // The shared decode gives the very score the library gives for the file.
                assertThat(s).isCloseTo(drawingScore.get(m.get("file").asText()), within(1e-6));
                double wrongness = m.get("label").asText().equals("positive") ? 1 - s : s;
                assertThat(wrongness).isLessThanOrEqualTo(previous);
                previous = wrongness;
            }

            // The thresholds file is the first model and formula, readable as Java properties.
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(props)) {
                p.load(r);
            }
            assertThat(p.getProperty("keshikaran.model")).isEqualTo("mobilenet_v2");
            assertThat(p.getProperty("keshikaran.score-labels")).isEqualTo("Drawing");
            assertThat(Double.parseDouble(p.getProperty("keshikaran.review-threshold"))).isEqualTo(reviewAt);
            JsonNode recommended = json.get("recommended");
            assertThat(recommended.get("keshikaran.review-threshold").asDouble()).isEqualTo(reviewAt);
            if (!reject.get("threshold").isNull()) {
                assertThat(Double.parseDouble(p.getProperty("keshikaran.reject-threshold"))).isEqualTo(reject.get("threshold").asDouble());
            }

            // The page: two charts with a curve per model and formula, the table, thumbnails of the misclassified.
            String html = Files.readString(page);
            assertThat(count(html, "<polyline class=\"curve\"")).isEqualTo(8);
            assertThat(count(html, "<tr data-model=")).isEqualTo(4);
            int shown = 0;
            for (JsonNode r : results) {
                shown += r.get("misclassified").size();
            }
            assertThat(count(html, "<figure class=\"miss\"")).isEqualTo(shown);
            assertThat(count(html, "<img src=\"data:image/jpeg;base64,")).isEqualTo(shown);
            assertThat(html).contains("zz-broken.jpg").doesNotContain("http://", "https://");
        } finally {
            Files.delete(broken);
        }
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void textTableByDefaultAndJsonThresholdsFile(@TempDir Path out) throws Exception {
        Path thresholds = out.resolve("thresholds.json");
        CliRun run = CliRun.of("calibrate", "--positive", drawings.toString(), "--negative", photos.toString(),
                "--model", "mobilenet_v2", "--score-labels", "Drawing", "--bootstrap", "50",
                "--save-thresholds", thresholds.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("21 images scored").contains("mobilenet_v2  score Drawing  (6 positive, 15 negative)")
                .contains("ROC AUC").contains("review at >= ");
        JsonNode t = MAPPER.readTree(thresholds.toFile());
        assertThat(t.get("keshikaran.model").asText()).isEqualTo("mobilenet_v2");
        assertThat(t.get("keshikaran.review-threshold").isNumber()).isTrue();
        assertThat(t.has("keshikaran.reject-threshold")).isTrue();
    }

    @Test
    void labelsFileCsvAndJsonlWithBadLinesGoOn(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("labels.csv");
        StringBuilder lines = new StringBuilder("path,label\n");
        for (String name : List.of("cartoon-watermill.png", "dog-cartoon.png", "gift-clipart.png")) {
            lines.append(drawings.resolve(name)).append(",1\n");
        }
        lines.append('"').append(photos.resolve("dog.jpg")).append("\",negative\n");
        lines.append(photos.resolve("flower.jpg")).append(",false\n");
        lines.append("missing.jpg,0\n");
        lines.append(photos.resolve("coffee.png")).append(",maybe\n");
        Files.writeString(csv, lines);
        CliRun run = CliRun.of("calibrate", "--labels-from", csv.toString(), "--model", "mobilenet_v2",
                "--score-labels", "Drawing", "--bootstrap", "50", "--json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(run.err()).contains(csv + ":8: unknown label 'maybe'").contains("missing.jpg");
        JsonNode json = MAPPER.readTree(run.out());
        assertThat(json.get("images").get("scored").asInt()).isEqualTo(5);
        assertThat(json.get("errors")).hasSize(2);
        assertThat(json.get("results").get(0).get("positives").asInt()).isEqualTo(3);

        Path jsonl = dir.resolve("labels.jsonl");
        Files.writeString(jsonl, "{\"path\": \"" + drawings.resolve("dog-cartoon.png") + "\", \"label\": true}\n"
                + "{\"path\": \"" + photos.resolve("horses.jpg") + "\", \"label\": 0}\n" + "not json\n");
        run = CliRun.of("calibrate", "--labels-from", jsonl.toString(), "--model", "mobilenet_v2",
                "--score-labels", "Drawing", "--bootstrap", "50", "--json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(run.err()).contains(jsonl + ":3: not JSON");
        assertThat(MAPPER.readTree(run.out()).get("results").get(0).get("roc_auc").get("estimate").asDouble())
                .isCloseTo(drawingScore.get(drawings.resolve("dog-cartoon.png").toString())
                        > drawingScore.get(photos.resolve("horses.jpg").toString()) ? 1.0 : 0.0, within(1e-12));
    }

    @Test
    void missingOrEmptyFolderIsReportedAndOneClassOnlyIsAClearError(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun run = CliRun.of("calibrate", "--positive", dir.resolve("nope").toString(), "--positive", empty.toString(),
                "--negative", photos.toString(), "--model", "mobilenet_v2", "--score-labels", "Drawing", "--json",
                "--bootstrap", "50", "-o", dir.resolve("page.html").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.ALL_FAILED);
        assertThat(run.err()).contains("--positive " + dir.resolve("nope") + ": no such folder")
                .contains("--positive " + empty + ": no images found")
                .contains("only negative images could be scored (15)");
        JsonNode json = MAPPER.readTree(run.out());
        assertThat(json.get("results").get(0).get("error").asText()).contains("need both classes");
        assertThat(json.has("recommended")).isFalse();
        assertThat(Files.readString(dir.resolve("page.html"))).contains("need both classes");
    }

    @Test
    void unknownScoreLabelSkipsTheFormulaAndBadOptionsAreUsageErrors() {
        CliRun run = CliRun.of("calibrate", "--positive", drawings.toString(), "--negative", photos.toString(),
                "--model", "mobilenet_v2", "--score-labels", "Drawing,Nudity", "--bootstrap", "50", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("has no label Nudity");
        assertThat(CliRun.of("calibrate").exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun bad = CliRun.of("calibrate", "--positive", drawings.toString(), "--review-recall", "1.5");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("within 0..1");
    }
}
