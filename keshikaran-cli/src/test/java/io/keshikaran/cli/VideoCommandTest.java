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

    @Test
    void folderScansTakeVideosOnlyWhenAsked(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.copy(Path.of(clip("slideshow-h264.mp4")), dir.resolve("clip.mp4"));
        java.nio.file.Files.copy(Path.of(System.getProperty("keshikaran.fixtures"), "images", "dog.jpg"), dir.resolve("dog.jpg"));

        CliRun imagesOnly = CliRun.of("--json", dir.toString());
        assertThat(imagesOnly.exitCode()).as(imagesOnly.err()).isZero();
        assertThat(imagesOnly.jsonLines()).extracting(n -> Path.of(n.get("file").asText()).getFileName().toString())
                .containsExactly("dog.jpg");

        CliRun withVideos = CliRun.of("--json", "--video", dir.toString());
        assertThat(withVideos.exitCode()).as(withVideos.err()).isZero();
        List<JsonNode> lines = withVideos.jsonLines();
        assertThat(lines).extracting(n -> Path.of(n.get("file").asText()).getFileName().toString())
                .containsExactly("dog.jpg", "clip.mp4");
        assertThat(times(lines.get(1))).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
        JsonNode single = CliRun.of("--json", clip("slideshow-h264.mp4")).onlyJson();
        assertThat(lines.get(1).get("score").asDouble()).isEqualTo(single.get("score").asDouble());

        CliRun byGlob = CliRun.of("--json", "--include", "*.mp4", dir.toString());
        assertThat(byGlob.jsonLines()).singleElement().satisfies(n -> assertThat(n.has("frames")).isTrue());
    }

    @Test
    void theReportShowsAVideosHighestScoringFramesWithTheirTimes(@org.junit.jupiter.api.io.TempDir Path dir,
                                                                 @org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        java.nio.file.Files.copy(Path.of(clip("slideshow-h264.mp4")), dir.resolve("clip.mp4"));
        java.nio.file.Files.copy(Path.of(System.getProperty("keshikaran.fixtures"), "images", "dog.jpg"), dir.resolve("dog.jpg"));
        Path html = out.resolve("r.html");
        CliRun run = CliRun.of("report", "--video", dir.toString(), "-o", html.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String page = java.nio.file.Files.readString(html);
        JsonNode single = CliRun.of("--json", clip("slideshow-h264.mp4")).onlyJson();
        List<Double> shown = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "<figure class=\"video-frame\" data-time=\"([0-9.]+)\"><img src=\"data:image/jpeg;base64,").matcher(page);
        while (m.find()) {
            shown.add(Double.parseDouble(m.group(1)));
        }
        // The three highest-scoring frames, the best first: the German shepherd slide at 6 s.
        assertThat(shown).hasSize(3).first().isEqualTo(6.0);
        for (double t : shown) {
            assertThat(times(single)).contains(t);
        }
        assertThat(page).contains("data-file=\"clip.mp4\" data-score=\"" + single.get("score").asDouble() + "\"");
        assertThat(page).contains("data-file=\"dog.jpg\"");
    }
}
