package io.keshikaran.examples;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.examples.ModerationGate.Decision;
import io.keshikaran.examples.ModerationGate.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
