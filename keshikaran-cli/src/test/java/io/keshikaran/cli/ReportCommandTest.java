package io.keshikaran.cli;

import io.keshikaran.Classifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

class ReportCommandTest {
    private static final Pattern CARD = Pattern.compile(
            "<figure class=\"card( flagged)?\" data-file=\"([^\"]*)\" data-score=\"([^\"]*)\">\\n"
                    + "(<button type=\"button\" class=\"frame blurred\"[^>]*>|<div class=\"frame\">)<img src=\"([^\"]*)\"");
    private static final List<String> IMAGES = List.of("dog.jpg", "astronaut.png", "cartoon-watermill.png",
            "dog-german-shepherd.jpg", "cat-chelsea.png", "horses.jpg");

    private static Classifier classifier;

    @BeforeAll
    static void loadModel() throws Exception {
        classifier = Classifier.builder().build();
    }

    @AfterAll
    static void closeModel() {
        classifier.close();
    }

    private static Path fixture(String name) {
        return Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "images", name);
    }

    private record Card(String file, double score, boolean flagged, boolean blurred, String src) {
        @Override
        public String toString() {
            return file + " " + score + (blurred ? " blurred" : "");
        }
    }

    private static List<Card> cards(String html) {
        List<Card> cards = new ArrayList<>();
        Matcher m = CARD.matcher(html);
        while (m.find()) {
            cards.add(new Card(m.group(2), Double.parseDouble(m.group(3)), m.group(1) != null,
                    m.group(4).startsWith("<button"), m.group(5)));
        }
        return cards;
    }

    /** Copies the fixtures into a folder tree: three at the top, three in a subfolder. */
    private static Map<String, Double> layOut(Path dir) throws Exception {
        Map<String, Double> expected = new LinkedHashMap<>();
        Files.createDirectories(dir.resolve("sub/deeper"));
        for (int i = 0; i < IMAGES.size(); i++) {
            String relative = (i < 3 ? "" : i < 5 ? "sub/" : "sub/deeper/") + IMAGES.get(i);
            Path copy = Files.copy(fixture(IMAGES.get(i)), dir.resolve(relative));
            expected.put(relative, classifier.classify(copy).score());
        }
        return expected;
    }

    @Test
    void reportShowsEveryImageByScoreAndBlursThoseAtOrAboveTheThreshold(@TempDir Path dir, @TempDir Path outDir)
            throws Exception {
        Map<String, Double> expected = layOut(dir);
        Files.writeString(dir.resolve("sub/broken.jpg"), "this is text, not a JPEG");
        Files.writeString(dir.resolve("notes.txt"), "not an image, and not named like one");
        Files.createDirectories(dir.resolve(".thumbnails"));
        Files.copy(fixture("rocket.jpg"), dir.resolve(".thumbnails/rocket.jpg"));
        // A threshold between the third and fourth highest real scores, so both kinds appear.
        List<Double> scores = expected.values().stream().sorted(Comparator.reverseOrder()).toList();
        double threshold = (scores.get(2) + scores.get(3)) / 2;
        Path out = outDir.resolve("report.html");

        CliRun run = CliRun.of("report", dir.toString(), "-o", out.toString(), "--blur-at", Double.toString(threshold));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(run.err()).contains("broken.jpg: not an image (the content is text)");
        assertThat(run.out()).contains("6 images, 3 at or above").contains("1 could not be read");
        String html = Files.readString(out);
        List<Card> cards = cards(html);
        assertThat(cards).extracting(Card::file).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(cards).extracting(Card::score).isSortedAccordingTo(Comparator.reverseOrder());
        for (Card card : cards) {
            assertThat(card.score()).as(card.file()).isEqualTo(expected.get(card.file()));
            boolean high = card.score() >= threshold;
            assertThat(card.flagged()).as(card.file()).isEqualTo(high);
            assertThat(card.blurred()).as(card.file()).isEqualTo(high);
        }
        assertThat(cards).filteredOn(Card::blurred).hasSize(3);
        assertThat(html).containsPattern("<tr class=\"failure\"><td class=\"file\">sub/broken.jpg</td>"
                + "<td class=\"reason\">not an image \\(the content is text\\)</td></tr>");
        assertThat(html).doesNotContain("rocket.jpg").doesNotContain("notes.txt");
    }

    @Test
    void reportIsSelfContainedWithSmallJpegThumbnails(@TempDir Path dir, @TempDir Path outDir) throws Exception {
        layOut(dir);
        Path out = outDir.resolve("report.html");
        CliRun run = CliRun.of("report", dir.toString(), "-o", out.toString());
        assertThat(run.exitCode()).isIn(ExitCodes.OK, ExitCodes.THRESHOLD_REACHED);
        String html = Files.readString(out);

        assertThat(html).doesNotContainPattern("(?i)(src|href)=\"(?!data:)").doesNotContain("<link")
                .doesNotContain("url(").doesNotContainPattern("(?i)https?://");
        assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
        List<Card> cards = cards(html);
        assertThat(cards).hasSize(IMAGES.size());
        for (Card card : cards) {
            assertThat(card.src()).startsWith("data:image/jpeg;base64,");
            byte[] jpeg = Base64.getDecoder().decode(card.src().substring("data:image/jpeg;base64,".length()));
            BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertThat(thumb).as(card.file()).isNotNull();
            BufferedImage original = ImageIO.read(dir.resolve(card.file()).toFile());
            int originalSide = Math.max(original.getWidth(), original.getHeight());
            assertThat(Math.max(thumb.getWidth(), thumb.getHeight())).as(card.file())
                    .isEqualTo(Math.min(Thumbnails.MAX_SIDE, originalSide));
        }
        assertThat(Files.getPosixFilePermissions(out)).contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
    }

    @Test
    void exitCodeSaysWhetherAnImageReachedTheThresholdOnlyWhenAsked(@TempDir Path dir, @TempDir Path outDir)
            throws Exception {
        Files.copy(fixture("dog.jpg"), dir.resolve("dog.jpg"));
        Path out = outDir.resolve("r.html");
        // Blurring is display only: a written report exits 0 however many images are blurred.
        assertThat(CliRun.of("report", dir.toString(), "-o", out.toString(), "--blur-at", "0").exitCode())
                .isEqualTo(ExitCodes.OK);
        assertThat(cards(Files.readString(out))).singleElement().extracting(Card::blurred).isEqualTo(true);
        assertThat(CliRun.of("report", dir.toString(), "-o", out.toString(), "--threshold", "0").exitCode())
                .isEqualTo(ExitCodes.THRESHOLD_REACHED);
        double score = classifier.classify(fixture("dog.jpg")).score();
        String above = Double.toString(Math.min(1.0, Math.nextUp(score)));
        assertThat(CliRun.of("report", dir.toString(), "-o", out.toString(), "--threshold", above).exitCode())
                .isEqualTo(ExitCodes.OK);
        assertThat(cards(Files.readString(out))).singleElement().extracting(Card::blurred).isEqualTo(false);
    }

    @Test
    void reportEmbedsItsResultsAsJsonForTools(@TempDir Path dir, @TempDir Path outDir) throws Exception {
        Map<String, Double> expected = layOut(dir);
        Files.writeString(dir.resolve("sub/broken.jpg"), "this is text, not a JPEG");
        Path out = outDir.resolve("r.html");
        CliRun.of("report", dir.toString(), "-o", out.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "<script type=\"application/json\" id=\"keshikaran-results\">(.*?)</script>",
                java.util.regex.Pattern.DOTALL).matcher(Files.readString(out));
        assertThat(m.find()).isTrue();
        com.fasterxml.jackson.databind.JsonNode results = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.group(1));
        assertThat(results).hasSize(expected.size() + 1);
        for (com.fasterxml.jackson.databind.JsonNode r : results) {
            String file = r.path("file").asText();
            if (file.equals("sub/broken.jpg")) {
                assertThat(r.path("score").isNull()).isTrue();
                assertThat(r.path("error").asText()).isEqualTo("not an image (the content is text)");
                assertThat(r.path("kind").asText()).isEqualTo("not_an_image");
            } else {
                assertThat(r.path("score").asDouble()).as(file).isEqualTo(expected.get(file));
                assertThat(r.path("probabilities").size()).isEqualTo(5);
                assertThat(r.path("error").isNull()).isTrue();
            }
        }
    }

    @Test
    void reportScansWithTheSameGlobsAsClassify(@TempDir Path dir, @TempDir Path outDir) throws Exception {
        layOut(dir);
        Files.copy(fixture("dog.jpg"), dir.resolve("dog.image"));
        Path out = outDir.resolve("r.html");
        CliRun.of("report", dir.toString(), "-o", out.toString(), "--include", "*.image", "--include", "*.png",
                "--exclude", "sub/deeper/**");
        CliRun classify = CliRun.of("--format", "csv", "--include", "*.image", "--include", "*.png",
                "--exclude", "sub/deeper/**", dir.toString());
        List<String> classified = classify.out().lines().skip(1)
                .map(l -> dir.relativize(Path.of(l.substring(0, l.indexOf(',')))).toString()).sorted().toList();
        assertThat(cards(Files.readString(out))).extracting(Card::file).containsExactlyInAnyOrderElementsOf(classified)
                .contains("dog.image").noneMatch(f -> f.startsWith("sub/deeper/"));
    }

    @Test
    void onlyBrokenImagesIsAllFailedButStillWritesTheReport(@TempDir Path dir, @TempDir Path outDir) throws Exception {
        Files.write(dir.resolve("half.jpg"), java.util.Arrays.copyOf(Files.readAllBytes(fixture("dog.jpg")), 2000));
        Path out = outDir.resolve("r.html");
        CliRun run = CliRun.of("report", dir.toString(), "-o", out.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ALL_FAILED);
        String html = Files.readString(out);
        assertThat(cards(html)).isEmpty();
        assertThat(html).contains("<td class=\"file\">half.jpg</td>").contains("No image could be classified");
    }

    @Test
    void emptyFolderWritesAnEmptyReportAndSaysSo(@TempDir Path dir, @TempDir Path outDir) {
        Path out = outDir.resolve("r.html");
        CliRun run = CliRun.of("report", dir.toString(), "-o", out.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(out).exists();
        assertThat(run.err()).contains("no images found under " + dir);
    }

    @Test
    void badArgumentsAreUsageErrors(@TempDir Path dir) {
        CliRun missing = CliRun.of("report", dir.resolve("nope").toString(), "-o", dir.resolve("r.html").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("nope: no such folder");
        CliRun badThreshold = CliRun.of("report", dir.toString(), "--threshold", "2", "-o", dir.resolve("r.html").toString());
        assertThat(badThreshold.exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun noFolderForOutput = CliRun.of("report", dir.toString(), "-o", dir.resolve("no/such/r.html").toString());
        assertThat(noFolderForOutput.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noFolderForOutput.err()).contains("its folder does not exist");
    }

    @Test
    void unloadableModelIsAModelError(@TempDir Path dir) throws Exception {
        Files.copy(fixture("dog.jpg"), dir.resolve("dog.jpg"));
        CliRun run = CliRun.of("report", dir.toString(), "-o", dir.resolve("r.html").toString(),
                "--model", dir.resolve("none.onnx").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.MODEL_ERROR);
        assertThat(run.err()).contains("none.onnx");
    }

    @Test
    void classifyingStillNeedsAFileNowThatSubcommandsExist() {
        CliRun run = CliRun.of();
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Missing required parameter: 'FILE'");
        assertThat(CliRun.of("--help").out()).contains("report");
    }
}
