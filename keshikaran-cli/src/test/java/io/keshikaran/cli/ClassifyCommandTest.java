package io.keshikaran.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClassifyCommandTest {

    private static Path fixture(String name) {
        return Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "images", name);
    }

    @Test
    void versionIsThePomsAsTheApiReportsIt() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("keshikaran " + System.getProperty("keshikaran.version") + System.lineSeparator());
        assertThat(run.out()).startsWith("keshikaran 0.1.");
    }

    @Test
    void oneFilePrintsTheScoreWithTwoDecimals() {
        CliRun run = CliRun.of(fixture("dog.jpg").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).matches("0\\.\\d\\d\\R");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void severalFilesPrintOneTabSeparatedLineEach() {
        Path a = fixture("dog.jpg");
        Path b = fixture("astronaut.png");
        CliRun run = CliRun.of(a.toString(), b.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches(java.util.regex.Pattern.quote(a.toString()) + "\t[01]\\.\\d\\d");
        assertThat(lines.get(1)).startsWith(b + "\t");
    }

    @Test
    void jsonLinesCarryModelAndProbabilities() throws Exception {
        CliRun run = CliRun.of("--json", "--model", "inception_v3", fixture("dog.jpg").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode node = new ObjectMapper().readTree(run.out().strip());
        assertThat(node.path("file").asText()).endsWith("dog.jpg");
        assertThat(node.path("model").asText()).isEqualTo("inception_v3@nsfwjs-4.4.0");
        assertThat(node.path("probabilities").size()).isEqualTo(5);
        double sum = node.path("probabilities").path("Hentai").asDouble()
                + node.path("probabilities").path("Porn").asDouble()
                + node.path("probabilities").path("Sexy").asDouble();
        assertThat(node.path("score").asDouble()).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-6));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mobilenet_v2_mid", "mobilenet_v2", "inception_v3"})
    void everyBundledModelIsSelectableByNameAndGivesNsfwjssProbabilities(String model) throws Exception {
        CliRun run = CliRun.of("--json", "--model", model, fixture("cat-chelsea.png").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode node = new ObjectMapper().readTree(run.out().strip());
        assertThat(node.path("model").asText()).isEqualTo(model + "@nsfwjs-4.4.0");
        JsonNode nsfwjs = new ObjectMapper().readTree(fixture("cat-chelsea.png").getParent().getParent()
                .resolve("expected/nsfwjs-4.4.0.json").toFile()).path("models").path(model).path("cat-chelsea.png");
        List<String> labels = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
        for (int i = 0; i < labels.size(); i++) {
            assertThat(node.path("probabilities").path(labels.get(i)).asDouble()).as("%s P(%s)", model, labels.get(i))
                    .isCloseTo(nsfwjs.get(i).asDouble(), org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void theDefaultModelIsMobileNetV2Mid() throws Exception {
        CliRun run = CliRun.of("--json", fixture("cat-chelsea.png").toString());
        assertThat(new ObjectMapper().readTree(run.out().strip()).path("model").asText())
                .isEqualTo("mobilenet_v2_mid@nsfwjs-4.4.0");
    }

    @Test
    void unreadableFilesAreReportedAndTheRestIsClassified(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "hello");
        Path missing = dir.resolve("missing.png");
        CliRun run = CliRun.of("--json", text.toString(), fixture("dog.jpg").toString(), missing.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.SOME_FAILED);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(3);
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(lines.get(0)).path("error").asText()).isEqualTo("not an image (the content is text)");
        assertThat(mapper.readTree(lines.get(1)).path("score").isNumber()).isTrue();
        assertThat(mapper.readTree(lines.get(2)).path("error").asText()).isEqualTo("no such file");
        assertThat(run.err()).contains(text + ": not an image").contains(missing + ": no such file");
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void allInputsFailingHasItsOwnExitCode(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("b.gif"), "GIF? no");
        CliRun run = CliRun.of(dir.resolve("a.png").toString(), text.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ALL_FAILED);
        assertThat(run.err()).contains(dir.resolve("a.png") + ": no such file")
                .contains("keshikaran: 2 files, 2 errors");
    }

    @Test
    void anEmptyFolderIsNotAnError(@TempDir Path dir) {
        CliRun run = CliRun.of(dir.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("keshikaran: 0 files, 0 errors");
    }

    @Test
    void thresholdSetsTheExitCode() {
        Path dog = fixture("dog.jpg");
        assertThat(CliRun.of("--threshold", "0", dog.toString()).exitCode()).isEqualTo(ExitCodes.THRESHOLD_REACHED);
        assertThat(CliRun.of("--threshold", "0.99", dog.toString()).exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(CliRun.of("--threshold", "7", dog.toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void badModelIsAModelError(@TempDir Path dir) {
        CliRun run = CliRun.of("--model", dir.resolve("none.onnx").toString(), fixture("dog.jpg").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.MODEL_ERROR);
        assertThat(run.err()).contains("none.onnx: model file not found");
        CliRun unknown = CliRun.of("--model", "resnet", fixture("dog.jpg").toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.MODEL_ERROR);
        assertThat(unknown.err()).contains("unknown model 'resnet'");
    }

    @Test
    void helpDocumentsTheExitCodes() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Exit codes:").contains("Some inputs could not be classified")
                .contains("--json").contains("--model");
    }

    @Test
    void noInputIsAUsageError() {
        assertThat(CliRun.of().exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void foldersAreScannedWithIncludeAndExcludeGlobs(@TempDir Path dir) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("a/b"));
        Files.copy(fixture("dog.jpg"), dir.resolve("dog.jpg"));
        Files.copy(fixture("astronaut.png"), sub.resolve("astronaut.png"));
        Files.copy(fixture("coffee.png"), sub.resolve("skip-me.png"));
        Files.writeString(dir.resolve("notes.txt"), "not an image, and not picked up by default");
        CliRun run = CliRun.of("--exclude", "skip-*", dir.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        // Each folder's files in name order, then its sub-folders.
        assertThat(run.out().lines().map(l -> l.split("\t")[0]).toList())
                .containsExactly(dir.resolve("dog.jpg").toString(), sub.resolve("astronaut.png").toString());
        assertThat(run.err()).contains("keshikaran: 2 files, 0 errors");

        CliRun onlyPng = CliRun.of("--include", "a/**.png", dir.toString());
        assertThat(onlyPng.out().lines().toList()).hasSize(2).allMatch(l -> l.contains(".png\t"));
    }

    @Test
    void filesFromReadsOnePathPerLine(@TempDir Path dir) throws Exception {
        Path list = Files.writeString(dir.resolve("list.txt"),
                fixture("dog.jpg") + "\n\n" + fixture("coffee.png") + "\n" + dir.resolve("gone.jpg") + "\n");
        CliRun run = CliRun.of("--files-from", list.toString(), "--format", "csv");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.SOME_FAILED);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("file,score,Drawing,Hentai,Neutral,Porn,Sexy,error");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith(fixture("dog.jpg") + ",").endsWith(",");
        assertThat(lines.get(3)).isEqualTo(dir.resolve("gone.jpg") + ",,,,,,,no such file");
    }

    @Test
    void completionOrderPrintsEveryInputOnce() {
        Path[] files = {fixture("dog.jpg"), fixture("coffee.png"), fixture("rocket.jpg"), fixture("astronaut.png")};
        String[] args = new String[files.length + 2];
        args[0] = "--order";
        args[1] = "completion";
        for (int i = 0; i < files.length; i++) {
            args[i + 2] = files[i].toString();
        }
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines().map(l -> l.split("\t")[0]).toList())
                .containsExactlyInAnyOrder(java.util.Arrays.stream(files).map(Path::toString).toArray(String[]::new));
    }

    @Test
    void invalidEnumOptionsAreUsageErrors() {
        assertThat(CliRun.of("--format", "xml", fixture("dog.jpg").toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("--order", "random", fixture("dog.jpg").toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
