package io.keshikaran.video;

import io.keshikaran.Classification;
import io.keshikaran.FrameScore;
import io.keshikaran.ModelInfo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of classifying one video: the aggregate score and every sampled frame's result.
 * Immutable and thread-safe.
 *
 * @param source        the video's name, as the caller gave it
 * @param score         the aggregate score, 0..1, as {@link #aggregation()} computes it
 * @param probabilities the aggregate probabilities, in the model's label order
 * @param frames        the sampled frames in time order, up to and including the stopping frame
 * @param aggregation   how the frames were aggregated
 * @param ending        why scanning ended
 * @param container     the container format as FFmpeg names it, such as {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param codec         the video codec, such as {@code H.264}
 * @param width         the coded frame width, from the container
 * @param height        the coded frame height, from the container
 * @param durationSeconds the duration the container declares, 0 if it declares none
 * @param framesDecoded how many frames were decoded, sampled or not
 * @param model         the model that scored the frames
 */
public record VideoClassification(String source, double score, Map<String, Float> probabilities,
                                  List<VideoFrameScore> frames, FrameAggregation aggregation, Ending ending,
                                  String container, String codec, int width, int height, double durationSeconds,
                                  long framesDecoded, ModelInfo model) {

    /** Why scanning ended. */
    public enum Ending {
        /** Every frame the sampling asked for was scored, to the end of the video. */
        END_OF_VIDEO,
        /** A frame reached the stop threshold; {@link #stoppedAt()} is that frame. */
        STOP_THRESHOLD,
        /** The maximum number of sampled frames was reached. */
        MAX_FRAMES,
        /** The maximum duration to scan was reached. */
        MAX_DURATION
    }

    /** Validates and copies the arguments. */
    public VideoClassification {
        Objects.requireNonNull(source, "source");
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be within 0..1, got " + score);
        }
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a video result needs at least one frame");
        }
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(ending, "ending");
        Objects.requireNonNull(model, "model");
    }

    /** Whether a frame reached the stop threshold, so the rest of the video was not scanned. */
    public boolean stoppedEarly() {
        return ending == Ending.STOP_THRESHOLD;
    }

    /** The frame that reached the stop threshold, when {@link #stoppedEarly()}. */
    public Optional<VideoFrameScore> stoppedAt() {
        return stoppedEarly() ? Optional.of(frames.get(frames.size() - 1)) : Optional.empty();
    }

    /**
     * The {@code k} highest-scoring frames, highest first (the earliest first among equal scores):
     * what a report shows as thumbnails, see {@link VideoClassifier#frameAt}.
     *
     * @param k at least 1
     * @return up to {@code k} frames
     */
    public List<VideoFrameScore> topFrames(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        return frames.stream()
                .sorted(java.util.Comparator.comparingDouble(VideoFrameScore::score).reversed())
                .limit(k)
                .toList();
    }

    /** The highest-scoring frame (the earliest of equals). */
    public VideoFrameScore topFrame() {
        VideoFrameScore best = frames.get(0);
        for (VideoFrameScore f : frames) {
            if (f.score() > best.score()) {
                best = f;
            }
        }
        return best;
    }

    /**
     * This result as an image {@link Classification}, so code written for images (output formats,
     * thresholds) handles videos too; each frame's index is its position among the sampled frames.
     *
     * @return the classification, with {@link Classification#frames()} holding the sampled frames
     */
    public Classification toClassification() {
        List<FrameScore> frameScores = frames.stream()
                .map(f -> new FrameScore(f.index(), f.score(), f.probabilities()))
                .toList();
        return new Classification(source, score, probabilities, model, frameScores);
    }
}
