package io.keshikaran.video.internal;

import io.keshikaran.video.VideoLimits;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames interval sampling hands over, with their pixels, decoded with or without leaving out
 * the frames no sampled frame depends on: what the frame-skipping test and the benchmark's
 * {@code exact} mode compare.
 *
 * @param frames        the sampled frames, in order
 * @param framesDecoded how many frames the decoder produced
 * @param packetsSkipped how many packets were not sent to the decoder
 */
public record SampledFrames(List<Frame> frames, long framesDecoded, long packetsSkipped) {
    /** One sampled frame: its time, keyframe flag, size and RGB bytes. */
    public record Frame(double timeSeconds, boolean keyframe, int width, int height, byte[] rgb) {
    }

    /**
     * @param video    the file
     * @param interval seconds between samples
     * @param minSide  the short side frames are scaled down to
     * @param skip     whether to leave out unneeded frames (the default) or decode all
     * @return what was sampled
     */
    public static SampledFrames decode(Path video, double interval, int minSide, boolean skip) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (FfmpegVideoDecoder d = FfmpegVideoDecoder.open(video, video.toString(), VideoLimits.defaults(),
                System.nanoTime())) {
            d.skipUnneededFrames(skip);
            d.decode(new FfmpegVideoDecoder.Sampling(false, interval, Integer.MAX_VALUE, Double.MAX_VALUE, 0), minSide,
                    (t, key, image) -> {
                        frames.add(new Frame(t, key, image.width(), image.height(), image.toByteArray()));
                        return true;
                    });
            return new SampledFrames(frames, d.framesDecoded(), d.packetsSkipped());
        }
    }

    /**
     * @param other the same video decoded the other way
     * @return a description of the first difference, or {@code null} if every frame is identical
     */
    public String firstDifference(SampledFrames other) {
        if (frames.size() != other.frames.size()) {
            return frames.size() + " frames vs " + other.frames.size();
        }
        for (int i = 0; i < frames.size(); i++) {
            Frame a = frames.get(i);
            Frame b = other.frames.get(i);
            if (a.timeSeconds() != b.timeSeconds() || a.keyframe() != b.keyframe() || a.width() != b.width()
                    || a.height() != b.height() || !java.util.Arrays.equals(a.rgb(), b.rgb())) {
                return "frame " + i + " at " + a.timeSeconds() + " s differs from the one at " + b.timeSeconds() + " s";
            }
        }
        return null;
    }
}
