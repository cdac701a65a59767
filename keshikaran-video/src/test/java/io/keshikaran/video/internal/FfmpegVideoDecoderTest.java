package io.keshikaran.video.internal;

import io.keshikaran.image.RgbImage;
import io.keshikaran.video.VideoLimits;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
