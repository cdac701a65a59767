package io.keshikaran.video;

import io.keshikaran.Classification;
import io.keshikaran.ClassificationResult;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HEIC and AVIF files through the public {@link Classifier} with keshikaran-video on the classpath
 * (real model): one pipeline, one score. Each file scores as the same picture in PNG does.
 */
class HeifClassificationTest {
    static Classifier classifier;

    @BeforeAll
    static void load() throws Exception {
        classifier = Classifier.builder().build();
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    static Path fixture(String path) {
        return Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), path);
    }

    /** Total variation distance between two classifications' probabilities, 0..1. */
    static double distance(Classification a, Classification b) {
        double sum = 0;
        for (String label : a.probabilities().keySet()) {
            sum += Math.abs(a.probability(label) - b.probability(label));
        }
        return sum / 2;
    }

    @ParameterizedTest
    @CsvSource({
        // png-interlaced.png holds the photo's pixels exactly; cartoon-watermill.png is the drawing's source.
        "formats/heif/heif-photo.heic, formats/png-interlaced.png",
        "formats/heif/avif-photo.avif, formats/png-interlaced.png",
        "formats/heif/avif-photo-10bit.avif, formats/png-interlaced.png",
        "formats/heif/avif-grid-2x2.avif, formats/png-interlaced.png",
        "formats/heif/heif-grid-2x2.heic, formats/png-interlaced.png",
        "formats/heif/heif-drawing.heic, images/cartoon-watermill.png",
        "formats/heif/avif-drawing.avif, images/cartoon-watermill.png",
        // Translucent: their alpha applies as the PNG's does (the default transparency option).
        "formats/heif/avif-alpha.avif, formats/png-rgba.png",
        "formats/heif/heif-alpha.heic, formats/png-rgba.png",
    })
    void scoresAsTheSamePictureInPng(String heif, String png) throws Exception {
        Classification encoded = classifier.classify(fixture(heif));
        Classification source = classifier.classify(fixture(png));
        System.out.printf(Locale.ROOT, "%s: score %.4f (%s), %s: %.4f (%s), TV distance %.4f%n", heif, encoded.score(),
                encoded.topLabel(), png, source.score(), source.topLabel(), distance(encoded, source));
        assertThat(encoded.score()).isCloseTo(source.score(), org.assertj.core.data.Offset.offset(0.05));
        // Lossy coding moves the Neutral/Drawing balance of these SFW pictures (measured TV 0.03-0.18;
        // the AVIF drawing, the lossiest, 0.18), but each stays nearer its own picture than the other.
        assertThat(distance(encoded, source)).isLessThan(0.25);
        assertThat(encoded.topLabel()).isEqualTo(source.topLabel());
        String other = png.contains("cartoon") ? "formats/png-interlaced.png" : "images/cartoon-watermill.png";
        double far = distance(encoded, classifier.classify(fixture(other)));
        System.out.printf(Locale.ROOT, "  TV distance to the other picture %.4f%n", far);
        assertThat(far).isGreaterThan(distance(encoded, source));
    }

    @Test
    void aBatchScoresHeifAvifAndOtherFormatsTogetherAndReportsDamagedOnes() {
        List<Path> inputs = List.of(fixture("formats/heif/heif-photo.heic"), fixture("formats/jpeg-baseline.jpg"),
                fixture("formats/heif/truncated.heic"), fixture("formats/heif/avif-irot-1.avif"));
        List<ClassificationResult> results = classifier.classifyAll(inputs);
        assertThat(results).hasSize(4);
        assertThat(results.get(0).isSuccess()).isTrue();
        assertThat(results.get(1).isSuccess()).isTrue();
        assertThat(results.get(2).error()).get().extracting(InvalidImageException::kind)
                .isEqualTo(InvalidImageException.Kind.CORRUPT);
        assertThat(results.get(3).classification()).get().extracting(Classification::score)
                .satisfies(s -> assertThat((double) s).isBetween(0.0, 1.0));
    }
}
