package io.keshikaran.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code keshikaran clip.mp4}: videos recognised by content and scored frame by frame. */
class VideoCommandTest {
    static String clip(String name) {
        return Path.of(System.getProperty("keshikaran.fixtures"), "videos", name).toString();
    }

    static List<Double> times(JsonNode node) {
        List<Double> times = new ArrayList<>();
        node.get("frames").forEach(f -> times.add(f.get("time").asDouble()));
        return times;
    }

    @Test
    void aVideoPrintsItsAggregatedScore() {
        CliRun run = CliRun.of(clip("slideshow-h264.mp4"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        // The maximum over the frames: the German shepherd slide, about 0.22.
        assertThat(Double.parseDouble(run.out().strip())).isCloseTo(0.22, within(0.03));
    }

    @Test
    void jsonListsEveryFrameWithItsTime() throws Exception {
        JsonNode node = CliRun.of("--json", clip("slideshow-vp9.webm")).onlyJson();
        assertThat(times(node)).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
        assertThat(node.get("frames").get(6).get("score").asDouble()).isEqualTo(node.get("score").asDouble());
        assertThat(node.has("stoppedAt")).isFalse();
        assertThat(node.get("probabilities").size()).isEqualTo(5);
    }

    @Test
    void stopThresholdStopsAtTheFirstFrameReachingIt() throws Exception {
        JsonNode node = CliRun.of("--json", "--stop-threshold", "0.1", clip("slideshow-h264.mp4")).onlyJson();
        assertThat(node.get("stoppedAt").asDouble()).isEqualTo(6.0);
        assertThat(times(node)).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
    }

    @Test
    void keyframesAndThresholdExitCode() throws Exception {
        CliRun run = CliRun.of("--json", "--keyframes", "--threshold", "0.1", "--stop-threshold", "0.1",
                clip("slideshow-h265.mp4"));
        assertThat(run.exitCode()).isEqualTo(ExitCodes.THRESHOLD_REACHED);
        assertThat(times(run.jsonLines().get(0))).containsExactly(0.0, 2.0, 4.0, 6.0);
    }

    @Test
    void aBadVideoIsReportedWithItsReason() throws Exception {
        CliRun run = CliRun.of("--json", clip("audio-only.m4a"));
        // An audio-only MP4 is not sniffed as a video, so the image path refuses it as not an image.
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ALL_FAILED);

        CliRun truncated = CliRun.of(clip("truncated.mp4"));
        assertThat(truncated.exitCode()).isEqualTo(ExitCodes.ALL_FAILED);
        assertThat(truncated.err()).contains("truncated.mp4: truncated: the data ends at");

        CliRun noVideo = CliRun.of("--json", clip("audio-only.webm"));
        assertThat(noVideo.exitCode()).isEqualTo(ExitCodes.ALL_FAILED);
        assertThat(noVideo.jsonLines().get(0).get("error").asText()).isEqualTo("no video track (audio only)");
    }

    @Test
    void badVideoOptionsAreUsageErrors() {
        assertThat(CliRun.of("--video-aggregate", "median", clip("slideshow-h264.mp4")).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("--video-interval", "0", clip("slideshow-h264.mp4")).exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
