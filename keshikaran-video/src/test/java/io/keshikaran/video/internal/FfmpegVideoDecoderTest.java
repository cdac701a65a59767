package io.keshikaran.video.internal;

import io.keshikaran.image.RgbImage;
import io.keshikaran.video.VideoLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FfmpegVideoDecoderTest {
    static Path video(String name) {
        return Path.of(System.getProperty("keshikaran.fixtures"), "videos", name);
    }

    static List<RgbImage> frames(String clip, int minSide) throws Exception {
        List<RgbImage> images = new ArrayList<>();
        try (FfmpegVideoDecoder d = FfmpegVideoDecoder.open(video(clip), clip, VideoLimits.defaults(), System.nanoTime())) {
            d.decode(new FfmpegVideoDecoder.Sampling(false, 1.0, 3, Double.MAX_VALUE, 0), minSide, (t, key, image) -> {
                images.add(image);
                return true;
            });
        }
        return images;
    }

    @Test
    void scalesDownToTwiceTheModelInputNeverUp() throws Exception {
        // 640x480 with a floor of 448: the short side becomes 448, the aspect ratio stays.
        assertThat(frames("slideshow-h264.mp4", 448)).allSatisfy(f -> {
            assertThat(f.height()).isEqualTo(448);
            assertThat(f.width()).isEqualTo(597);
        });
        // 320x240 is smaller than the floor: left as it is.
        assertThat(frames("slideshow-vp9.webm", 448)).allSatisfy(f -> {
            assertThat(f.width()).isEqualTo(320);
            assertThat(f.height()).isEqualTo(240);
        });
    }

    @Test
    void appliesTheDisplayRotationAsPlayersDo() throws Exception {
        assertThat(frames("rotated-90.mp4", 448)).hasSize(3).allSatisfy(f -> {
            assertThat(f.width()).isEqualTo(120);
            assertThat(f.height()).isEqualTo(160);
        });
    }

    @Test
    void convertsYuvToTheRgbOfTheStill() throws Exception {
        // The first slide is coffee.png, warm-toned: mean R 159, B 51 (ffmpeg's own RGB). Swapped
        // channels or a wrong YUV matrix would not keep that gap.
        RgbImage f = frames("slideshow-h264.mp4", 448).get(0);
        long r = 0;
        long b = 0;
        for (int i = 0; i < f.width() * f.height(); i++) {
            r += f.sampleAt(i * 3);
            b += f.sampleAt(i * 3 + 2);
        }
        long n = (long) f.width() * f.height();
        assertThat(r / n).isBetween(140L, 175L);
        assertThat(b / n).isBetween(35L, 70L);
    }

    /**
     * Leaving out frames is exact: every clip, at sample intervals that fall on, between and across
     * keyframes, gives the same frames, pixel for pixel, as decoding every frame. The motion clips
     * have B-frames (H.264, and H.265 with an open GOP) or hidden alt-ref frames (VP9, AV1) and a
     * keyframe every 1.6 s; the slideshows have neither B-frames nor motion.
     */
    @ParameterizedTest
    @ValueSource(strings = {"motion-h264.mp4", "motion-h265-opengop.mkv", "motion-vp9-altref.webm", "motion-av1.mp4",
            "slideshow-h264.mp4", "slideshow-h264.mov", "slideshow-h265.mp4", "slideshow-vp8.webm",
            "slideshow-vp9.webm", "slideshow-vp9.mkv", "slideshow-av1.mp4", "rotated-90.mp4", "with-audio.mp4"})
    void skippingUnneededFramesSamplesTheSamePixels(String clip) throws Exception {
        long decodedAll = 0;
        long decodedSkipping = 0;
        long packetsSkipped = 0;
        for (double interval : new double[]{1.0, 0.7, 0.25, 1.6, 2.3}) {
            SampledFrames all = SampledFrames.decode(video(clip), interval, 448, false);
            SampledFrames skipping = SampledFrames.decode(video(clip), interval, 448, true);
            assertThat(all.frames()).as("%s every %s s", clip, interval).isNotEmpty();
            assertThat(skipping.firstDifference(all)).as("%s every %s s", clip, interval).isNull();
            assertThat(all.packetsSkipped()).isZero();
            decodedAll += all.framesDecoded();
            decodedSkipping += skipping.framesDecoded();
            packetsSkipped += skipping.packetsSkipped();
        }
        // Not vacuous: frames were left out, some by jumping to a keyframe.
        assertThat(decodedSkipping).as(clip).isLessThan(decodedAll);
        assertThat(packetsSkipped).as(clip).isPositive();
    }

    @Test
    void skipsToTheKeyframeBeforeTheNextSample() throws Exception {
        // Keyframes at 0, 1.6, 3.2 and 4.8 s, 25 fps, samples every 2.3 s: 0, 2.3, 4.6. Before
        // 2.3 s decoding resumes at the keyframe at 1.6 s; before 4.6 s at 3.2 s. So the packets
        // from 0.04 to 1.56 s and from about 2.3 to 3.16 s are not even sent to the decoder.
        SampledFrames skipping = SampledFrames.decode(video("motion-h264.mp4"), 2.3, 448, true);
        assertThat(skipping.frames()).extracting(SampledFrames.Frame::timeSeconds)
                .satisfiesExactly(t -> assertThat(t).isZero(), t -> assertThat(t).isCloseTo(2.32, within(1e-9)),
                        t -> assertThat(t).isCloseTo(4.6, within(1e-9)));
        assertThat(skipping.packetsSkipped()).isGreaterThan(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"motion-h264.mp4", "motion-h265-opengop.mkv", "motion-vp9-altref.webm", "motion-av1.mp4"})
    void aFrameFoundBySeekingIsTheFrameDecodingEverythingGives(String clip) throws Exception {
        // What thumbnails use (VideoClassifier.frameAt): seek, then skip to the first frame at or after the time.
        SampledFrames all = SampledFrames.decode(video(clip), 2.3, 448, false);
        for (int i = 0; i < all.frames().size(); i++) {
            SampledFrames.Frame expected = all.frames().get(i);
            double at = i * 2.3;
            byte[][] found = new byte[1][];
            try (FfmpegVideoDecoder d = FfmpegVideoDecoder.open(video(clip), clip, VideoLimits.defaults(), System.nanoTime())) {
                d.seek(at);
                d.decode(new FfmpegVideoDecoder.Sampling(false, Double.MAX_VALUE, 1, Double.MAX_VALUE, at), 448,
                        (t, key, image) -> {
                            assertThat(t).isEqualTo(expected.timeSeconds());
                            found[0] = image.toByteArray();
                            return false;
                        });
            }
            assertThat(found[0]).as("%s at %s s", clip, expected.timeSeconds()).isEqualTo(expected.rgb());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"motion-h264.mp4", "motion-h265-opengop.mkv", "motion-vp9-altref.webm", "motion-av1.mp4"})
    void keyframesOnlyGivesTheKeyframesOwnTimes(String clip) throws Exception {
        // With B-frames, FFmpeg's MP4 demuxer told to skip non-key packets gave the keyframes
        // other packets' composition offsets: 0, 1.72, 3.2, 4.72 s instead of 0, 1.6, 3.2, 4.8.
        List<Double> times = new ArrayList<>();
        try (FfmpegVideoDecoder d = FfmpegVideoDecoder.open(video(clip), clip, VideoLimits.defaults(), System.nanoTime())) {
            d.decode(new FfmpegVideoDecoder.Sampling(true, 1.0, 100, Double.MAX_VALUE, 0), 448, (t, key, image) -> {
                assertThat(key).isTrue();
                times.add(t);
                return true;
            });
        }
        assertThat(times).satisfiesExactly(t -> assertThat(t).isZero(), t -> assertThat(t).isCloseTo(1.6, within(1e-9)),
                t -> assertThat(t).isCloseTo(3.2, within(1e-9)), t -> assertThat(t).isCloseTo(4.8, within(1e-9)));
    }

    @Test
    void rotationTurnsClockwise() {
        // 2x1: red, green. A quarter turn clockwise gives 1x2 with red on top.
        RgbImage img = new RgbImage(2, 1, new byte[]{(byte) 255, 0, 0, 0, (byte) 255, 0});
        RgbImage cw = Rotation.rotate(img, 90);
        assertThat(cw.width()).isEqualTo(1);
        assertThat(cw.height()).isEqualTo(2);
        assertThat(cw.sample(0, 0, 0)).isEqualTo(255);
        assertThat(cw.sample(0, 1, 1)).isEqualTo(255);
        RgbImage ccw = Rotation.rotate(img, 270);
        assertThat(ccw.sample(0, 0, 1)).isEqualTo(255);
        RgbImage half = Rotation.rotate(img, 180);
        assertThat(half.sample(0, 0, 1)).isEqualTo(255);
        assertThat(half.width()).isEqualTo(2);
    }
}
