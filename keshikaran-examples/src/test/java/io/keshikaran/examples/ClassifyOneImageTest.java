package io.keshikaran.examples;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClassifyOneImageTest {

    @Test
    void classifiesARealPhotoWithTheBundledModel() throws Exception {
        Path dog = Fixtures.image("dog.jpg");
        Classification c = ClassifyOneImage.run(dog);

        assertThat(c.source()).isEqualTo(dog.toString());
        assertThat(c.model().id()).isEqualTo(Classifier.DEFAULT_MODEL + "@nsfwjs-4.4.0");
        assertThat(c.probabilities()).containsOnlyKeys("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
        assertThat(c.score()).isCloseTo(c.probability("Hentai") + c.probability("Porn") + c.probability("Sexy"),
                within(1e-6));
        // The example's result is the library's: a classifier loaded separately agrees exactly.
        try (Classifier independent = Classifier.builder().build()) {
            assertThat(c.score()).isEqualTo(independent.classify(dog).score());
            assertThat(c.probabilities()).isEqualTo(independent.classify(dog).probabilities());
        }
    }

    @Test
    void exampleIsAtMostFifteenLinesOfUsage() throws Exception {
        // The issue promises "classify one image in at most 15 lines"; keep the example honest.
        Path source = Path.of("src/main/java/io/keshikaran/examples/ClassifyOneImage.java");
        String code = Files.readString(source);
        String run = code.substring(code.indexOf("public static Classification run"), code.indexOf("/** Usage"));
        long lines = run.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("*") && !l.startsWith("/")).count();
        assertThat(lines).isLessThanOrEqualTo(15);
    }
}
