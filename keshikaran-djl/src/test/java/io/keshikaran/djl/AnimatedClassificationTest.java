package io.keshikaran.djl;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.ClassificationResult;
import io.keshikaran.Classifier;
import io.keshikaran.FrameScore;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.internal.image.ImageDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Animated GIF and WebP files: each sampled frame is classified (in engine calls of up to 8 frames) and the file's
 * score aggregates them. The fixtures' frames are known pictures: a photo, a drawing, and the
 * drawing with a photo patch (tools/make-format-fixtures.sh).
 */
class AnimatedClassificationTest {
    private static final double LOSSY_SCORE_TOLERANCE = 0.03;
    private static Classifier classifier;

    @BeforeAll
    static void load() throws Exception {
        // The label expectations below are mobilenet_v2's (see the lossy-WebP note), whatever the default model is.
        classifier = Classifier.builder().optModel("mobilenet_v2").build();
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    private static Path format(String name) {
        return Fixtures.root().resolve("formats").resolve(name);
    }

    @Test
    void everySampledFrameIsScoredAndTheMaximumIsTheFilesScore() throws Exception {
        for (String file : List.of("gif-animated.gif", "webp-animated.webp", "webp-animated-lossy.webp", "png-animated.png")) {
            Classification c = classifier.classify(format(file));
            assertThat(c.frames()).extracting(FrameScore::index).containsExactly(0, 1, 2);
            // Frame 0 is a photo of horses, frame 1 a drawing: the model must tell them apart.
            // (Not in the lossy copy: WebP q80 smooths the drawing until mobilenet_v2 calls it
            // Neutral, and libwebp's own decoding of that frame gets the same answer.)
            assertThat(top(c.frames().get(0))).as(file).isEqualTo("Neutral");
            if (!file.contains("lossy")) {
                assertThat(top(c.frames().get(1))).as(file).isEqualTo("Drawing");
            }
            FrameScore max = c.frames().stream().max((a, b) -> Double.compare(a.score(), b.score())).orElseThrow();
            assertThat(c.score()).isEqualTo(max.score());
            assertThat(c.probabilities()).isEqualTo(max.probabilities());
        }
    }

    @Test
    void batchedFrameScoresEqualClassifyingEachFrameAlone() throws Exception {
        DecodedImage decoded = ImageDecoder.withDefaults().decodeFrames(format("gif-animated.gif"));
        Classification c = classifier.classify(format("gif-animated.gif"));
        for (int i = 0; i < decoded.frames().size(); i++) {
            Classification alone = classifier.classify(decoded.frames().get(i).image(), "frame " + i);
            for (String label : alone.probabilities().keySet()) {
                assertThat((double) c.frames().get(i).probabilities().get(label)).as("frame %d %s", i, label)
                        .isCloseTo(alone.probability(label), within(1e-5));
            }
        }
    }

    @Test
    void framesBeyondOneEngineCallKeepTheirOwnScores() throws Exception {
        // 20 frames go to the engine in calls of 8, 8 and 4: each score must stay with its frame.
        List<DecodedImage.Frame> three = ImageDecoder.withDefaults().decodeFrames(format("gif-animated.gif")).frames();
        List<DecodedImage.Frame> frames = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(new DecodedImage.Frame(i, three.get(i % three.size()).image()));
        }
        Classification c = classifier.classify(new DecodedImage("GIF", true, frames), "twenty frames");
        assertThat(c.frames()).extracting(FrameScore::index).containsExactlyElementsOf(
                frames.stream().map(DecodedImage.Frame::index).toList());
        for (int i = 0; i < frames.size(); i++) {
            Classification alone = classifier.classify(frames.get(i).image(), "frame " + i);
            for (String label : alone.probabilities().keySet()) {
                assertThat((double) c.frames().get(i).probabilities().get(label)).as("frame %d %s", i, label)
                        .isCloseTo(alone.probability(label), within(1e-5));
            }
        }
    }

    @Test
    void meanAggregateAveragesTheFrames() throws Exception {
        try (Classifier mean = Classifier.builder()
                .optDecodeOptions(DecodeOptions.builder().optFrameAggregate(DecodeOptions.FrameAggregate.MEAN).build())
                .build()) {
            Classification c = mean.classify(format("webp-animated.webp"));
            double expected = c.frames().stream().mapToDouble(FrameScore::score).average().orElseThrow();
            assertThat(c.score()).isCloseTo(expected, within(1e-9));
            for (String label : c.probabilities().keySet()) {
                double p = c.frames().stream().mapToDouble(f -> f.probabilities().get(label)).average().orElseThrow();
                assertThat((double) c.probability(label)).isCloseTo(p, within(1e-6));
            }
        }
    }

