package io.keshikaran.cli;

import io.keshikaran.Classifier;
import io.keshikaran.video.FrameAggregation;
import io.keshikaran.video.VideoClassifier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Duration;

/** How a video file (recognised by its content: MP4/MOV, MKV/WebM) is sampled and scored. */
final class VideoOptions {
    /** What {@code --video} adds to a folder scan's default includes. */
    static final String VIDEO_INCLUDES = "*.{mp4,m4v,mov,webm,mkv,MP4,M4V,MOV,WEBM,MKV}";

    @Option(names = "--video",
            description = "Folder scans also pick up video files (mp4, m4v, mov, webm, mkv) and score them frame by "
                    + "frame, after the images. Without it folder scans take images only; a video named on the "
                    + "command line or picked by an --include glob is always scored as a video (recognised by content).")
    boolean includeVideos;

    @Option(names = "--video-interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Video: score one frame every SECONDS (the first at or after 0, S, 2S, ...). Default: ${DEFAULT-VALUE}.")
    double interval;

    @Option(names = "--keyframes",
            description = "Video: score keyframes only, without decoding the frames in between (several times faster).")
    boolean keyframes;

    @Option(names = "--video-aggregate", paramLabel = "HOW", defaultValue = "max",
            description = "Video: the score is the max, the mean, or top-K (the mean of the K highest frame scores). "
                    + "Default: ${DEFAULT-VALUE}.")
    String aggregate;

    @Option(names = "--video-max-frames", paramLabel = "N",
            description = "Video: score at most N frames.")
    Integer maxFrames;

    @Option(names = "--video-max-duration", paramLabel = "SECONDS",
            description = "Video: scan only the first SECONDS.")
    Double maxDuration;

    @Option(names = "--stop-threshold", paramLabel = "T",
            description = "Video: stop at the first frame scoring at least T (0..1); --json then says \"stoppedAt\". "
                    + "With --threshold T too, the exit code answers \"is there such a frame?\" as early as possible.")
    Double stopThreshold;

    /** The video classifier these options ask for, sharing {@code classifier}; usage errors for bad values. */
    VideoClassifier toVideoClassifier(CommandLine commandLine, Classifier classifier) {
        try {
            VideoClassifier.Builder b = VideoClassifier.builder().setClassifier(classifier)
                    .optAggregation(FrameAggregation.parse(aggregate));
            if (keyframes) {
                b.optKeyframesOnly();
            } else {
                b.optInterval(seconds(interval, "--video-interval"));
            }
            if (maxFrames != null) {
                b.optMaxFrames(maxFrames);
            }
            if (maxDuration != null) {
                b.optMaxDuration(seconds(maxDuration, "--video-max-duration"));
            }
            if (stopThreshold != null) {
                b.optStopThreshold(stopThreshold);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    private static Duration seconds(double value, String option) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be a positive number of seconds, got " + value);
        }
        return Duration.ofNanos(Math.round(value * 1e9));
    }
}
