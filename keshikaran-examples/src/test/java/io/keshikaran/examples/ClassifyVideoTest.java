package io.keshikaran.examples;

import io.keshikaran.video.VideoClassification;
import io.keshikaran.video.VideoFrameScore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ClassifyVideoTest {

    @Test
    void stopsAtTheGermanShepherdSlide() throws Exception {
        // fixtures/videos/README.md: the German shepherd, the highest-scoring fixture, shows at 6-8 s.
        Path clip = Fixtures.root().resolve("videos/slideshow-h264.mp4");
        VideoClassification v = ClassifyVideo.run(clip, 0.1);

        assertThat(v.stoppedAt()).get().extracting(VideoFrameScore::timeSeconds).isEqualTo(6.0);
        assertThat(v.frames()).hasSize(7);
        assertThat(v.frames().subList(0, 6)).allMatch(f -> f.score() < 0.1);
        assertThat(v.score()).isEqualTo(v.frames().get(6).score());
    }

    @Test
    void withAHighThresholdScansTheWholeClip() throws Exception {
        VideoClassification v = ClassifyVideo.run(Fixtures.root().resolve("videos/slideshow-vp9.webm"), 0.8);
        assertThat(v.stoppedEarly()).isFalse();
        assertThat(v.frames()).extracting(VideoFrameScore::timeSeconds)
                .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
    }
}