    @Test
    void frameSamplingOptionsReachTheClassifier() throws Exception {
        try (Classifier everySecond = Classifier.builder()
                .optDecodeOptions(DecodeOptions.builder().optFrameStep(2).build()).build();
             Classifier nsfwjs = Classifier.builder().optModel("mobilenet_v2")
                     .optDecodeOptions(DecodeOptions.nsfwjsCompatible()).build()) {
            assertThat(everySecond.classify(format("gif-animated.gif")).frames()).extracting(FrameScore::index).containsExactly(0, 2);
            Classification first = nsfwjs.classify(format("gif-animated.gif"));
            assertThat(first.frames()).extracting(FrameScore::index).containsExactly(0);
            assertThat(top(first.frames().get(0))).isEqualTo("Neutral");
        }
    }

    @Test
    void stillImagesHaveNoFrames() throws Exception {
        assertThat(classifier.classify(Fixtures.image("dog.jpg")).frames()).isEmpty();
        assertThat(classifier.classify(format("gif-static.gif")).frames()).isEmpty();
    }

    @Test
    void bytesStreamsAndBatchesGiveTheSameFrames() throws Exception {
        Path gif = format("gif-animated.gif");
        Classification fromPath = classifier.classify(gif);
        Classification fromBytes = classifier.classify(Files.readAllBytes(gif), "gif");
        Classification fromStream;
        try (InputStream in = Files.newInputStream(gif)) {
            fromStream = classifier.classify(in, "-");
        }
        assertThat(fromBytes.frames()).isEqualTo(fromPath.frames());
        assertThat(fromStream.frames()).isEqualTo(fromPath.frames());
        List<Path> inputs = List.of(gif, Fixtures.image("dog.jpg"), format("webp-animated.webp"), format("truncated-animated.gif"));
        List<ClassificationResult> batch = classifier.classifyAll(inputs, BatchOptions.defaults().withBatchSize(4));
        assertThat(batch.get(0).classification().orElseThrow().frames()).hasSize(3);
        assertThat(batch.get(0).classification().orElseThrow().score()).isCloseTo(fromPath.score(), within(1e-5));
        assertThat(batch.get(1).classification().orElseThrow().frames()).isEmpty();
        assertThat(batch.get(2).classification().orElseThrow().frames()).hasSize(3);
        assertThat(batch.get(3).error().orElseThrow().reason()).startsWith("corrupt or truncated GIF data (frame 1)");
    }

    /**
     * Animated WebP frames decoded by libwebp (the default, keshikaran-leptonica being on this
     * classpath) score as those decoded by TwelveMonkeys: the same on lossless files, whose pixels
     * are identical, and within {@value #LOSSY_SCORE_TOLERANCE} on lossy ones (0.013 measured, on the
     * photo; libwebp's chroma upsampling differs from TwelveMonkeys').
     */
    @Test
    void animatedWebPFramesScoreAlikeWithTheNativeAndTheJavaDecoder() throws Exception {
        try (Classifier java = Classifier.builder().optModel("mobilenet_v2")
                .optDecodeOptions(DecodeOptions.builder().optDecoder(DecodeOptions.Decoder.JAVA).build()).build()) {
            for (String file : List.of("webp-animated.webp", "webp-animated-lossy.webp",
                    "webp-animated-alpha-lossless.webp", "webp-animated-alpha-lossy.webp")) {
                Classification nat = classifier.classify(format(file));
                Classification ref = java.classify(format(file));
                assertThat(nat.frames()).extracting(FrameScore::index).containsExactly(0, 1, 2);
                assertThat(ref.frames()).extracting(FrameScore::index).containsExactly(0, 1, 2);
                for (int i = 0; i < 3; i++) {
                    double n = nat.frames().get(i).score();
                    double j = ref.frames().get(i).score();
                    if (file.contains("lossy")) {
                        assertThat(n).as("%s frame %d", file, i).isCloseTo(j, within(LOSSY_SCORE_TOLERANCE));
                    } else {
                        assertThat(n).as("%s frame %d", file, i).isEqualTo(j);
                    }
                }
            }
        }
    }

    private static String top(FrameScore frame) {
        return frame.probabilities().entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
