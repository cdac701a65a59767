package io.keshikaran.examples;

import io.keshikaran.Classifier;
import io.keshikaran.video.VideoClassification;
import io.keshikaran.video.VideoClassifier;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Example: score a video clip, one frame a second, stopping at the first frame that reaches a
 * threshold, and print each frame as it is scored. The usage is the body of {@link #run}.
 *
 * <p>The video classifier shares the image classifier (the same model, preprocessing and
 * batching); in an application, build both once and share them.
 */
public final class ClassifyVideo {
    private ClassifyVideo() {
    }

    /** Scores {@code video}, stopping at the first frame scoring at least {@code stopAt}. */
    public static VideoClassification run(Path video, double stopAt) throws Exception {
        try (Classifier classifier = Classifier.builder().build()) {
            VideoClassifier videos = VideoClassifier.builder().setClassifier(classifier).optStopThreshold(stopAt).build();
            return videos.classify(video, frame -> System.out.printf(Locale.ROOT, "%6.1f s  %.2f%n",
                    frame.timeSeconds(), frame.score()));
        }
    }

    /** Usage: {@code ClassifyVideo CLIP [STOP_AT]} (default 0.8); prints every frame, then the verdict. */
    public static void main(String[] args) throws Exception {
        VideoClassification v = run(Path.of(args[0]), args.length > 1 ? Double.parseDouble(args[1]) : 0.8);
        System.out.printf(Locale.ROOT, "%s: %.2f%s%n", v.source(), v.score(), v.stoppedAt()
                .map(f -> String.format(Locale.ROOT, " (stopped at %.1f s)", f.timeSeconds())).orElse(""));
    }
}
