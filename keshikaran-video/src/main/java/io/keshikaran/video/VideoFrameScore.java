package io.keshikaran.video;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result for one sampled video frame. Immutable.
 *
 * @param index         the frame's position among the sampled frames, from 0
 * @param timeSeconds   the frame's presentation time, in seconds from the start of the video
 * @param keyframe      whether the frame is a keyframe (an intra frame the decoder can start from)
 * @param score         the frame's score, 0..1
 * @param probabilities every label with its probability for this frame, in the model's label order
 */
public record VideoFrameScore(int index, double timeSeconds, boolean keyframe, double score,
                              Map<String, Float> probabilities) {
    /** Validates and copies the arguments. */
    public VideoFrameScore {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, got " + index);
        }
        if (!(timeSeconds >= 0.0) || Double.isInfinite(timeSeconds)) {
            throw new IllegalArgumentException("timeSeconds must be finite and not negative, got " + timeSeconds);
        }
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be within 0..1, got " + score);
        }
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(probabilities, "probabilities")));
    }
}
