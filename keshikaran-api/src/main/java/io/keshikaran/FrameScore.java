package io.keshikaran;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result for one sampled frame of an animated image (GIF, WebP, APNG). Immutable.
 *
 * @param index         the frame's position in the file, from 0
 * @param score         the frame's score, 0..1
 * @param probabilities every label with its probability for this frame, in the model's label order
 */
public record FrameScore(int index, double score, Map<String, Float> probabilities) {
    /**
     * Validates and copies the arguments.
     *
     * @param index the frame's position in the file, from 0
     * @param score the frame's score, 0..1
     * @param probabilities every label with its probability for this frame, in the model's label order
     */
    public FrameScore {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, got " + index);
        }
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be within 0..1, got " + score);
        }
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(probabilities, "probabilities")));
    }
}
