package io.keshikaran.video;

import io.keshikaran.Classifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged clips through the native decoder: random byte changes and cuts of real MP4 and WebM files.
 * Each must either be classified or be refused with {@link InvalidVideoException}; nothing else may
 * escape, and the JVM must survive. Seeded, so a failure can be replayed.
 */
class VideoFuzzTest {
    static final int CASES = 120;
    static Classifier classifier;

    @BeforeAll
    static void load() throws Exception {
        classifier = Classifier.builder().optModel("mobilenet_v2").build();
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void damagedClipsAreClassifiedOrRefusedWithACheckedError(@TempDir Path dir) throws Exception {
        byte[][] sources = {
            Files.readAllBytes(VideoClassifierTest.video("with-audio.mp4")),
            Files.readAllBytes(VideoClassifierTest.video("slideshow-vp9.webm")),
            Files.readAllBytes(VideoClassifierTest.video("slideshow-h265.mp4")),
        };
        VideoClassifier videos = VideoClassifier.builder().setClassifier(classifier).optMaxFrames(4)
                .optLimits(VideoLimits.builder().optTimeBudget(Duration.ofSeconds(30)).build()).build();
        Random random = new Random(16);
        Map<InvalidVideoException.VideoKind, Integer> kinds = new EnumMap<>(InvalidVideoException.VideoKind.class);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] data = sources[i % sources.length].clone();
            if (random.nextInt(4) == 0) {
                data = java.util.Arrays.copyOf(data, 1 + random.nextInt(data.length - 1));
            }
            int changes = 1 + random.nextInt(32);
            for (int c = 0; c < changes; c++) {
                // Half the changes hit the first 4 KiB, where the headers and index are.
                int at = random.nextBoolean() ? random.nextInt(Math.min(4096, data.length)) : random.nextInt(data.length);
                data[at] = (byte) random.nextInt(256);
            }
            Path file = dir.resolve("case-" + i);
            Files.write(file, data);
            try {
                VideoClassification v = videos.classify(file);
                assertThat(v.score()).isBetween(0.0, 1.0);
                accepted++;
            } catch (InvalidVideoException e) {
                assertThat(e.getMessage()).startsWith(file + ": ");
                kinds.merge(e.videoKind(), 1, Integer::sum);
            }
        }
        System.out.println("fuzz: " + accepted + " classified, refused " + kinds);
        // Both outcomes occur: the test exercises the decoder, not only the probe.
        assertThat(accepted).isPositive();
        assertThat(kinds).isNotEmpty();
    }
}
