package io.keshikaran.video;

import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.video.InvalidVideoException.VideoKind;
import io.keshikaran.video.VideoClassification.Ending;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Classifies the committed clips of fixtures/videos (made by tools/make-video-fixtures.sh) with the
 * real default model. Every slideshow shows, for 2 s each: coffee, flower, summer palace, German
 * shepherd (the fixture scoring highest, about 0.23), Grace Hopper; one keyframe per slide.
 */
class VideoClassifierTest {
    static final String[] SLIDES = {"coffee.png", "flower.jpg", "china-summer-palace.jpg",
        "dog-german-shepherd.jpg", "grace-hopper.jpg"};
    static final double[] STILL_SCORES = new double[SLIDES.length];

    static Classifier classifier;

    @BeforeAll
    static void load() throws Exception {
        classifier = Classifier.builder().build();
        for (int i = 0; i < SLIDES.length; i++) {
            STILL_SCORES[i] = classifier.classify(fixture("images", SLIDES[i])).score();
        }
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    static Path fixture(String dir, String name) {
        return Path.of(System.getProperty("keshikaran.fixtures"), dir, name);
    }

    static Path video(String name) {
        return fixture("videos", name);
    }

    static VideoClassifier.Builder videos() {
        return VideoClassifier.builder().setClassifier(classifier);
    }

    @ParameterizedTest
    @ValueSource(strings = {"slideshow-h264.mp4", "slideshow-h264.mov", "slideshow-h265.mp4",
        "slideshow-vp8.webm", "slideshow-vp9.webm", "slideshow-vp9.mkv", "slideshow-av1.mp4"})
    void samplesOneFrameASecondAndEachScoresLikeItsStillImage(String clip) throws Exception {
        VideoClassification v = videos().build().classify(video(clip));

        assertThat(v.frames()).extracting(VideoFrameScore::timeSeconds)
                .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
        assertThat(v.frames()).extracting(VideoFrameScore::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        // Slides start on keyframes at 0, 2, 4, 6, 8 s.
        assertThat(v.frames()).extracting(VideoFrameScore::keyframe)
                .containsExactly(true, false, true, false, true, false, true, false, true, false);
        for (VideoFrameScore f : v.frames()) {
            int slide = (int) (f.timeSeconds() / 2);
            assertThat(f.score()).as("%s at %.0f s (%s)", clip, f.timeSeconds(), SLIDES[slide])
                    .isCloseTo(STILL_SCORES[slide], within(0.05));
            assertThat(f.probabilities()).containsOnlyKeys("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
        }
        assertThat(v.ending()).isEqualTo(Ending.END_OF_VIDEO);
        assertThat(v.stoppedEarly()).isFalse();
        assertThat(v.stoppedAt()).isEmpty();
        assertThat(v.durationSeconds()).isCloseTo(10.0, within(0.01));
        // Of the 50 frames, those between a sample at an odd second and the keyframe at the next
        // even second are left out, less those already in FFmpeg's frame threads (one per core).
        assertThat(v.framesDecoded()).isBetween(10L, 50L);
        // The default aggregation is the maximum: the German shepherd.
        assertThat(v.score()).isEqualTo(v.frames().stream().mapToDouble(VideoFrameScore::score).max().orElseThrow());
        assertThat(v.topFrame().timeSeconds()).isBetween(6.0, 7.0);
        assertThat(v.model()).isEqualTo(classifier.model());
    }

    @Test
    void ignoresTheAudioTrack() throws Exception {
        VideoClassification v = videos().build().classify(video("with-audio.mp4"));
        assertThat(v.frames()).extracting(VideoFrameScore::timeSeconds)
                .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
        assertThat(v.framesDecoded()).isBetween(10L, 50L);
        assertThat(v.width()).isEqualTo(160);
    }

    @Test
    void reportsContainerCodecAndSize() throws Exception {
        assertThat(videos().build().classify(video("slideshow-h264.mp4")))
                .extracting(VideoClassification::codec, VideoClassification::width, VideoClassification::height)
                .containsExactly("H.264", 640, 480);
        VideoClassification h265 = videos().optMaxFrames(1).build().classify(video("slideshow-h265.mp4"));
        assertThat(h265.codec()).isEqualTo("H.265");
        assertThat(h265.container()).contains("mp4");
        VideoClassification vp9 = videos().optMaxFrames(1).build().classify(video("slideshow-vp9.webm"));
        assertThat(vp9.codec()).isEqualTo("VP9");
        assertThat(vp9.container()).contains("webm");
        assertThat(videos().optMaxFrames(1).build().classify(video("slideshow-vp8.webm")).codec()).isEqualTo("VP8");
        assertThat(videos().optMaxFrames(1).build().classify(video("slideshow-av1.mp4")).codec()).isEqualTo("AV1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"slideshow-h264.mp4", "slideshow-h264.mov", "slideshow-h265.mp4",
        "slideshow-vp8.webm", "slideshow-vp9.webm", "slideshow-vp9.mkv", "slideshow-av1.mp4"})
    void keyframesOnlyDecodesNothingInBetween(String clip) throws Exception {
        VideoClassification v = videos().optKeyframesOnly().build().classify(video(clip));

        assertThat(v.frames()).extracting(VideoFrameScore::timeSeconds).containsExactly(0.0, 2.0, 4.0, 6.0, 8.0);
        assertThat(v.frames()).allMatch(VideoFrameScore::keyframe);
        // 5 keyframes among 50 frames, and only they were decoded.
        assertThat(v.framesDecoded()).isEqualTo(5);
        for (VideoFrameScore f : v.frames()) {
            assertThat(f.score()).isCloseTo(STILL_SCORES[f.index()], within(0.05));
        }
        assertThat(v.ending()).isEqualTo(Ending.END_OF_VIDEO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"slideshow-h264.mp4", "slideshow-vp9.webm"})
    void stopsAtTheFirstFrameReachingTheThreshold(String clip) throws Exception {
        // 0.1 lies between the German shepherd's score (about 0.2) and every other slide's (below 0.01).
        assertThat(STILL_SCORES[3]).isGreaterThan(0.15);
        List<VideoFrameScore> streamed = new ArrayList<>();

        VideoClassification v = videos().optStopThreshold(0.1).build().classify(video(clip), streamed::add);

        assertThat(v.stoppedEarly()).isTrue();
        assertThat(v.ending()).isEqualTo(Ending.STOP_THRESHOLD);
        assertThat(v.stoppedAt()).get().extracting(VideoFrameScore::timeSeconds).isEqualTo(6.0);
        assertThat(v.frames()).extracting(VideoFrameScore::timeSeconds).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        assertThat(v.score()).isGreaterThanOrEqualTo(0.1);
        // Decoding stopped: not all 50 frames were decoded.
        assertThat(v.framesDecoded()).isLessThan(50);
        // The callback saw exactly the frames of the result, in order, as they were scored.
        assertThat(streamed).isEqualTo(v.frames());
    }

    @Test
    void stopThresholdWorksWithKeyframesOnly() throws Exception {
        VideoClassification v = videos().optKeyframesOnly().optStopThreshold(0.1).build()
                .classify(video("slideshow-h265.mp4"));
        assertThat(v.stoppedAt()).get().extracting(VideoFrameScore::timeSeconds).isEqualTo(6.0);
        assertThat(v.frames()).hasSize(4);
    }

    @Test
    void aThresholdNoFrameReachesScansEverything() throws Exception {
        VideoClassification v = videos().optStopThreshold(0.9).build().classify(video("slideshow-h264.mp4"));
        assertThat(v.stoppedEarly()).isFalse();
        assertThat(v.frames()).hasSize(10);
    }

    @Test
    void aggregations() throws Exception {
        List<VideoFrameScore> frames = videos().build().classify(video("slideshow-h264.mp4")).frames();
        double mean = frames.stream().mapToDouble(VideoFrameScore::score).average().orElseThrow();
        double top3 = frames.stream().map(VideoFrameScore::score).sorted(Comparator.reverseOrder()).limit(3)
                .mapToDouble(Double::doubleValue).average().orElseThrow();

        VideoClassification meanResult = videos().optAggregation(FrameAggregation.mean()).build().classify(video("slideshow-h264.mp4"));
        VideoClassification topResult = videos().optAggregation(FrameAggregation.meanOfTopK(3)).build().classify(video("slideshow-h264.mp4"));

        assertThat(meanResult.score()).isCloseTo(mean, within(1e-9));
        assertThat(topResult.score()).isCloseTo(top3, within(1e-9));
        // Two German-shepherd frames and one other among the top 3: well below the max, above the mean.
        assertThat(topResult.score()).isLessThan(frames.get(6).score()).isGreaterThan(mean);
        float meanNeutral = (float) frames.stream().mapToDouble(f -> f.probabilities().get("Neutral")).average().orElseThrow();
        assertThat(meanResult.probabilities().get("Neutral")).isCloseTo(meanNeutral, within(1e-5f));
        assertThat(FrameAggregation.parse("top-3")).isEqualTo(FrameAggregation.meanOfTopK(3));
        assertThat(FrameAggregation.parse("MAX")).isEqualTo(FrameAggregation.max());
    }

    @Test
    void intervalMaxFramesAndMaxDuration() throws Exception {
        VideoClassification every2 = videos().optInterval(Duration.ofMillis(2500)).build().classify(video("slideshow-vp9.mkv"));
        // The first frame at or after 0, 2.5, 5 and 7.5 s, at 5 frames a second.
        assertThat(every2.frames()).extracting(f -> Math.round(f.timeSeconds() * 1000) / 1000.0)
                .containsExactly(0.0, 2.6, 5.0, 7.6);

        VideoClassification three = videos().optMaxFrames(3).build().classify(video("slideshow-h264.mp4"));
        assertThat(three.frames()).extracting(VideoFrameScore::timeSeconds).containsExactly(0.0, 1.0, 2.0);
        assertThat(three.ending()).isEqualTo(Ending.MAX_FRAMES);

        VideoClassification first = videos().optMaxDuration(Duration.ofMillis(4500)).build().classify(video("slideshow-h264.mp4"));
        assertThat(first.frames()).extracting(VideoFrameScore::timeSeconds).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
        assertThat(first.ending()).isEqualTo(Ending.MAX_DURATION);
    }

    @Test
    void scalesLargeFramesDownInFfmpegToTwiceTheModelInput() throws Exception {
        // 640x480 is scaled to 597x448 (2 x 224 on the short side); 320x240 is not scaled up. The
        // scores match the stills either way (asserted above); here: a smaller floor still works
        // and changes the frames the model sees, so the option is really applied.
        VideoClassification coarse = videos().optMinFrameSide(32).optMaxFrames(7).build().classify(video("slideshow-h264.mp4"));
        VideoClassification normal = videos().optMaxFrames(7).build().classify(video("slideshow-h264.mp4"));
        assertThat(coarse.frames().get(6).score()).isNotEqualTo(normal.frames().get(6).score());
    }

    @Test
    void topFramesAndFrameAtGiveTheThumbnailsOfAReport() throws Exception {
        VideoClassifier videos = videos().build();
        VideoClassification v = videos.classify(video("slideshow-h264.mp4"));
        List<VideoFrameScore> top = v.topFrames(2);
        // The two German-shepherd frames, highest first.
        assertThat(top).extracting(VideoFrameScore::timeSeconds).containsExactlyInAnyOrder(6.0, 7.0);
        assertThat(top.get(0).score()).isGreaterThanOrEqualTo(top.get(1).score());

        // The frame at 7 s (after a seek to the keyframe at 6 s) is the one that was scored.
        var frame = videos.frameAt(video("slideshow-h264.mp4"), 7.0);
        assertThat(frame.width()).isEqualTo(597);
        assertThat(frame.height()).isEqualTo(448);
        assertThat(classifier.classify(frame, "7 s").score()).isEqualTo(v.frames().get(7).score());
        // Another slide's frame scores as that slide did.
        assertThat(classifier.classify(videos.frameAt(video("slideshow-vp9.mkv"), 2.0), "2 s").score())
                .isCloseTo(STILL_SCORES[1], within(0.05));
        InvalidVideoException past = refused(videos, video("slideshow-h264.mp4"), 60.0);
        assertThat(past.reason()).isEqualTo("no frame at or after 60.000 s");
    }

    static InvalidVideoException refused(VideoClassifier videos, Path file, double seconds) {
        try {
            videos.frameAt(file, seconds);
        } catch (InvalidVideoException e) {
            return e;
        }
        throw new AssertionError(file + " had a frame at " + seconds);
    }

    @Test
    void toClassificationKeepsScoreAndFrames() throws Exception {
        VideoClassification v = videos().build().classify(video("slideshow-vp8.webm"));
        var c = v.toClassification();
        assertThat(c.score()).isEqualTo(v.score());
        assertThat(c.frames()).hasSize(10);
        assertThat(c.source()).isEqualTo(video("slideshow-vp8.webm").toString());
    }

    // ---- bad files ---------------------------------------------------------------------------

    static InvalidVideoException refused(VideoClassifier videos, Path file) {
        try {
            videos.classify(file);
        } catch (InvalidVideoException e) {
            assertThat(e.getMessage()).startsWith(file + ": ");
            assertThat(e.source()).isEqualTo(file.toString());
            assertThat(e).isInstanceOf(InvalidImageException.class);
            return e;
        }
        throw new AssertionError(file + " was accepted");
    }

    static InvalidVideoException refused(Path file) {
        return refused(videos().build(), file);
    }

    @Test
    void audioOnlyFiles() {
        for (String name : new String[]{"audio-only.m4a", "audio-only.webm"}) {
            InvalidVideoException e = refused(video(name));
            assertThat(e.videoKind()).isEqualTo(VideoKind.NO_VIDEO_STREAM);
            assertThat(e.reason()).isEqualTo("no video track (audio only)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated.mp4", "truncated.mkv"})
    void truncatedFile(String clip) {
        for (VideoClassifier.Builder b : List.of(videos(), videos().optKeyframesOnly())) {
            List<VideoFrameScore> seen = new ArrayList<>();
            InvalidVideoException e;
            try {
                b.build().classify(video(clip), seen::add);
                throw new AssertionError("accepted");
            } catch (InvalidVideoException x) {
                e = x;
            }
            assertThat(e.videoKind()).isEqualTo(VideoKind.TRUNCATED);
            assertThat(e.reason()).startsWith("truncated: the data ends at").endsWith("of 10.0 s");
            // The frames before the cut were scored and reported before the error.
            assertThat(seen).isNotEmpty();
            assertThat(seen).allMatch(f -> f.timeSeconds() < 5);
        }
    }

    @Test
    void corruptFile() {
        InvalidVideoException e = refused(video("corrupt.mp4"));
        assertThat(e.videoKind()).isEqualTo(VideoKind.CORRUPT);
        assertThat(e.reason()).startsWith("corrupt container");
    }

    @Test
    void unsupportedContainerAndCodec() {
        InvalidVideoException avi = refused(video("unsupported-container.avi"));
        assertThat(avi.videoKind()).isEqualTo(VideoKind.UNSUPPORTED);
        assertThat(avi.reason()).startsWith("unsupported container AVI");
        InvalidVideoException ffv1 = refused(video("unsupported-codec-ffv1.mkv"));
        assertThat(ffv1.videoKind()).isEqualTo(VideoKind.UNSUPPORTED);
        assertThat(ffv1.reason()).startsWith("unsupported video codec ffv1");
    }

    @Test
    void notVideos() throws Exception {
        assertThat(refused(fixture("images", "dog.jpg")).reason()).startsWith("not a video (the content is an image");
        assertThat(refused(fixture("formats", "random.bin")).reason()).isEqualTo("not a video (no known video container)");
        assertThat(refused(fixture("formats", "gif-animated.gif")).videoKind()).isEqualTo(VideoKind.NOT_A_VIDEO);
        assertThat(refused(fixture("formats", "text.png")).videoKind()).isEqualTo(VideoKind.NOT_A_VIDEO);
        assertThat(refused(fixture("formats", "empty.jpg")).reason()).isEqualTo("empty file");
        assertThat(refused(fixture("videos", "missing.mp4")).reason()).isEqualTo("no such file");
        assertThat(refused(fixture("formats", "directory.jpg")).reason()).isEqualTo("is a directory");
    }

    @Test
    void hostileHeadersAreRefusedBeforeDecoding() {
        InvalidVideoException dims = refused(video("hostile-dimensions.mp4"));
        assertThat(dims.videoKind()).isEqualTo(VideoKind.LIMIT_EXCEEDED);
        assertThat(dims.reason()).startsWith("frame size 65535x65535 exceeds the limit");
        InvalidVideoException duration = refused(video("hostile-duration.webm"));
        assertThat(duration.videoKind()).isEqualTo(VideoKind.LIMIT_EXCEEDED);
        assertThat(duration.reason()).isEqualTo("declared duration 1000000000 s exceeds the limit of 21600 s");
    }

    @Test
    void aBitstreamLargerThanItsContainerSaysIsRefusedByTheDecoder() throws Exception {
        // The container claims 16x12 (192 pixels), the H.264 stream is 160x120.
        VideoClassifier strict = videos().optLimits(VideoLimits.builder().optMaxPixels(1000).build()).build();
        InvalidVideoException e = refused(strict, video("lying-dimensions.mp4"));
        assertThat(e.videoKind()).isEqualTo(VideoKind.LIMIT_EXCEEDED);
        assertThat(e.reason()).contains("exceeds the limit of 1000 pixels");
        // With the default limits the same file decodes.
        assertThat(videos().build().classify(video("lying-dimensions.mp4")).frames()).hasSize(10);
    }

    @Test
    void limits() throws Exception {
        Path clip = video("slideshow-h264.mp4");
        InvalidVideoException size = refused(videos().optLimits(VideoLimits.builder()
                .optMaxFileBytes(Files.size(clip) - 1).build()).build(), clip);
        assertThat(size.videoKind()).isEqualTo(VideoKind.LIMIT_EXCEEDED);
        assertThat(size.reason()).contains("exceeds the limit of " + (Files.size(clip) - 1) + " bytes");

        InvalidVideoException pixels = refused(videos().optLimits(VideoLimits.builder()
                .optMaxPixels(640 * 480 - 1).build()).build(), clip);
        assertThat(pixels.reason()).startsWith("frame size 640x480 exceeds the limit of 307199 pixels");

        InvalidVideoException duration = refused(videos().optLimits(VideoLimits.builder()
                .optMaxDuration(Duration.ofSeconds(9)).build()).build(), clip);
        assertThat(duration.reason()).isEqualTo("declared duration 10 s exceeds the limit of 9 s");

        InvalidVideoException decoded = refused(videos().optLimits(VideoLimits.builder()
                .optMaxFramesDecoded(20).build()).build(), clip);
        assertThat(decoded.videoKind()).isEqualTo(VideoKind.LIMIT_EXCEEDED);
        assertThat(decoded.reason()).isEqualTo("more than 20 frames decoded");
        // Keyframes only decodes 5 frames, within the same limit.
        assertThat(videos().optKeyframesOnly().optLimits(VideoLimits.builder().optMaxFramesDecoded(20).build())
                .build().classify(clip).frames()).hasSize(5);

        InvalidVideoException budget = refused(videos().optLimits(VideoLimits.builder()
                .optTimeBudget(Duration.ofNanos(1)).build()).build(), clip);
        assertThat(budget.videoKind()).isEqualTo(VideoKind.TIME_BUDGET_EXCEEDED);
    }

    @Test
    void sniffsVideoContainersByContent() {
        assertThat(VideoFormats.looksLikeVideo(video("slideshow-h264.mp4"))).isTrue();
        assertThat(VideoFormats.looksLikeVideo(video("slideshow-h264.mov"))).isTrue();
        assertThat(VideoFormats.looksLikeVideo(video("slideshow-vp9.webm"))).isTrue();
        assertThat(VideoFormats.looksLikeVideo(video("slideshow-vp9.mkv"))).isTrue();
        assertThat(VideoFormats.looksLikeVideo(video("audio-only.m4a"))).isFalse();
        assertThat(VideoFormats.looksLikeVideo(fixture("images", "dog.jpg"))).isFalse();
        assertThat(VideoFormats.looksLikeVideo(fixture("formats", "webp-animated.webp"))).isFalse();
        // HEIF and AVIF share the MP4 container but are images.
        assertThat(VideoFormats.looksLikeVideo(fixture("formats/heif", "heif-photo.heic"))).isFalse();
        assertThat(VideoFormats.looksLikeVideo(fixture("formats/heif", "avif-grid-2x2.avif"))).isFalse();
        assertThat(VideoFormats.looksLikeVideo(fixture("formats", "empty.jpg"))).isFalse();
        assertThat(VideoFormats.looksLikeVideo(fixture("formats", "directory.jpg"))).isFalse();
    }
}
