package io.keshikaran.examples;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.cli.ExitCodes;
import io.keshikaran.cli.Main;
import io.keshikaran.eval.ThresholdsFile;
import io.keshikaran.examples.ModerationGate.Decision;
import io.keshikaran.examples.ModerationGate.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModerationGateTest {
    private static final List<String> IMAGES = List.of("dog.jpg", "dog-german-shepherd.jpg", "cartoon-watermill.png",
            "cat-chelsea.png", "astronaut.png", "grace-hopper.jpg", "flower.jpg");

    private static Classifier classifier;

    @BeforeAll
    static void loadModel() throws Exception {
        classifier = Classifier.builder().build();
    }

    @AfterAll
    static void closeModel() {
        classifier.close();
    }

    @Test
    void sortsRealImagesIntoTheBucketTheirScoreFallsIn() throws Exception {
        try (ModerationGate gate = new ModerationGate(classifier, 0.4, 0.8)) {
            for (String name : IMAGES) {
                Path image = Fixtures.image(name);
                Verdict v = gate.check(image);
                double score = v.classification().orElseThrow().score();
                assertThat(score).as(name).isEqualTo(classifier.classify(image).score());
                Decision expected = score >= 0.8 ? Decision.REJECT : score >= 0.4 ? Decision.REVIEW : Decision.ACCEPT;
                assertThat(v.decision()).as(name + " scored " + score).isEqualTo(expected);
                assertThat(v.error()).isEmpty();
            }
        }
    }

    @Test
    void thresholdsAreInclusiveLowerBounds() throws Exception {
        Path image = Fixtures.image("dog-german-shepherd.jpg");
        double score = classifier.classify(image).score();
        assertThat(new ModerationGate(classifier, score, 1).check(image).decision()).isEqualTo(Decision.REVIEW);
        assertThat(new ModerationGate(classifier, Math.nextUp(score), 1).check(image).decision()).isEqualTo(Decision.ACCEPT);
        assertThat(new ModerationGate(classifier, 0, score).check(image).decision()).isEqualTo(Decision.REJECT);
        assertThat(new ModerationGate(classifier, 0, Math.nextUp(score)).check(image).decision()).isEqualTo(Decision.REVIEW);
    }

    @Test
    void imagesThatCannotBeCheckedAreRejectedWithTheReason() {
        ModerationGate gate = new ModerationGate(classifier, 0.4, 0.8);
        Verdict truncated = gate.check(Fixtures.format("truncated.jpg"));
        assertThat(truncated.decision()).isEqualTo(Decision.REJECT);
        assertThat(truncated.classification()).isEmpty();
        assertThat(truncated.error()).get().asString().contains("truncated");
        Verdict text = gate.check(Fixtures.format("text.png"));
        assertThat(text.decision()).isEqualTo(Decision.REJECT);
        assertThat(text.error()).contains("not an image (the content is text)");
    }

    @Test
    void aGateLeavesASharedClassifierOpen() throws Exception {
        new ModerationGate(classifier, 0.4, 0.8).close();
        Classification c = classifier.classify(Fixtures.image("dog.jpg"));
        assertThat(c.score()).isBetween(0.0, 1.0);
    }

    @Test
    void rejectsThresholdsOutOfOrder() {
        assertThatThrownBy(() -> new ModerationGate(classifier, 0.9, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reviewAt <= rejectAt");
        assertThatThrownBy(() -> new ModerationGate(classifier, -0.1, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModerationGate(classifier, 0.1, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"thresholds.properties", "thresholds.json"})
    void readsTheThresholdsFileCalibrateWrites(String fileName, @TempDir Path dir) throws Exception {
        Path drawings = Files.createDirectories(dir.resolve("drawings"));
        Path photos = Files.createDirectories(dir.resolve("photos"));
        for (String name : List.of("cartoon-tree-owls.png", "cartoon-watermill.png", "dog-cartoon.png", "gift-clipart.png")) {
            Files.copy(Fixtures.image(name), drawings.resolve(name));
        }
        for (String name : List.of("astronaut.png", "dog.jpg", "flower.jpg", "grace-hopper.jpg")) {
            Files.copy(Fixtures.image(name), photos.resolve(name));
        }
        Path file = dir.resolve(fileName);
        StringWriter err = new StringWriter();
        int exit = Main.newCommandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                .execute("calibrate", "--positive", drawings.toString(), "--negative", photos.toString(),
                        "--model", "mobilenet_v2", "--score-labels", "Drawing", "--bootstrap", "50",
                        "--save-thresholds", file.toString());
        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.OK);
        ThresholdsFile written = ThresholdsFile.read(file);
        assertThat(written.model()).isEqualTo("mobilenet_v2");
        assertThat(written.scoreLabels()).containsExactly("Drawing");
        assertThat(written.rejectThreshold()).isPresent();

        try (ModerationGate gate = ModerationGate.fromThresholdsFile(file)) {
            assertThat(gate.reviewAt()).isEqualTo(written.reviewThreshold());
            assertThat(gate.rejectAt()).isEqualTo(written.rejectThreshold().getAsDouble());
            // The file's model and score: mobilenet_v2, scored by the Drawing probability alone.
            Verdict v = gate.check(Fixtures.image("dog-cartoon.png"));
            Classification c = v.classification().orElseThrow();
            assertThat(c.model().name()).isEqualTo("mobilenet_v2");
            assertThat(c.score()).isEqualTo(c.probability("Drawing"), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(v.decision()).isEqualTo(gate.decide(c.score()));
        }
    }

    @Test
    void aThresholdsFileKeepsTheDefaultsForWhatItLacksAndNamesABadValue(@TempDir Path dir) throws Exception {
        Path partial = Files.writeString(dir.resolve("t.properties"), "keshikaran.review-threshold=0.3\n");
        try (ModerationGate gate = ModerationGate.fromThresholdsFile(partial)) {
            assertThat(gate.reviewAt()).isEqualTo(0.3);
            assertThat(gate.rejectAt()).isEqualTo(0.8);
        }
        Path bad = Files.writeString(dir.resolve("t.json"), "{\"keshikaran.reject-threshold\": \"high\"}");
        assertThatThrownBy(() -> ModerationGate.fromThresholdsFile(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("keshikaran.reject-threshold is not a number: high");
    }
}
